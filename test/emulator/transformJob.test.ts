/** Local transform jobs with SageMaker's batch semantics, driven by the real SDK clients. */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  CreateModelCommand,
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  StopTransformJobCommand,
  ListTransformJobsCommand,
  ResourceInUse,
  ResourceNotFound,
  type SageMakerClient,
  type CreateTransformJobCommandInput,
} from "@aws-sdk/client-sagemaker";
import { toZeroShotRequest } from "../../src/payload";
import { readTransformProgress } from "../../src/emulator/transformJob";
import { ensureBucket, readTransformResults, runBatchTransform, waitForTransformJob, type ObjectProgress } from "../../src/workflow/batchTransform";
import { SageMakerWorkflowError } from "../../src/workflow/errors";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

const quiet = { onProgress: () => {} };
/** The SDK's deserialize-step middleware type, as its client's stack takes it. */
type DeserializeMiddleware = Extract<Parameters<SageMakerClient["middlewareStack"]["add"]>[0], (next: never, context: never) => unknown>;
const line = (text: string, labels = ["Health", "Finance"]) => JSON.stringify(toZeroShotRequest(text, labels));

describe("local transform jobs", () => {
  let fixture: LocalSageMakerFixture;
  const bucket = "batch-bucket";
  before(async () => {
    fixture = await startLocalFixture();
    await fixture.clients.sagemaker.send(
      new CreateModelCommand({ ModelName: "tiny", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" } } }),
    );
    await ensureBucket(fixture.clients, bucket);
  });
  after(() => fixture.stop());

  /** Uploads `content` and runs a Line/SingleRecord job over it; returns the job's description. */
  async function transformFile(jobName: string, content: string, extra: Partial<CreateTransformJobCommandInput> = {}) {
    await fixture.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${jobName}/in/data.jsonl`, Body: content }));
    await fixture.clients.sagemaker.send(
      new CreateTransformJobCommand({
        TransformJobName: jobName,
        ModelName: "tiny",
        BatchStrategy: "SingleRecord",
        TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${bucket}/${jobName}/in/` } }, ContentType: "application/json", SplitType: "Line" },
        TransformOutput: { S3OutputPath: `s3://${bucket}/${jobName}/out/`, Accept: "application/json", AssembleWith: "Line" },
        TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
        ...extra,
      }),
    );
    return waitForTransformJob(fixture.clients, jobName, quiet).catch(() =>
      fixture.clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: jobName })),
    );
  }

  async function download(key: string): Promise<string> {
    const object = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return object.Body!.transformToString();
  }

  it("answers every line in input order into <input>.out, one answer per line", async () => {
    const texts = ["first", "second", "third", "fourth"];
    const job = await transformFile("in-order", texts.map((text) => line(text)).join("\n") + "\n");
    assert.equal(job.TransformJobStatus, "Completed");
    assert.ok(job.TransformEndTime instanceof Date);
    const output = await download("in-order/out/data.jsonl.out");
    assert.ok(output.endsWith("}\n"));
    assert.deepEqual(output.trimEnd().split("\n").map((answer) => JSON.parse(answer).sequence), texts);
  });

  it("fails the file on a bad record with a reason naming the line, and the runner surfaces it", async () => {
    const requests = [toZeroShotRequest("fine", ["A", "B"]), toZeroShotRequest("fine too", ["A", "B"]), { inputs: "no labels", parameters: { candidate_labels: [] as string[] } }];
    await assert.rejects(runBatchTransform(fixture.clients, { modelName: "tiny", s3Uri: `s3://${bucket}/bad-record`, jobName: "bad-record", requests, ...quiet }), (error: unknown) => {
      assert.ok(error instanceof SageMakerWorkflowError);
      assert.match(error.failureReason ?? "", /^ClientError: the record at line 3 of s3:\/\/batch-bucket\/bad-record\/input\/bad-record\.jsonl failed: the model answered 400: .*candidate_labels/);
      assert.match(error.message, /transform job bad-record Failed: ClientError/);
      return true;
    });
    const listed = await fixture.clients.sagemaker.send(new ListTransformJobsCommand({ StatusEquals: "Failed", NameContains: "bad-record" }));
    assert.deepEqual(listed.TransformJobSummaries?.map((job) => job.TransformJobName), ["bad-record"]);
  });

  it("names the line of a record that is not JSON", async () => {
    const job = await transformFile("not-json", `${line("ok")}\n{"inputs": "broken"\n${line("ok")}\n`);
    assert.equal(job.TransformJobStatus, "Failed");
    assert.match(job.FailureReason ?? "", /line 2 of s3:\/\/batch-bucket\/not-json\/in\/data\.jsonl failed: the model answered 400: the body is not valid JSON/);
  });

  it("enforces MaxPayloadInMB per record", async () => {
    const big = line("x".repeat(1024 * 1024 + 10));
    const job = await transformFile("too-big", `${line("ok")}\n${big}\n`, { MaxPayloadInMB: 1 });
    assert.equal(job.TransformJobStatus, "Failed");
    assert.match(job.FailureReason ?? "", /line 2 of s3:\/\/batch-bucket\/too-big\/in\/data\.jsonl is over MaxPayloadInMB=1 \(1048576 bytes\)/);
  });

  it("runs over file:// locations as local mode does", async () => {
    const dir = join(fixture.dataDir, "files");
    mkdirSync(join(dir, "in"), { recursive: true });
    writeFileSync(join(dir, "in", "a.jsonl"), `${line("alpha")}\n${line("beta")}\n`);
    await fixture.clients.sagemaker.send(
      new CreateTransformJobCommand({
        TransformJobName: "file-urls",
        ModelName: "tiny",
        BatchStrategy: "SingleRecord",
        TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: pathToFileURL(join(dir, "in")).href } }, ContentType: "application/json", SplitType: "Line" },
        TransformOutput: { S3OutputPath: pathToFileURL(join(dir, "out")).href, AssembleWith: "Line" },
        TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
      }),
    );
    await waitForTransformJob(fixture.clients, "file-urls", quiet);
    const answers = readFileSync(join(dir, "out", "a.jsonl.out"), "utf8").trimEnd().split("\n").map((answer) => JSON.parse(answer).sequence);
    assert.deepEqual(answers, ["alpha", "beta"]);
  });

  it("fails with a clear reason when there is no input, and refuses a duplicate job name", async () => {
    const input: CreateTransformJobCommandInput = {
      TransformJobName: "no-input",
      ModelName: "tiny",
      TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${bucket}/nothing-here/` } }, SplitType: "Line" },
      TransformOutput: { S3OutputPath: `s3://${bucket}/nothing-out/` },
      TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
    };
    await fixture.clients.sagemaker.send(new CreateTransformJobCommand(input));
    await assert.rejects(waitForTransformJob(fixture.clients, "no-input", quiet), /no input files at s3:\/\/batch-bucket\/nothing-here\/: upload the JSON Lines file first/);
    await assert.rejects(fixture.clients.sagemaker.send(new CreateTransformJobCommand(input)), ResourceInUse);
    await assert.rejects(fixture.clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "never-created" })), ResourceNotFound);
  });

  it("runs a 4-instance job on four worker processes and joins a thousand answers and more back in input order", { timeout: 120_000 }, async () => {
    const texts = Array.from({ length: 1200 }, (_, i) => `record ${i}: ${["a run in the park", "a rise in taxes", "a joke about cats"][i % 3]}`);
    const requests = () => texts.map((text) => toZeroShotRequest(text, ["Health", "Finance"]));
    const progress: ObjectProgress[] = [];
    const run = await runBatchTransform(fixture.clients, {
      modelName: "tiny",
      s3Uri: `s3://${bucket}/four`,
      jobName: "four-instances",
      requests: requests(),
      instanceCount: 4,
      maxConcurrentTransforms: 2,
      onObjectProgress: (p) => progress.push(p),
      ...quiet,
    });
    // Enough objects for 4 instances x 2 concurrent transforms, under one prefix named after the job.
    assert.equal(run.objects, 8);
    assert.equal(run.inputUri, `s3://${bucket}/four/input/four-instances/`);
    assert.equal(run.outputUri, `s3://${bucket}/four/output/four-instances/`);
    assert.deepEqual(run.settings, { maxConcurrentTransforms: 2, maxPayloadInMB: 6, source: "options" });
    const rows = await readTransformResults(run);
    assert.deepEqual(rows.map((row) => (row.result as { sequence: string }).sequence), texts);
    assert.deepEqual(rows.map((row) => row.request.inputs), texts);

    const phases = (phase: string) => progress.filter((p) => p.phase === phase).map((p) => p.objectsDone);
    assert.deepEqual(phases("upload"), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(phases("join"), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(phases("transform").at(-1), 8);
    assert.deepEqual(progress.at(-1), { phase: "join", objectsDone: 8, objectsTotal: 8, recordsDone: 1200, recordsTotal: 1200 });

    // The job logs each instance's process: four workers, none of them this process, 2 objects and 300 records each.
    const instances = fixture.logs
      .map((line) => /^transform job four-instances: instance (\d) \(pid (\d+)\) answered (\d+) records of (\d+) objects/.exec(line))
      .filter((match) => match !== null)
      .map((match) => ({ instance: Number(match[1]), pid: Number(match[2]), records: Number(match[3]), objects: Number(match[4]) }));
    assert.deepEqual(instances.map((i) => i.instance).sort(), [1, 2, 3, 4]);
    assert.equal(new Set(instances.map((i) => i.pid)).size, 4);
    assert.ok(!instances.some((i) => i.pid === process.pid));
    assert.deepEqual(instances.map((i) => [i.records, i.objects]), [[300, 2], [300, 2], [300, 2], [300, 2]]);

    // Four instances answer exactly what one does.
    const single = await runBatchTransform(fixture.clients, { modelName: "tiny", s3Uri: `s3://${bucket}/one`, jobName: "one-instance", requests: requests(), ...quiet });
    assert.equal(single.objects, 1);
    assert.ok(readFileSync(run.outputPath, "utf8") === readFileSync(single.outputPath, "utf8"), "the joined 4-instance output equals the 1-instance output");
  });

  /** Uploads 8 objects of 400 records and starts a 4-instance job; returns once all four workers journal answers. */
  async function startFourInstances(jobName: string): Promise<number[]> {
    for (let part = 0; part < 8; part++) {
      const body = Array.from({ length: 400 }, (_, i) => line(`part ${part} record ${i}`)).join("\n") + "\n";
      await fixture.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${jobName}/in/part-${part}.jsonl`, Body: body }));
    }
    await fixture.clients.sagemaker.send(
      new CreateTransformJobCommand({
        TransformJobName: jobName,
        ModelName: "tiny",
        BatchStrategy: "SingleRecord",
        MaxConcurrentTransforms: 2,
        TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${bucket}/${jobName}/in/` } }, ContentType: "application/json", SplitType: "Line" },
        TransformOutput: { S3OutputPath: `s3://${bucket}/${jobName}/out/`, Accept: "application/json", AssembleWith: "Line" },
        TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 4 },
      }),
    );
    const workDir = join(fixture.dataDir, "transform-jobs", jobName);
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
      const progress = readTransformProgress(workDir);
      if (progress.instances.length === 4 && progress.records > 0) return progress.instances.map((instance) => instance.pid);
    }
    throw new Error(`${jobName}: four instances did not start answering within 60 s`);
  }

  /** DescribeTransformJob's response body as sent, before the SDK keeps only the members AWS defines. */
  async function describeRaw(jobName: string): Promise<Record<string, unknown>> {
    let body = "";
    const client = fixture.clients.sagemaker;
    const capture: DeserializeMiddleware = (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { body: AsyncIterable<Uint8Array> & object };
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
      body = Buffer.concat(chunks).toString("utf8");
      (result.response as { body: unknown }).body = Readable.from([Buffer.from(body)]);
      return result;
    };
    client.middlewareStack.add(capture, { step: "deserialize", priority: "low", name: "captureRawDescribe" });
    try {
      await client.send(new DescribeTransformJobCommand({ TransformJobName: jobName }));
    } finally {
      client.middlewareStack.remove("captureRawDescribe");
    }
    return JSON.parse(body) as Record<string, unknown>;
  }

  async function allExited(pids: number[]): Promise<number[]> {
    const alive = () => pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    for (const deadline = Date.now() + 15_000; alive().length > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    return alive();
  }

  it("stops a 4-instance job on StopTransformJob: Stopped, and its worker processes exit", { timeout: 120_000 }, async () => {
    const pids = await startFourInstances("stop-four");
    // While it runs, DescribeTransformJob carries local mode's progress (the SDK drops fields AWS does not have: read the raw JSON).
    const progress = (await describeRaw("stop-four")).LocalProgress as { ObjectsTotal: number; RecordsAnswered: number; Instances: { Instance: number; ProcessId: number; Objects: number }[] };
    assert.equal(progress.ObjectsTotal, 8);
    assert.ok(progress.RecordsAnswered > 0);
    assert.deepEqual(progress.Instances.map((i) => [i.Instance, i.ProcessId, i.Objects]), pids.map((pid, i) => [i + 1, pid, 2]));
    await fixture.clients.sagemaker.send(new StopTransformJobCommand({ TransformJobName: "stop-four" }));
    const job = await waitForTransformJob(fixture.clients, "stop-four", quiet).catch(() =>
      fixture.clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "stop-four" })),
    );
    assert.equal(job.TransformJobStatus, "Stopped");
    assert.deepEqual(await allExited(pids), []);
  });

  it("fails a 4-instance job whose worker process dies, naming the instance, and stops the others", { timeout: 120_000 }, async () => {
    const pids = await startFourInstances("worker-dies");
    process.kill(pids[2], "SIGKILL");
    const job = await waitForTransformJob(fixture.clients, "worker-dies", quiet).catch(() =>
      fixture.clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "worker-dies" })),
    );
    assert.equal(job.TransformJobStatus, "Failed");
    assert.equal(job.FailureReason, `InternalServerError: instance 3 (pid ${pids[2]}) ended (SIGKILL) before finishing its objects`);
    assert.deepEqual(await allExited(pids), []);
  });

  it("refuses more instances than local mode runs, and no instance at all, as ValidationExceptions", async () => {
    for (const [count, message] of [
      [17, /local mode runs up to 16 instances per transform job/],
      [0, /Value 0 at 'transformResources.instanceCount' failed to satisfy constraint/],
    ] as const) {
      await assert.rejects(
        fixture.clients.sagemaker.send(
          new CreateTransformJobCommand({
            TransformJobName: `instances-${count}`,
            ModelName: "tiny",
            TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${bucket}/x/` } }, SplitType: "Line" },
            TransformOutput: { S3OutputPath: `s3://${bucket}/y/` },
            TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: count },
          }),
        ),
        (error: unknown) => (error as Error).name === "ValidationException" && message.test((error as Error).message),
      );
    }
  });

  it("refuses settings local mode cannot honour up front, as a ValidationException", async () => {
    await assert.rejects(
      fixture.clients.sagemaker.send(
        new CreateTransformJobCommand({
          TransformJobName: "multi-record",
          ModelName: "tiny",
          BatchStrategy: "MultiRecord",
          TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${bucket}/x/` } }, SplitType: "Line" },
          TransformOutput: { S3OutputPath: `s3://${bucket}/y/` },
          TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
        }),
      ),
      (error: unknown) => (error as Error).name === "ValidationException" && /BatchStrategy=SingleRecord/.test((error as Error).message),
    );
  });
});
