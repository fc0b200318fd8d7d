/**
 * Kill-and-resume: the emulator runs as a child process, is SIGKILLed in the middle of a transform job
 * (twice), and started again on the same data directory. The job resumes where its journal says and
 * its output is byte for byte the output of an uninterrupted run: no record lost, none written twice.
 * The one-instance job's model waits on a gate the test moves (test/helpers/gatedLocalSageMaker.ts), so
 * each kill lands at the record the test names. A job on four instances (`zero-shot local-sagemaker`)
 * runs four worker processes, which end with the emulator and come back with it; each holds its model
 * after a number of records (test/helpers/transformWorkerGate.cjs), so SIGKILL and Ctrl-C land with
 * every instance mid-job.
 */
import assert from "node:assert/strict";
import { fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateModelCommand, CreateTransformJobCommand, DescribeTransformJobCommand } from "@aws-sdk/client-sagemaker";
import { toZeroShotRequest } from "../../src/payload";
import { readTransformProgress } from "../../src/emulator/transformJob";
import { ensureBucket, waitForTransformJob } from "../../src/workflow/batchTransform";
import { destroyClients, sageMakerClients, type SageMakerClients } from "../../src/workflow/clients";
import { tinyBert } from "../helpers/models";
import type { GateMessage } from "../helpers/gatedLocalSageMaker";
import { until } from "../helpers/workerGate";

const ROOT = resolve(__dirname, "../..");
/** The four-instance job's records: 8 objects of 100, two per instance. */
const RECORDS = 800;
/** Records each of its instances answers before its gate holds it, in each of the two gated runs. */
const HOLD_AFTER = 60;
/** The one-instance job's records, and the records answered when each of its two kills lands. */
const GATED_RECORDS = 150;
const KILLS_AT = [30, 95];

interface Emulator {
  child: ChildProcess;
  clients: SageMakerClients;
  stderr: () => string;
}

/** A gate for the transform worker processes of a `zero-shot local-sagemaker` the test starts. */
interface InstanceGate {
  dir: string;
  holdAfter: number;
}

/**
 * Starts `zero-shot local-sagemaker` in a child process (or, `gated`, the test's gated local mode) and waits
 * for its URL. With `instanceGate`, its transform instances hold after that many records each.
 */
async function startEmulator(dataDir: string, gated = false, instanceGate?: InstanceGate): Promise<Emulator> {
  const env = instanceGate
    ? {
        ...process.env,
        NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${JSON.stringify(join(ROOT, "test/helpers/transformWorkerGate.cjs"))}`].filter(Boolean).join(" "),
        ZERO_SHOT_TEST_GATE_DIR: instanceGate.dir,
        ZERO_SHOT_TEST_GATE_HOLD_AFTER: String(instanceGate.holdAfter),
      }
    : process.env;
  const options = {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe", ...(gated ? ["ipc" as const] : [])] as ("ignore" | "pipe" | "ipc")[],
    // Its own process group, as a terminal gives it: Ctrl-C reaches the emulator and its workers.
    detached: true,
  };
  const child = gated
    ? fork(join(ROOT, "test/helpers/gatedLocalSageMaker.ts"), [dataDir], { ...options, execArgv: ["--import", "tsx"] })
    : spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "local-sagemaker", "--port", "0", "--data-dir", dataDir, "--offline"], options);
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolvePromise, reject) => {
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolvePromise(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before listening:\n${stderr}`)));
  });
  return { child, clients: sageMakerClients({ mode: "local", endpoint: url }), stderr: () => stderr };
}

/** Lets the gated emulator's model answer `records` more records, then hold the next one; resolves once it holds it. */
async function holdAfter(emulator: Emulator, reachedSoFar: number, records: number): Promise<number> {
  const send = (message: GateMessage) => emulator.child.send!(message);
  const reached = new Promise((resolvePromise) => emulator.child.once("message", resolvePromise));
  send({ type: "holdAfter", jobs: records });
  send({ type: "reached", jobs: reachedSoFar + records + 1 });
  await reached;
  return reachedSoFar + records + 1;
}

