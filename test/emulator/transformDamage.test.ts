/**
 * A transform job interrupted (local mode closed mid-job), its saved state damaged while local mode was
 * down, then local mode started again on the same data directory: the job ends with every record exactly
 * once (its output equals an uninterrupted run's, byte for byte) or Failed with a reason naming the damage.
 * Never Completed with a lost, padded or mixed record.
 * The model's worker thread waits on a gate the test holds, so local mode closes with the job exactly
 * INTERRUPT_AT records in (saved after each record), whatever the machine's load.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateModelCommand, CreateTransformJobCommand, DescribeTransformJobCommand, ListTransformJobsCommand } from "@aws-sdk/client-sagemaker";
import { toZeroShotRequest } from "../../src/payload";
import { startLocalSageMaker, type LocalSageMaker } from "../../src/emulator/server";
import { readTransformProgress } from "../../src/emulator/transformJob";
import { ensureBucket, waitForTransformJob } from "../../src/workflow/batchTransform";
import { destroyClients, sageMakerClients, type SageMakerClients } from "../../src/workflow/clients";
import { tinyBert } from "../helpers/models";
import { WorkerGate } from "../helpers/workerGate";

const RECORDS = 120;
/** Records answered (and checkpointed) before local mode closes under a job. */
const INTERRUPT_AT = 40;
const BUCKET = "damage-bucket";
const quiet = { onProgress: () => {} };
const texts = Array.from({ length: RECORDS }, (_, i) => `record ${i}: ${["a run in the park", "a rise in taxes", "a joke about cats"][i % 3]}`);
const input = texts.map((text) => JSON.stringify(toZeroShotRequest(text, ["Health", "Finance", "Humor"]))).join("\n") + "\n";

