/** `zero-shot local-sagemaker`: credentials, the address it listens on and --allow-files, through the real CLI. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CreateModelCommand, ListModelsCommand } from "@aws-sdk/client-sagemaker";
import { ACCESS_KEY_ID_ENV, SECRET_ACCESS_KEY_ENV } from "../../src/emulator/access";
import { destroyClients, sageMakerClients } from "../../src/workflow/clients";
import { CLI_ENTRY, runCli, runCliInProcess } from "../helpers/cli";
import { once } from "node:events";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { promiseWithResolvers } from "../helpers/barrier";

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

describe("zero-shot local-sagemaker, in-process and stopped by signal", () => {
  const dir = mkdtempSync(join(tmpdir(), "zs-local-sagemaker-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the SageMaker and S3 APIs to the AWS SDK until stopped, keeping its data under --data-dir (relative to its working directory)", async () => {
    const stop = new AbortController();
    const listening = promiseWithResolvers<string>();
    const running = runCliInProcess(["local-sagemaker", "--port", "0", "--data-dir", "state", "--offline"], {
      cwd: dir,
      stop: stop.signal,
      onStdout: (text) => {
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+) \(data in (.*)\)/.exec(text);
        if (url) listening.resolve(url[1]);
      },
    });
    const url = await Promise.race([listening.promise, running.then((run) => Promise.reject(new Error(`stopped before listening: ${run.stderr}`)))]);
    const clients = sageMakerClients({ mode: "local", endpoint: url });
    try {
      assert.deepEqual((await clients.sagemaker.send(new ListModelsCommand({}))).Models, []);
      await clients.s3.send(new CreateBucketCommand({ Bucket: "lesson-data" }));
      await clients.s3.send(new PutObjectCommand({ Bucket: "lesson-data", Key: "in/requests.jsonl", Body: '"I will run a marathon"\n' }));
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: "lesson-data", Key: "in/requests.jsonl" }));
      assert.equal(await object.Body?.transformToString(), '"I will run a marathon"\n');
    } finally {
      destroyClients(clients);
      stop.abort("SIGTERM");
    }
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`data in ${join(dir, "state").replace(/[/.]/g, "\\$&")}\\)`));
    assert.match(run.stderr, /stopping: running transform jobs checkpoint and resume on the next start/);
    assert.ok(existsSync(join(dir, "state")), "the data directory is under the working directory");
  });

  it("refuses a port that is not a whole number, with the usage error code", async () => {
    const run = await runCliInProcess(["local-sagemaker", "--port", "eighty"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--port "eighty" is not a whole number of at least 0/);
  });

  it("the binary stops on SIGTERM, saying so, and exits 0 (spawned)", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI_ENTRY, "local-sagemaker", "--port", "0", "--data-dir", join(dir, "spawned")], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const listening = promiseWithResolvers<void>();
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(stdout)) listening.resolve();
    });
    const exited = once(child, "exit");
    await Promise.race([listening.promise, exited.then(() => Promise.reject(new Error(`exited before listening: ${stderr}`)))]);
    child.kill("SIGTERM");
    const [code] = await exited;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /stopping: running transform jobs checkpoint and resume on the next start/);
  });
});