async function kill(emulator: Emulator): Promise<void> {
  destroyClients(emulator.clients);
  if (emulator.child.exitCode !== null || emulator.child.signalCode !== null) return;
  const exited = new Promise((resolvePromise) => emulator.child.once("exit", resolvePromise));
  emulator.child.kill("SIGKILL");
  await exited;
}

/** A fresh gate (a new folder under `parent`) for one run's transform instances: each holds after `holdAfter` records. */
function instanceGate(parent: string, holdAfter: number): InstanceGate {
  return { dir: mkdtempSync(join(parent, "gate-")), holdAfter };
}

/** Waits until `count` transform instances hold at the gate; returns their pids. */
async function heldInstances(gate: InstanceGate, count: number): Promise<number[]> {
  const held = () => readdirSync(gate.dir).filter((name) => name.startsWith("held-"));
  await until(() => held().length >= count, `${count} transform instances reached the gate in ${gate.dir}`, 120_000);
  return held()
    .map((name) => Number(name.slice("held-".length)))
    .sort((a, b) => a - b);
}

/** The processes of `pids` still alive after waiting up to `ms` for them to exit. */
async function exitedWithin(pids: number[], ms: number): Promise<number[]> {
  for (const deadline = Date.now() + ms; pids.some(isAlive) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
  return pids.filter(isAlive);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function createJob(clients: SageMakerClients, name: string, outputPrefix: string, inputUri = "s3://resume-bucket/in/records.jsonl", instanceCount = 1) {
  return clients.sagemaker.send(
    new CreateTransformJobCommand({
      TransformJobName: name,
      ModelName: "tiny",
      BatchStrategy: "SingleRecord",
      MaxConcurrentTransforms: instanceCount > 1 ? 2 : undefined,
      TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: inputUri } }, ContentType: "application/json", SplitType: "Line" },
      TransformOutput: { S3OutputPath: `s3://resume-bucket/${outputPrefix}/`, Accept: "application/json", AssembleWith: "Line" },
      TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: instanceCount },
    }),
  );
}

const texts = Array.from({ length: RECORDS }, (_, i) => `record ${i}: ${["a run in the park", "a rise in taxes", "a joke about cats"][i % 3]} ${"and more ".repeat(i % 7)}`);
const requestLine = (text: string) => JSON.stringify(toZeroShotRequest(text, ["Health", "Finance", "Humor"]));