describe("a transform job whose saved state was damaged while local mode was down", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "local-sagemaker-damage-"));
  const logs: string[] = [];
  let local: LocalSageMaker;
  let clients: SageMakerClients;
  let cleanOutput: string;
  const gate = new WorkerGate();

  async function start(): Promise<void> {
    local = await startLocalSageMaker({
      dataDir,
      modelOptions: { offline: true },
      log: (message) => logs.push(message),
      modelWorker: gate.scorerOptions,
      transformCheckpointMs: 0,
    });
    clients = sageMakerClients({ mode: "local", endpoint: local.url });
  }
  async function stop(): Promise<void> {
    destroyClients(clients);
    await local.close();
  }

  async function createJob(name: string, afterUpload?: () => void): Promise<void> {
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `in/${name}/records.jsonl`, Body: input }));
    afterUpload?.();
    await clients.sagemaker.send(
      new CreateTransformJobCommand({
        TransformJobName: name,
        ModelName: "tiny",
        BatchStrategy: "SingleRecord",
        TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/in/${name}/` } }, ContentType: "application/json", SplitType: "Line" },
        TransformOutput: { S3OutputPath: `s3://${BUCKET}/out/${name}/`, Accept: "application/json", AssembleWith: "Line" },
        TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
      }),
    );
  }

  const workDir = (name: string) => join(dataDir, "transform-jobs", name);
  const recordFile = (name: string) => join(dataDir, "control-plane", "transform-jobs", `${name}.json`);

  /** Starts a job and holds its model at record INTERRUPT_AT + 1 (the ones before it answered and saved). */
  async function holdJob(name: string, afterUpload?: () => void): Promise<void> {
    const reached = gate.jobsReached;
    gate.holdAfter(INTERRUPT_AT);
    await createJob(name, afterUpload);
    await gate.reached(reached + INTERRUPT_AT + 1);
    assert.equal(readTransformProgress(workDir(name)).records, INTERRUPT_AT, "every answered record was saved");
  }

  /** Starts a job, closes local mode with INTERRUPT_AT records saved, and returns with local mode down. */
  async function interrupt(name: string, afterUpload?: () => void): Promise<void> {
    await holdJob(name, afterUpload);
    const closing = stop();
    gate.open(); // the held record is answered; the job stops after it
    await closing;
    const status = (JSON.parse(readFileSync(recordFile(name), "utf8")) as { TransformJobStatus: string }).TransformJobStatus;
    assert.equal(status, "InProgress", "local mode closed before the job finished");
    assert.ok(readTransformProgress(workDir(name)).records < RECORDS, "records were left to answer on resume");
  }

  /** Starts local mode again and waits for the resumed job to end. */
  async function resume(name: string) {
    await start();
    await waitForTransformJob(clients, name, quiet).catch(() => undefined);
    return clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: name }));
  }

  async function output(name: string): Promise<string> {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `out/${name}/records.jsonl.out` }));
    return object.Body!.transformToString();
  }

  /** Completed, with exactly the uninterrupted run's answers: every record once, in order, no NUL padding. */
  async function assertEveryRecordOnce(name: string): Promise<void> {
    const job = await clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: name }));
    assert.equal(job.TransformJobStatus, "Completed", job.FailureReason);
    const answers = await output(name);
    assert.equal(answers.includes("\0"), false, "no NUL padding");
    assert.deepEqual(answers.trimEnd().split("\n").map((answer) => JSON.parse(answer).sequence), texts);
    assert.ok(answers === cleanOutput, "the output equals the uninterrupted run's, byte for byte");
  }

  before(async () => {
    await start();
    await clients.sagemaker.send(
      new CreateModelCommand({ ModelName: "tiny", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" } } }),
    );
    await ensureBucket(clients, BUCKET);
    await createJob("clean");
    await waitForTransformJob(clients, "clean", quiet);
    cleanOutput = await output("clean");
    assert.equal(cleanOutput.trimEnd().split("\n").length, RECORDS);
  });
  after(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers the object again when its partial output was cut mid-record", { timeout: 120_000 }, async () => {
    await interrupt("cut-output");
    const partial = join(workDir("cut-output"), "files", "0.out.part");
    truncateSync(partial, statSync(partial).size - 37);
    await resume("cut-output");
    await assertEveryRecordOnce("cut-output");
    assert.ok(logs.some((line) => /cut-output: the partial output of s3:\/\/damage-bucket\/in\/cut-output\/records\.jsonl holds \d+ bytes but the journal recorded \d+/.test(line)));
  });

  it("answers the object again when its partial output was deleted", { timeout: 120_000 }, async () => {
    await interrupt("deleted-output");
    rmSync(join(workDir("deleted-output"), "files", "0.out.part"));
    await resume("deleted-output");
    await assertEveryRecordOnce("deleted-output");
    assert.ok(logs.some((line) => /deleted-output: the partial output of .* is gone/.test(line)));
  });

  it("answers the object again when the journal claims more output than the partial file holds", { timeout: 120_000 }, async () => {
    await interrupt("journal-ahead");
    const journalPath = join(workDir("journal-ahead"), "files", "0.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { outputBytes: number };
    writeFileSync(journalPath, JSON.stringify({ ...journal, outputBytes: journal.outputBytes + 4096 }));
    await resume("journal-ahead");
    await assertEveryRecordOnce("journal-ahead");
  });

  it("answers the object again when its partial output was altered in place (same length)", { timeout: 120_000 }, async () => {
    await interrupt("altered-output");
    const partial = join(workDir("altered-output"), "files", "0.out.part");
    const bytes = readFileSync(partial);
    const at = bytes.indexOf("Finance");
    bytes.write("Fynance", at);
    writeFileSync(partial, bytes);
    await resume("altered-output");
    await assertEveryRecordOnce("altered-output");
    assert.ok(logs.some((line) => /altered-output: the partial output .* does not hold the answers the journal recorded \(checksum mismatch/.test(line)));
  });

  it("starts the job over when its journal is not JSON", { timeout: 120_000 }, async () => {
    await interrupt("broken-journal");
    writeFileSync(join(workDir("broken-journal"), "journal.json"), '{"version": 2, "fil');
    await resume("broken-journal");
    await assertEveryRecordOnce("broken-journal");
    assert.ok(logs.some((line) => /broken-journal: its journal is not JSON \(\d+ bytes\): starting the job over/.test(line)));
  });

  it("answers the object again when its own journal is damaged", { timeout: 120_000 }, async () => {
    await interrupt("broken-object-journal");
    writeFileSync(join(workDir("broken-object-journal"), "files", "0.json"), JSON.stringify({ version: 2, state: "open", records: "many" }));
    await resume("broken-object-journal");
    await assertEveryRecordOnce("broken-object-journal");
  });

  it("fails, naming the damage, when the input was rewritten with the same size and modification time", { timeout: 120_000 }, async () => {
    const path = join(dataDir, "s3", BUCKET, "in", "same-size-input", "records.jsonl");
    // Whole seconds survive utimes exactly, so the rewritten file's size and modification time match the pins.
    const pinnedTime = 1_700_000_000;
    await interrupt("same-size-input", () => utimesSync(path, pinnedTime, pinnedTime));
    writeFileSync(path, input.replace("record 0: a run", "record 0: a fun"));
    utimesSync(path, pinnedTime, pinnedTime);
    const job = await resume("same-size-input");
    assert.equal(job.TransformJobStatus, "Failed");
    assert.match(
      job.FailureReason ?? "",
      /^ClientError: the input s3:\/\/damage-bucket\/in\/same-size-input\/records\.jsonl changed while the job was interrupted \(its first \d+ bytes are not the ones the job had read\); \d+ of its records had already been answered from the earlier content, so finishing would mix answers to two inputs: run a new job over the current input$/,
    );
  });

  it("fails, naming the damage, when the input grew while local mode was down", { timeout: 120_000 }, async () => {
    await interrupt("grown-input");
    const path = join(dataDir, "s3", BUCKET, "in", "grown-input", "records.jsonl");
    writeFileSync(path, input + JSON.stringify(toZeroShotRequest("one more", ["Health"])) + "\n");
    const job = await resume("grown-input");
    assert.equal(job.TransformJobStatus, "Failed");
    assert.match(job.FailureReason ?? "", new RegExp(`changed while the job was interrupted \\(its size went from ${Buffer.byteLength(input)} to \\d+ bytes\\)`));
  });

  it("fails, naming the damage, when the input is rewritten while the job reads it", { timeout: 120_000 }, async () => {
    await holdJob("rewritten-while-running");
    const path = join(dataDir, "s3", BUCKET, "in", "rewritten-while-running", "records.jsonl");
    writeFileSync(path, input.replace(/a joke about cats/g, "a joke about dogs"));
    gate.open();
    const job = await waitForTransformJob(clients, "rewritten-while-running", quiet).catch(() =>
      clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "rewritten-while-running" })),
    );
    assert.equal(job.TransformJobStatus, "Failed");
    assert.match(job.FailureReason ?? "", /^ClientError: the input s3:\/\/damage-bucket\/in\/rewritten-while-running\/records\.jsonl changed while the job read it \(it was modified at .*\): run a new job over the current input$/);
  });

  it("turns a job record that is not JSON into a Failed job with the reason, not a vanished job", { timeout: 120_000 }, async () => {
    await interrupt("broken-record");
    writeFileSync(recordFile("broken-record"), '{"TransformJobName": "broken-record", "TransformJobSt');
    await start();
    const job = await clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "broken-record" }));
    assert.equal(job.TransformJobStatus, "Failed");
    assert.match(job.FailureReason ?? "", /local mode's record of this job \(control-plane\/transform-jobs\/broken-record\.json\) is not JSON, so the job cannot resume; the damaged file is kept as broken-record\.json\.damaged/);
    const listed = await clients.sagemaker.send(new ListTransformJobsCommand({ NameContains: "broken-record" }));
    assert.deepEqual(listed.TransformJobSummaries?.map((summary) => [summary.TransformJobName, summary.TransformJobStatus]), [["broken-record", "Failed"]]);
  });
});
