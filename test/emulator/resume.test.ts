/**
 * Kill-and-resume: the emulator runs as a child process, is SIGKILLed in the middle of a transform job
 * (twice), and started again on the same data directory. The job resumes where its journal says and
 * its output is byte for byte the output of an uninterrupted run: no record lost, none written twice.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateModelCommand, CreateTransformJobCommand, DescribeTransformJobCommand } from "@aws-sdk/client-sagemaker";
import { toZeroShotRequest } from "../../src/payload";
import { ensureBucket, waitForTransformJob } from "../../src/workflow/batchTransform";
import { destroyClients, sageMakerClients, type SageMakerClients } from "../../src/workflow/clients";
import { tinyBert } from "../helpers/models";

const ROOT = resolve(__dirname, "../..");
const RECORDS = 3000;

interface Emulator {
  child: ChildProcess;
  clients: SageMakerClients;
  stderr: () => string;
}

/** Starts `zero-shot local-sagemaker` in a child process and waits for its URL. */
async function startEmulator(dataDir: string): Promise<Emulator> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "local-sagemaker", "--port", "0", "--data-dir", dataDir, "--offline"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
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

async function kill(emulator: Emulator): Promise<void> {
  destroyClients(emulator.clients);
  if (emulator.child.exitCode !== null || emulator.child.signalCode !== null) return;
  const exited = new Promise((resolvePromise) => emulator.child.once("exit", resolvePromise));
  emulator.child.kill("SIGKILL");
  await exited;
}

/** Waits until the job's journal shows at least `records` answered, then returns that count. */
async function journaledRecords(dataDir: string, jobName: string, records: number): Promise<number> {
  const path = join(dataDir, "transform-jobs", jobName, "journal.json");
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const done = (JSON.parse(readFileSync(path, "utf8")) as { recordsDone: number }).recordsDone;
      if (done >= records) return done;
    } catch {
      // not written yet, or between rename steps
    }
    if (Date.now() > deadline) throw new Error(`the job did not reach ${records} records within 60 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function createJob(clients: SageMakerClients, name: string, outputPrefix: string) {
  return clients.sagemaker.send(
    new CreateTransformJobCommand({
      TransformJobName: name,
      ModelName: "tiny",
      BatchStrategy: "SingleRecord",
      TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "s3://resume-bucket/in/records.jsonl" } }, ContentType: "application/json", SplitType: "Line" },
      TransformOutput: { S3OutputPath: `s3://resume-bucket/${outputPrefix}/`, Accept: "application/json", AssembleWith: "Line" },
      TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
    }),
  );
}

describe("a transform job killed mid-way", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "local-sagemaker-resume-"));
  const running: Emulator[] = [];
  after(async () => {
    for (const emulator of running) await kill(emulator);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("resumes after SIGKILL with output identical to an uninterrupted run", { timeout: 80_000 }, async () => {
    const texts = Array.from({ length: RECORDS }, (_, i) => `record ${i}: ${["a run in the park", "a rise in taxes", "a joke about cats"][i % 3]} ${"and more ".repeat(i % 7)}`);
    const input = texts.map((text) => JSON.stringify(toZeroShotRequest(text, ["Health", "Finance", "Humor"]))).join("\n") + "\n";

    let emulator = await startEmulator(dataDir);
    running.push(emulator);
    await emulator.clients.sagemaker.send(
      new CreateModelCommand({ ModelName: "tiny", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" } } }),
    );
    await ensureBucket(emulator.clients, "resume-bucket");
    await emulator.clients.s3.send(new PutObjectCommand({ Bucket: "resume-bucket", Key: "in/records.jsonl", Body: input }));
    await createJob(emulator.clients, "resumable", "killed");

    // Two kills at different points of the job.
    const resumedAt: number[] = [];
    for (const fraction of [0.2, 0.55]) {
      await journaledRecords(dataDir, "resumable", Math.floor(RECORDS * fraction));
      await kill(emulator);
      const status = (JSON.parse(readFileSync(join(dataDir, "control-plane", "transform-jobs", "resumable.json"), "utf8")) as { TransformJobStatus: string }).TransformJobStatus;
      assert.equal(status, "InProgress", "the kill came before the job finished");
      assert.equal(existsSync(join(dataDir, "s3", "resume-bucket", "killed", "records.jsonl.out")), false);
      emulator = await startEmulator(dataDir);
      running.push(emulator);
      await waitForStderr(emulator, /resuming at record (\d+)/).then((match) => resumedAt.push(Number(match[1])));
    }
    assert.ok(resumedAt[0] > 1 && resumedAt[1] > resumedAt[0], `resumed at records ${resumedAt.join(", ")}`);

    const killed = await waitForTransformJob(emulator.clients, "resumable", { onProgress: () => {} });
    assert.equal(killed.TransformJobStatus, "Completed");
    await createJob(emulator.clients, "uninterrupted", "clean");
    await waitForTransformJob(emulator.clients, "uninterrupted", { onProgress: () => {} });

    const resumedOutput = readFileSync(join(dataDir, "s3", "resume-bucket", "killed", "records.jsonl.out"), "utf8");
    const cleanOutput = readFileSync(join(dataDir, "s3", "resume-bucket", "clean", "records.jsonl.out"), "utf8");
    const answers = resumedOutput.trimEnd().split("\n");
    assert.equal(answers.length, RECORDS);
    assert.deepEqual(answers.map((answer) => JSON.parse(answer).sequence), texts);
    assert.ok(resumedOutput === cleanOutput, "the resumed output equals the uninterrupted run's, byte for byte");
    const described = await emulator.clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "resumable" }));
    assert.equal(described.FailureReason, undefined);
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