async function createModelAndBucket(clients: SageMakerClients): Promise<void> {
  await clients.sagemaker.send(
    new CreateModelCommand({ ModelName: "tiny", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" } } }),
  );
  await ensureBucket(clients, "resume-bucket");
}

describe("a transform job killed mid-way", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "local-sagemaker-resume-"));
  const running: Emulator[] = [];
  after(async () => {
    for (const emulator of running) await kill(emulator);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("resumes after SIGKILL with output identical to an uninterrupted run", { timeout: 80_000 }, async () => {
    const gatedTexts = texts.slice(0, GATED_RECORDS);
    const input = gatedTexts.map(requestLine).join("\n") + "\n";

    let emulator = await startEmulator(dataDir, true);
    running.push(emulator);
    await createModelAndBucket(emulator.clients);
    await emulator.clients.s3.send(new PutObjectCommand({ Bucket: "resume-bucket", Key: "in/records.jsonl", Body: input }));
    // The model holds record KILLS_AT[0] + 1: the kill lands while it is being answered.
    const held = holdAfter(emulator, 0, KILLS_AT[0]);
    await createJob(emulator.clients, "resumable", "killed");
    await held;

    // Two kills at different points of the job, each with the next record in the model.
    const resumedAt: number[] = [];
    for (const [kill_, killAt] of KILLS_AT.entries()) {
      assert.equal(readTransformProgress(join(dataDir, "transform-jobs", "resumable")).records, killAt, "every answered record was saved");
      await kill(emulator);
      const status = (JSON.parse(readFileSync(join(dataDir, "control-plane", "transform-jobs", "resumable.json"), "utf8")) as { TransformJobStatus: string }).TransformJobStatus;
      assert.equal(status, "InProgress", "the kill came before the job finished");
      assert.equal(existsSync(join(dataDir, "s3", "resume-bucket", "killed", "records.jsonl.out")), false);
      emulator = await startEmulator(dataDir, true);
      running.push(emulator);
      // After the first restart, hold the job again KILLS_AT[1] records in; after the second, let it finish.
      const next = KILLS_AT[kill_ + 1];
      const heldAgain = next === undefined ? emulator.child.send!({ type: "open" } satisfies GateMessage) : holdAfter(emulator, 0, next - killAt);
      await waitForStderr(emulator, /resuming at record (\d+)/).then((match) => resumedAt.push(Number(match[1])));
      await heldAgain;
    }
    assert.deepEqual(resumedAt, KILLS_AT.map((killAt) => killAt + 1), "each run resumed at the first record not saved");

    const killed = await waitForTransformJob(emulator.clients, "resumable", { onProgress: () => {} });
    assert.equal(killed.TransformJobStatus, "Completed");
    await createJob(emulator.clients, "uninterrupted", "clean");
    await waitForTransformJob(emulator.clients, "uninterrupted", { onProgress: () => {} });

    const resumedOutput = readFileSync(join(dataDir, "s3", "resume-bucket", "killed", "records.jsonl.out"), "utf8");
    const cleanOutput = readFileSync(join(dataDir, "s3", "resume-bucket", "clean", "records.jsonl.out"), "utf8");
    const answers = resumedOutput.trimEnd().split("\n");
    assert.equal(answers.length, GATED_RECORDS);
    assert.deepEqual(answers.map((answer) => JSON.parse(answer).sequence), gatedTexts);
    assert.ok(resumedOutput === cleanOutput, "the resumed output equals the uninterrupted run's, byte for byte");
    const described = await emulator.clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "resumable" }));
    assert.equal(described.FailureReason, undefined);
  });

  it("runs a 4-instance job as four worker processes that end with the emulator (SIGKILL, then Ctrl-C), and resumes it with every record once", { timeout: 150_000 }, async () => {
    const multiDir = mkdtempSync(join(tmpdir(), "local-sagemaker-instances-"));
    const gates = mkdtempSync(join(tmpdir(), "transform-gates-"));
    try {
      const firstGate = instanceGate(gates, HOLD_AFTER);
      let emulator = await startEmulator(multiDir, false, firstGate);
      running.push(emulator);
      await createModelAndBucket(emulator.clients);
      // Eight objects: two per instance, as ShardedByS3Key deals them.
      const perObject = RECORDS / 8;
      for (let part = 0; part < 8; part++) {
        const body = texts.slice(part * perObject, (part + 1) * perObject).map(requestLine).join("\n") + "\n";
        await emulator.clients.s3.send(new PutObjectCommand({ Bucket: "resume-bucket", Key: `parts/part-${part}.jsonl`, Body: body }));
      }
      await createJob(emulator.clients, "four-instances", "four-out", "s3://resume-bucket/parts/", 4);

      // Every instance holds its model after 60 of its 200 records: the job is mid-way on all four.
      const heldPids = await heldInstances(firstGate, 4);
      const before = readTransformProgress(join(multiDir, "transform-jobs", "four-instances"));
      const firstPids = before.instances.map((instance) => instance.pid);
      assert.deepEqual([...firstPids].sort((a, b) => a - b), heldPids, "the journal names the four held worker processes");
      assert.equal(new Set(firstPids).size, 4, `four distinct worker processes: ${firstPids.join(", ")}`);
      assert.ok(before.records <= 4 * HOLD_AFTER, `journaled ${before.records} records, at most the ${4 * HOLD_AFTER} answered`);
      assert.ok(!firstPids.includes(emulator.child.pid!) && !firstPids.includes(process.pid));
      assert.deepEqual(before.instances.map((instance) => instance.files), [[0, 4], [1, 5], [2, 6], [3, 7]]);
      assert.ok(firstPids.every(isAlive));

      await kill(emulator);
      // Without the emulator, its workers stop too (they must not write the journal the next run resumes).
      assert.deepEqual(await exitedWithin(firstPids, 15_000), [], "every worker exited with its emulator");

      const secondGate = instanceGate(gates, HOLD_AFTER);
      emulator = await startEmulator(multiDir, false, secondGate);
      running.push(emulator);
      const resumed = Number((await waitForStderr(emulator, /four-instances: resuming at record (\d+)/))[1]);
      assert.ok(resumed >= before.records && resumed <= 4 * HOLD_AFTER, `resumed at record ${resumed}: the journal said ${before.records}`);
      // Each new worker records itself when it starts, replacing its predecessor's record.
      let againPids: number[] = [];
      for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 10))) {
        againPids = readTransformProgress(join(multiDir, "transform-jobs", "four-instances")).instances.map((instance) => instance.pid);
        if (againPids.length === 4 && againPids.every((pid) => !firstPids.includes(pid))) break;
      }
      assert.equal(new Set(againPids).size, 4, `four new worker processes after the restart: ${againPids.join(", ")} (before: ${firstPids.join(", ")})`);
      assert.ok(againPids.every((pid) => !firstPids.includes(pid)));

      // Ctrl-C: SIGINT to the whole group, with every new instance held 60 records further on. The workers
      // wait for the emulator, which stops them at a checkpoint: the gate opens once it has said it is stopping.
      assert.deepEqual(await heldInstances(secondGate, 4), [...againPids].sort((a, b) => a - b));
      const stopped = new Promise<number | null>((resolvePromise) => emulator.child.once("exit", resolvePromise));
      process.kill(-emulator.child.pid!, "SIGINT");
      await waitForStderr(emulator, /stopping: running transform jobs checkpoint/);
      writeFileSync(join(secondGate.dir, "open"), "");
      assert.equal(await stopped, 0);
      destroyClients(emulator.clients);
      assert.equal(
        (JSON.parse(readFileSync(join(multiDir, "control-plane", "transform-jobs", "four-instances.json"), "utf8")) as { TransformJobStatus: string }).TransformJobStatus,
        "InProgress",
        "Ctrl-C leaves the job to resume, not Stopped or Failed",
      );
      assert.deepEqual(await exitedWithin(againPids, 15_000), []);
      emulator = await startEmulator(multiDir);
      running.push(emulator);
      await waitForStderr(emulator, /four-instances: resuming at record (\d+)/);

      const job = await waitForTransformJob(emulator.clients, "four-instances", { onProgress: () => {} });
      assert.equal(job.TransformJobStatus, "Completed");
      assert.equal(job.TransformResources?.InstanceCount, 4);
      const finished = [...emulator.stderr().matchAll(/four-instances: instance (\d) \(pid (\d+)\) answered (\d+) records of 2 objects/g)];
      assert.deepEqual(finished.map((match) => match[1]).sort(), ["1", "2", "3", "4"]);

      await createJob(emulator.clients, "one-instance", "one-out", "s3://resume-bucket/parts/", 1);
      await waitForTransformJob(emulator.clients, "one-instance", { onProgress: () => {} });
      const answers: string[] = [];
      for (let part = 0; part < 8; part++) {
        const killed = readFileSync(join(multiDir, "s3", "resume-bucket", "four-out", `part-${part}.jsonl.out`), "utf8");
        const clean = readFileSync(join(multiDir, "s3", "resume-bucket", "one-out", `part-${part}.jsonl.out`), "utf8");
        assert.ok(killed === clean, `part ${part}: the killed 4-instance run's output equals the uninterrupted run's, byte for byte`);
        answers.push(...killed.trimEnd().split("\n"));
      }
      assert.deepEqual(answers.map((answer) => JSON.parse(answer).sequence), texts, "every record exactly once, in input order");
    } finally {
      rmSync(multiDir, { recursive: true, force: true });
      rmSync(gates, { recursive: true, force: true });
    }
  });
});

async function waitForStderr(emulator: Emulator, pattern: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = pattern.exec(emulator.stderr());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`the emulator never logged ${pattern}:\n${emulator.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
