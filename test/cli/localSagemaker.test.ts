/** `zero-shot local-sagemaker`: the APIs until stopped, credentials, the address it listens on and --allow-files, through the real CLI. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { after, describe, it } from "node:test";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateModelCommand, ListModelsCommand } from "@aws-sdk/client-sagemaker";
import { ACCESS_KEY_ID_ENV, SECRET_ACCESS_KEY_ENV } from "../../src/emulator/access";
import { toZeroShotRequest } from "../../src/payload";
import { destroyClients, sageMakerClients } from "../../src/workflow/clients";
import { deployModel } from "../../src/workflow/deploy";
import { invokeEndpoint } from "../../src/workflow/invoke";
import { promiseWithResolvers } from "../helpers/barrier";
import { CLI_ENTRY, runCliInProcess, type CliRun, type InProcessOptions } from "../helpers/cli";
import { tinyBert } from "../helpers/models";

/** Starts `zero-shot local-sagemaker ARGS...` in-process; resolves with its URL once it listens, and a way to stop it. */
async function startInProcess(args: string[], options: InProcessOptions = {}): Promise<{ url: string; stop(): Promise<CliRun> }> {
  const stop = new AbortController();
  const listening = promiseWithResolvers<string>();
  let stdout = "";
  const running = runCliInProcess(["local-sagemaker", ...args], {
    ...options,
    stop: stop.signal,
    onStdout: (text) => {
      stdout += text;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+) \(data in (.*)\)/.exec(stdout);
      if (url) listening.resolve(url[1]);
    },
  });
  const url = await Promise.race([listening.promise, running.then((run) => Promise.reject(new Error(`stopped before listening: ${run.stderr}`)))]);
  return {
    url,
    stop: () => {
      stop.abort("SIGTERM");
      return running;
    },
  };
}

/** Deploys a model on the running emulator, checks that its endpoint answers a request, then stops the emulator (exit code 0). */
async function deployAskAndStop(emulator: { url: string; stop(): Promise<CliRun> }, model: { modelId: string; modelVersion?: string; name: string }): Promise<CliRun> {
  const clients = sageMakerClients({ mode: "local", endpoint: emulator.url });
  let run: CliRun;
  try {
    const deployment = await deployModel(clients, { ...model, onProgress: () => undefined });
    const answer = await invokeEndpoint(clients, deployment.endpointName, toZeroShotRequest("I will run a marathon", ["Health", "Finance"]));
    assert.ok(!Array.isArray(answer));
    assert.equal(answer.sequence, "I will run a marathon");
    assert.deepEqual([...answer.labels].sort(), ["Finance", "Health"]);
  } finally {
    destroyClients(clients);
    run = await emulator.stop();
  }
  assert.equal(run.code, 0, run.stderr);
  return run;
}

describe("zero-shot local-sagemaker", () => {
  const dir = mkdtempSync(join(tmpdir(), "zs-local-sagemaker-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the SageMaker and S3 APIs to the AWS SDK until stopped, keeping its data under --data-dir (relative to its working directory)", async () => {
    const emulator = await startInProcess(["--port", "0", "--data-dir", "state", "--offline"], { cwd: dir });
    const clients = sageMakerClients({ mode: "local", endpoint: emulator.url });
    let run: CliRun;
    try {
      assert.deepEqual((await clients.sagemaker.send(new ListModelsCommand({}))).Models, []);
      await clients.s3.send(new CreateBucketCommand({ Bucket: "lesson-data" }));
      await clients.s3.send(new PutObjectCommand({ Bucket: "lesson-data", Key: "in/requests.jsonl", Body: '"I will run a marathon"\n' }));
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: "lesson-data", Key: "in/requests.jsonl" }));
      assert.equal(await object.Body?.transformToString(), '"I will run a marathon"\n');
    } finally {
      destroyClients(clients);
      run = await emulator.stop();
    }
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

  it("--workers N loads N single-threaded copies of an endpoint's model plus one for lone requests, and still answers; --workers 0 is refused", async () => {
    const emulator = await startInProcess(["--port", "0", "--data-dir", "workers-state", "--offline", "--workers", "2"], { cwd: dir });
    const run = await deployAskAndStop(emulator, { modelId: tinyBert(), name: "pooled" });
    assert.match(run.stderr, /endpoint pooled\S*: loading .* \(2 single-threaded copies \+ 1 for lone requests\)/);
    const refused = await runCliInProcess(["local-sagemaker", "--workers", "0"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--workers "0" is not a whole number of at least 1/);
  });

  it("refuses to listen beyond loopback with the public default credentials", async () => {
    const run = await runCliInProcess(["local-sagemaker", "--host", "0.0.0.0", "--port", "0", "--data-dir", join(dir, "data")], { env: { [ACCESS_KEY_ID_ENV]: "", [SECRET_ACCESS_KEY_ENV]: "" } });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /public default credentials local\/local/);
  });

  it("serves with --access-key-id and the secret from the environment, and reads model folders under --allow-files only", async () => {
    const models = join(dir, "models");
    mkdirSync(join(models, "mine"), { recursive: true });
    mkdirSync(join(dir, "elsewhere"), { recursive: true });
    // --allow-files relative to the working directory, like --data-dir.
    const emulator = await startInProcess(["--port", "0", "--data-dir", join(dir, "data"), "--allow-files", "models", "--access-key-id", "AKIACLI"], {
      cwd: dir,
      env: { [SECRET_ACCESS_KEY_ENV]: "cli secret" },
    });
    const clients = sageMakerClients({ mode: "local", endpoint: emulator.url, credentials: { accessKeyId: "AKIACLI", secretAccessKey: "cli secret" } });
    let run: CliRun;
    try {
      assert.deepEqual((await clients.sagemaker.send(new ListModelsCommand({}))).Models, []);
      await clients.sagemaker.send(new CreateModelCommand({ ModelName: "allowed", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: join(models, "mine") } } }));
      await assert.rejects(
        clients.sagemaker.send(new CreateModelCommand({ ModelName: "refused", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: join(dir, "elsewhere") } } })),
        (error: Error) => error.name === "ValidationException" && error.message.includes(`--allow-files ${dir}`),
      );
    } finally {
      destroyClients(clients);
      run = await emulator.stop();
    }
    assert.equal(run.code, 0, run.stderr);
  });

  it("--jumpstart-model ID=FOLDER serves that JumpStart id with a folder relative to the working directory; a flag without = is refused", async () => {
    const bart = "huggingface-zstc-facebook-bart-large-mnli";
    const emulator = await startInProcess(["--port", "0", "--data-dir", join(dir, "jumpstart"), "--offline", "--jumpstart-model", `${bart}=${basename(tinyBert())}`], { cwd: dirname(tinyBert()) });
    await deployAskAndStop(emulator, { modelId: bart, modelVersion: "*", name: "cli-js" });
    const refused = await runCliInProcess(["local-sagemaker", "--port", "0", "--data-dir", join(dir, "jumpstart"), "--jumpstart-model", bart]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^zero-shot: error: --jumpstart-model takes ID=MODEL, e\.g\. --jumpstart-model huggingface-zstc-facebook-bart-large-mnli=models\/tiny-bert-nli \(got "huggingface-zstc-facebook-bart-large-mnli"\)/);
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
