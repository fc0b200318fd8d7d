/**
 * Batch transform as in the AWS walkthrough: the requests become a JSON Lines file (one JumpStart
 * payload per line), uploaded to S3; a transform job with `SplitType=Line`, `BatchStrategy=SingleRecord`,
 * `ContentType=application/json` and `AssembleWith=Line` answers every line; its `<input>.out` comes
 * back and each answer is joined to its input row, in order. Files stream to and from disk, so the
 * number of records does not cost memory.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateTransformJobCommand, DescribeTransformJobCommand, type DescribeTransformJobCommandOutput } from "@aws-sdk/client-sagemaker";
import { InputError } from "../errors";
import type { ZeroShotRequest, ZeroShotResult } from "../payload/types";
import { clientRegion, type SageMakerClients } from "./clients";
import { DEFAULT_INSTANCE_TYPE, sageMakerName } from "./deploy";
import { SageMakerWorkflowError } from "./errors";
import { waitForStatus, type WaitOptions } from "./progress";
import { transformJobSecurityFields, type SecurityOptions } from "./security";
import { joinS3Uri, parseS3Uri } from "../aws/s3Uri";

export interface BatchTransformOptions extends WaitOptions, Pick<SecurityOptions, "volumeKmsKeyId" | "outputKmsKeyId" | "tags"> {
  /** The SageMaker model to run (e.g. `deployment.modelName`). */
  modelName: string;
  /** One JumpStart payload per record; streamed to the input file. */
  requests: Iterable<ZeroShotRequest> | AsyncIterable<ZeroShotRequest>;
  /** Where input and output go: `<s3Uri>/input/<job>.jsonl` and `<s3Uri>/output/<job>.jsonl.out`. */
  s3Uri: string;
  /** Default `zero-shot-transform-<timestamp>`. */
  jobName?: string;
  /** Default ml.m5.xlarge. */
  instanceType?: string;
  /** Default 1. */
  instanceCount?: number;
  /** Largest record SageMaker accepts, in MB. Default 6. */
  maxPayloadInMB?: number;
  /** Local folder for the input file and the downloaded output. Default: a new temporary folder. */
  workDir?: string;
}

/** A finished job and where its files are. */
export interface BatchTransformRun {
  jobName: string;
  records: number;
  inputUri: string;
  outputUri: string;
  /** The JSON Lines input, on this machine. */
  inputPath: string;
  /** The downloaded `<input>.out`: one answer per line, in input order. */
  outputPath: string;
}

/** One input row and its answer. */
export interface TransformedRecord {
  lineNumber: number;
  request: ZeroShotRequest;
  result: ZeroShotResult | ZeroShotResult[];
}

