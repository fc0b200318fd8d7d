import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { after, describe, it } from "node:test";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { ListModelsCommand } from "@aws-sdk/client-sagemaker";
import { destroyClients, sageMakerClients } from "../../src/workflow/clients";
import { promiseWithResolvers } from "../helpers/barrier";
import { CLI_ENTRY, runCliInProcess } from "../helpers/cli";

describe("zero-shot local-sagemaker", () => {
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
