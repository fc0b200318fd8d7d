/**
 * The transform job registry and life cycle: InProgress (with LocalProgress) -> Completed | Failed |
 * Stopping -> Stopped; a closed emulator's running job resumes on recover(); SageMaker's errors for
 * duplicates, unknown jobs and locations local mode may not touch. The model loads wait for the test
 * (HeldModelHost), so each state is held, never raced; jobs run in process over file:// locations.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, describe, it } from "node:test";
import type { CreateTransformJobRequest } from "@aws-sdk/client-sagemaker";
import { SageMakerApiError } from "../../../src/emulator/apiErrors";
import { ObjectStore } from "../../../src/emulator/objectStore";
import { Models } from "../../../src/emulator/resources/models";
import { TransformJobs } from "../../../src/emulator/resources/transformJobs";
import { HeldModelHost } from "../../helpers/heldModelHost";
import { until } from "../../helpers/workerGate";

const home = { region: "us-east-1" };
const request = (text: string) => JSON.stringify({ inputs: text, parameters: { candidate_labels: ["ab", "abcd"] } });

describe("TransformJobs", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A registry over a fresh (or the given) data directory, with model m1 and a two-line input file. */
  function emulator(dataDir = mkdtempSync(join(tmpdir(), "transform-jobs-test-"))) {
    dirs.push(dataDir);
    const stateDir = join(dataDir, "control-plane");
    const models = new Models(stateDir);
    if (!models.has("m1")) models.create({ ModelName: "m1", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: "held/model" } } }, home);
    mkdirSync(join(dataDir, "in"), { recursive: true });
    writeFileSync(join(dataDir, "in", "a.jsonl"), `${request("first")}\n${request("second")}\n`);
    const host = new HeldModelHost(dataDir);
    const logs: string[] = [];
    const jobs = new TransformJobs(models, { stateDir, dataDir, objects: new ObjectStore(dataDir), host, log: (line) => logs.push(line) });
    const input = (name: string): CreateTransformJobRequest => ({
      TransformJobName: name,
      ModelName: "m1",
      TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: pathToFileURL(join(dataDir, "in")).href } }, ContentType: "application/json", SplitType: "Line" },
      TransformOutput: { S3OutputPath: pathToFileURL(join(dataDir, "out")).href, AssembleWith: "Line" },
      TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
    });
    const status = (name: string) => jobs.describe({ TransformJobName: name }).TransformJobStatus;
    const settled = (name: string) => until(() => !["InProgress", "Stopping"].includes(status(name)!), `job ${name} ended`);
    return { dataDir, models, host, logs, jobs, input, status, settled };
  }

  it("is InProgress with LocalProgress while the model loads, then Completed with its answers written and its work folder gone", async () => {
    const { dataDir, host, logs, jobs, input, settled } = emulator();
    assert.deepEqual(jobs.create(input("job-1"), home), { TransformJobArn: "arn:aws:sagemaker:us-east-1:000000000000:transform-job/job-1" });
    const running = jobs.describe({ TransformJobName: "job-1" });
    assert.equal(running.TransformJobStatus, "InProgress");
    assert.equal(running.ModelName, "m1");
    assert.equal(running.BatchStrategy, "SingleRecord", "the checked settings, defaults filled in");
    assert.equal(running.TransformInput?.SplitType, "Line", "the request as sent");
    assert.ok(running.CreationTime instanceof Date && running.TransformStartTime instanceof Date);
    assert.equal(running.TransformEndTime, undefined);
    assert.equal(running.LocalProgress?.RecordsAnswered, 0);
    assert.equal("_container" in running, false, "internal fields stay internal");

    await until(() => host.loads.length === 1, "the job asked for its model");
    host.serve(0);
    await settled("job-1");
    const done = jobs.describe({ TransformJobName: "job-1" });
    assert.equal(done.TransformJobStatus, "Completed");
    assert.ok(done.TransformEndTime instanceof Date);
    assert.equal(done.LocalProgress, undefined, "progress is for running jobs");
    const answers = readFileSync(join(dataDir, "out", "a.jsonl.out"), "utf8").trimEnd().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(answers.map((answer) => [answer.sequence, answer.labels[0]]), [["first", "abcd"], ["second", "abcd"]]);
    assert.equal(existsSync(join(dataDir, "transform-jobs", "job-1")), false);
    assert.equal(logs.at(-1), "transform job job-1: Completed (2 records)");
  });

  it("is Failed with a ClientError FailureReason when its model cannot load", async () => {
    const { host, logs, jobs, input, settled } = emulator();
    jobs.create(input("job-1"), home);
    await until(() => host.loads.length === 1, "the job asked for its model");
    host.loads[0].settle.reject(new Error("no such model"));
    await settled("job-1");
    const failed = jobs.describe({ TransformJobName: "job-1" });
    assert.equal(failed.TransformJobStatus, "Failed");
    assert.equal(failed.FailureReason, "ClientError: the model could not be loaded: no such model");
    assert.equal(logs.at(-1), "transform job job-1: Failed: ClientError: the model could not be loaded: no such model");
  });

  it("goes Stopping -> Stopped on stop, and a stop of a finished job changes nothing", async () => {
    const { host, jobs, input, status, settled } = emulator();
    jobs.create(input("job-1"), home);
    await until(() => host.loads.length === 1, "the job asked for its model");
    assert.deepEqual(jobs.stop({ TransformJobName: "job-1" }), {});
    assert.equal(status("job-1"), "Stopping");
    host.serve(0);
    await settled("job-1");
    assert.equal(status("job-1"), "Stopped");
    jobs.stop({ TransformJobName: "job-1" });
    assert.equal(status("job-1"), "Stopped");
  });

  it("leaves a job running at close() InProgress, and a new registry on the same folders resumes it to Completed", async () => {
    const first = emulator();
    first.jobs.create(first.input("job-1"), home);
    await until(() => first.host.loads.length === 1, "the job asked for its model");
    const closed = first.jobs.close();
    first.host.serve(0);
    await closed;
    assert.equal(first.status("job-1"), "InProgress");

    const restarted = emulator(first.dataDir);
    restarted.jobs.recover();
    await until(() => restarted.host.loads.length === 1, "the resumed job asked for its model");
    restarted.host.serve(0);
    await restarted.settled("job-1");
    assert.equal(restarted.status("job-1"), "Completed");
    assert.equal(readFileSync(join(first.dataDir, "out", "a.jsonl.out"), "utf8").trimEnd().split("\n").length, 2, "each record answered once");
  });

  it("ends a job that was Stopping when the emulator died as Stopped on recover(), without running it", async () => {
    const first = emulator();
    first.jobs.create(first.input("job-1"), home);
    await until(() => first.host.loads.length === 1, "the job asked for its model");
    first.jobs.stop({ TransformJobName: "job-1" });
    assert.equal(first.status("job-1"), "Stopping");
    // The emulator dies here: its model load never settles and nothing is closed.

    const restarted = emulator(first.dataDir);
    restarted.jobs.recover();
    const job = restarted.jobs.describe({ TransformJobName: "job-1" });
    assert.equal(job.TransformJobStatus, "Stopped");
    assert.ok(job.TransformEndTime instanceof Date);
    assert.equal(restarted.host.loads.length, 0, "a stopped job is not run again");
  });

  it("answers a duplicate name, an unknown job, an unknown model and a location outside the allowed folders in SageMaker's words", async () => {
    const { host, jobs, input, settled } = emulator();
    const apiError = (type: string, message: RegExp) => (error: unknown) => error instanceof SageMakerApiError && error.type === type && message.test(error.message);
    jobs.create(input("job-1"), home);
    assert.throws(
      () => jobs.create(input("job-1"), home),
      apiError("ResourceInUse", /^Job name must be unique within an AWS account and region, and a job with this name already exists \(arn:aws:sagemaker:us-east-1:000000000000:transform-job\/job-1\)$/),
    );
    assert.throws(() => jobs.describe({ TransformJobName: "nope" }), apiError("ResourceNotFound", /^Could not find requested job with name nope$/));
    assert.throws(() => jobs.stop({ TransformJobName: "nope" }), apiError("ResourceNotFound", /^Could not find requested job with name nope$/));
    assert.throws(() => jobs.create({ ...input("job-2"), ModelName: "nope" }, home), apiError("ValidationException", /^Could not find model ".*model\/nope"\.$/));
    const outside = mkdtempSync(join(tmpdir(), "transform-jobs-outside-"));
    dirs.push(outside);
    assert.throws(
      () => jobs.create({ ...input("job-3"), TransformOutput: { S3OutputPath: pathToFileURL(outside).href } }, home),
      apiError("ValidationException", /^TransformOutput\.S3OutputPath file:\/\/.* is outside the folders local mode may read and write .*--allow-files/),
    );
    assert.throws(
      () => jobs.create({ ...input("job-4"), TransformInput: { ...input("job-4").TransformInput!, DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "s3://Bad_Bucket/in/" } } } }, home),
      apiError("ValidationException", /^"Bad_Bucket" is not a valid S3 bucket name: /),
    );
    assert.deepEqual(jobs.list({}).TransformJobSummaries?.map((job) => job.TransformJobName), ["job-1"], "refused jobs are not recorded");
    await until(() => host.loads.length === 1, "the job asked for its model");
    host.serve(0);
    await settled("job-1");
  });

  it("lists summaries with status and FailureReason, filtered by StatusEquals", async () => {
    const { host, jobs, input, settled } = emulator();
    jobs.create(input("good"), home);
    jobs.create(input("bad"), home);
    await until(() => host.loads.length === 2, "both jobs asked for their model");
    host.serve(0);
    host.loads[1].settle.reject(new Error("no such model"));
    await settled("good");
    await settled("bad");
    const all = jobs.list({ SortBy: "Name", SortOrder: "Ascending" }).TransformJobSummaries!;
    assert.deepEqual(all.map((job) => [job.TransformJobName, job.TransformJobStatus]), [["bad", "Failed"], ["good", "Completed"]]);
    assert.equal(all[0].FailureReason, "ClientError: the model could not be loaded: no such model");
    assert.ok(all[1].TransformEndTime instanceof Date);
    assert.deepEqual(jobs.list({ StatusEquals: "Failed" }).TransformJobSummaries?.map((job) => job.TransformJobName), ["bad"]);
  });
});