/** Writes one request per line; returns how many. */
export async function writeRequestLines(requests: Iterable<ZeroShotRequest> | AsyncIterable<ZeroShotRequest>, path: string): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  try {
    for await (const request of requests) {
      if (!out.write(`${JSON.stringify(request)}\n`)) await once(out, "drain");
      count++;
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  return count;
}

/** Creates the bucket when it does not exist (local mode starts empty; on AWS it usually exists). */
export async function ensureBucket(clients: SageMakerClients, bucket: string): Promise<void> {
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404) return; // 403: someone else's or no permission to look: let the upload say so
  }
  const region = await clientRegion(clients);
  try {
    await clients.s3.send(
      new CreateBucketCommand({ Bucket: bucket, ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== "BucketAlreadyOwnedByYou") throw error;
  }
}

/**
 * Runs a batch transform over `requests` and downloads the answers.
 * @example
 * const run = await runBatchTransform(clients, { modelName: deployment.modelName, s3Uri: "s3://my-bucket/zero-shot", requests });
 * for await (const { request, result } of joinTransformOutput(run)) console.log(request.inputs, result);
 */
export async function runBatchTransform(clients: SageMakerClients, options: BatchTransformOptions): Promise<BatchTransformRun> {
  const jobName = sageMakerName(options.jobName ?? `zero-shot-transform-${new Date().toISOString().replace(/[-:T.Z]/g, "").slice(0, 17)}`);
  const { bucket } = parseS3Uri(options.s3Uri);
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "zero-shot-transform-"));
  const inputPath = join(workDir, `${jobName}.jsonl`);
  const records = await writeRequestLines(options.requests, inputPath);
  if (records === 0) throw new InputError(`no requests to transform: pass at least one {inputs, parameters} payload`);

  const inputUri = joinS3Uri(options.s3Uri, "input", basename(inputPath));
  const outputPrefix = joinS3Uri(options.s3Uri, "output");
  const outputUri = joinS3Uri(outputPrefix, `${basename(inputPath)}.out`);
  await ensureBucket(clients, bucket);
  await clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: parseS3Uri(inputUri).key, Body: createReadStream(inputPath), ContentLength: statSync(inputPath).size, ContentType: "application/jsonlines" }),
  );

  const security = transformJobSecurityFields(options);
  await clients.sagemaker.send(
    new CreateTransformJobCommand({
      TransformJobName: jobName,
      ModelName: options.modelName,
      BatchStrategy: "SingleRecord",
      MaxPayloadInMB: options.maxPayloadInMB ?? 6,
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: inputUri } },
        ContentType: "application/json",
        SplitType: "Line",
      },
      TransformOutput: { S3OutputPath: outputPrefix, Accept: "application/json", AssembleWith: "Line", ...security.outputKmsKeyId },
      TransformResources: { InstanceType: (options.instanceType ?? DEFAULT_INSTANCE_TYPE) as never, InstanceCount: options.instanceCount ?? 1, ...security.volumeKmsKeyId },
      ...(security.Tags ? { Tags: security.Tags } : {}),
    }),
  );
  await waitForTransformJob(clients, jobName, options);

  const outputPath = `${inputPath}.out`;
  const output = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: parseS3Uri(outputUri).key }));
  await pipeline(output.Body as Readable, createWriteStream(outputPath));
  return { jobName, records, inputUri, outputUri, inputPath, outputPath };
}

/** Waits for a transform job to end; Failed (or Stopped) throws with SageMaker's FailureReason. */
export async function waitForTransformJob(clients: SageMakerClients, jobName: string, options: WaitOptions = {}): Promise<DescribeTransformJobCommandOutput> {
  const description = await waitForStatus(
    `transform job ${jobName}`,
    () => clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: jobName })),
    (job) => job.TransformJobStatus ?? "Unknown",
    (status) => status === "Completed" || status === "Failed" || status === "Stopped",
    { ...options, pollIntervalMs: options.pollIntervalMs ?? clients.pollIntervalMs },
  );
  if (description.TransformJobStatus !== "Completed") {
    throw new SageMakerWorkflowError(
      `transform job ${jobName} ${description.TransformJobStatus}: ${description.FailureReason ?? "no reason given"}`,
      description.FailureReason,
    );
  }
  return description;
}

/** Reads the input rows and the answers side by side, in order; a count mismatch is an error. */
export async function* joinTransformOutput(run: Pick<BatchTransformRun, "inputPath" | "outputPath">): AsyncGenerator<TransformedRecord> {
  const inputs = createInterface({ input: createReadStream(run.inputPath), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const outputs = createInterface({ input: createReadStream(run.outputPath), crlfDelay: Infinity })[Symbol.asyncIterator]();
  for (let lineNumber = 1; ; lineNumber++) {
    const [input, output] = await Promise.all([inputs.next(), outputs.next()]);
    if (input.done && output.done) return;
    if (input.done || output.done) {
      throw new SageMakerWorkflowError(
        `${run.outputPath} has ${input.done ? "more" : "fewer"} answers than ${run.inputPath} has rows (they differ at line ${lineNumber}): ` +
          `the output does not belong to this input; run the transform again`,
      );
    }
    yield { lineNumber, request: JSON.parse(input.value) as ZeroShotRequest, result: JSON.parse(output.value) as ZeroShotResult | ZeroShotResult[] };
  }
}

/** All joined records of a run, in input order (for inputs that fit in memory). */
export async function readTransformResults(run: Pick<BatchTransformRun, "inputPath" | "outputPath">): Promise<TransformedRecord[]> {
  const records: TransformedRecord[] = [];
  for await (const record of joinTransformOutput(run)) records.push(record);
  return records;
}
