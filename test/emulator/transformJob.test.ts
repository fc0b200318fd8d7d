/** Local transform jobs with SageMaker's batch semantics, driven by the real SDK clients. */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  CreateModelCommand,
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  ListTransformJobsCommand,
  ResourceInUse,
  ResourceNotFound,
  type CreateTransformJobCommandInput,
} from "@aws-sdk/client-sagemaker";
import { toZeroShotRequest } from "../../src/payload";
import { ensureBucket, runBatchTransform, waitForTransformJob } from "../../src/workflow/batchTransform";
import { SageMakerWorkflowError } from "../../src/workflow/errors";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

const quiet = { onProgress: () => {} };
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
