/** `zero-shot local-sagemaker`: credentials, the address it listens on and --allow-files, through the real CLI. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CreateModelCommand, ListModelsCommand } from "@aws-sdk/client-sagemaker";
import { ACCESS_KEY_ID_ENV, SECRET_ACCESS_KEY_ENV } from "../../src/emulator/access";
import { destroyClients, sageMakerClients } from "../../src/workflow/clients";
import { CLI_ENTRY, runCli } from "../helpers/cli";

describe("zero-shot local-sagemaker", () => {
  const dir = mkdtempSync(join(tmpdir(), "local-sagemaker-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses to listen beyond loopback with the public default credentials", async () => {
    const run = await runCli(["local-sagemaker", "--host", "0.0.0.0", "--port", "0", "--data-dir", join(dir, "data")], { env: { [ACCESS_KEY_ID_ENV]: "", [SECRET_ACCESS_KEY_ENV]: "" } });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /public default credentials local\/local/);
  });

  it("serves with --access-key-id and the secret from the environment, and reads model folders under --allow-files only", async () => {
    const models = join(dir, "models");
    mkdirSync(join(models, "mine"), { recursive: true });
    mkdirSync(join(dir, "elsewhere"), { recursive: true });
    const child = spawn(process.execPath, ["--import", "tsx", CLI_ENTRY, "local-sagemaker", "--port", "0", "--data-dir", join(dir, "data"), "--allow-files", models, "--access-key-id", "AKIACLI"], {
      env: { ...process.env, [SECRET_ACCESS_KEY_ENV]: "cli secret" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = "";
        child.stdout.on("data", (chunk) => {
          stdout += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(stdout);
          if (match) resolve(match[1]);
        });
        child.on("close", () => reject(new Error(`the emulator exited before listening: ${stdout}`)));
      });
      const clients = sageMakerClients({ mode: "local", endpoint: url, credentials: { accessKeyId: "AKIACLI", secretAccessKey: "cli secret" } });
      try {
        assert.deepEqual((await clients.sagemaker.send(new ListModelsCommand({}))).Models, []);
        await clients.sagemaker.send(new CreateModelCommand({ ModelName: "allowed", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: join(models, "mine") } } }));
        await assert.rejects(
          clients.sagemaker.send(new CreateModelCommand({ ModelName: "refused", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: join(dir, "elsewhere") } } })),
          (error: Error) => error.name === "ValidationException" && error.message.includes(`--allow-files ${dir}`),
        );
      } finally {
        destroyClients(clients);
      }
    } finally {
      child.kill("SIGTERM");
      assert.equal(await exited, 0);
    }
  });
});
