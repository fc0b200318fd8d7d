/**
 * Batch transform as in the AWS walkthrough: the requests become JSON Lines (one JumpStart payload per
 * line), split into several S3 objects so every instance has work (SageMaker gives each object to one
 * instance, and each instance answers up to `MaxConcurrentTransforms` of them at once); a transform job
 * with `SplitType=Line`, `BatchStrategy=SingleRecord`, `ContentType=application/json` and
 * `AssembleWith=Line` answers every line; the objects' `<object>.out` come back in object order, so
 * the answers line up with the original requests. Files stream to and from disk, so the number of
 * records does not cost memory.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateTransformJobCommand, DescribeTransformJobCommand, type DescribeTransformJobCommandOutput } from "@aws-sdk/client-sagemaker";
import { InputError } from "../errors";
import type { ZeroShotRequest, ZeroShotResult } from "../payload/types";
import { clientRegion, type SageMakerClients } from "./clients";
import { DEFAULT_INSTANCE_TYPE, sageMakerName } from "./deploy";
import { SageMakerWorkflowError } from "./errors";
import { waitForStatus, type WaitOptions } from "./progress";
import { transformJobSecurityFields, type SecurityOptions } from "./security";
import { joinS3Uri, parseS3Uri } from "../aws/s3Uri";
import { nameTimestamp } from "../aws/sagemaker";

export interface BatchTransformOptions extends WaitOptions, Pick<SecurityOptions, "volumeKmsKeyId" | "outputKmsKeyId" | "tags"> {
  /** The SageMaker model to run (e.g. `deployment.modelName`). */
  modelName: string;
  /** One JumpStart payload per record; streamed to the input file. */
  requests: Iterable<ZeroShotRequest> | AsyncIterable<ZeroShotRequest>;
  /**
   * Where input and output go: `<s3Uri>/input/<job>.jsonl` and `<s3Uri>/output/<job>.jsonl.out` for one
   * object; `<s3Uri>/input/<job>/part-00000.jsonl` and `<s3Uri>/output/<job>/part-00000.jsonl.out` ... for several.
   */
  s3Uri: string;
  /** Default `zero-shot-transform-<timestamp>`. */
  jobName?: string;
  /** Default ml.m5.xlarge. */
  instanceType?: string;
  /** Default 1. */
  instanceCount?: number;
  /** Records each instance answers at once. Default: the container's `/execution-parameters`, else 1. */
  maxConcurrentTransforms?: number;
  /** Largest record SageMaker accepts, in MB. Default: the container's `/execution-parameters`, else 6. */
  maxPayloadInMB?: number;
  /**
   * A running copy of the container (e.g. `zero-shot serve` at `http://127.0.0.1:8080`) whose
   * `GET /execution-parameters` gives the two settings above when they are not set.
   */
  containerUrl?: string;
  /** How many S3 objects the input is split into. Default instanceCount x maxConcurrentTransforms (at most one per record). */
  objectCount?: number;
  /** Records per S3 object instead of `objectCount`. */
  recordsPerObject?: number;
  /** Local folder for the input files and the downloaded output. Default: a new temporary folder. */
  workDir?: string;
  /** Called as each object is uploaded, answered and joined back. */
  onObjectProgress?: (progress: ObjectProgress) => void;
}

/** How many of a run's S3 objects got through a phase. */
export interface ObjectProgress {
  phase: "upload" | "transform" | "join";
  objectsDone: number;
  objectsTotal: number;
  /** Records of the objects done. */
  recordsDone: number;
  recordsTotal: number;
}

/** The settings a run used and where they came from. */
export interface ExecutionSettings {
  maxConcurrentTransforms: number;
  maxPayloadInMB: number;
  /** `options`, the container's `/execution-parameters`, or the safe `defaults`. */
  source: "options" | "container" | "defaults";
}

/** A finished job and where its files are. */
export interface BatchTransformRun {
  jobName: string;
  records: number;
  /** The S3 objects the input was split into (the job's instances share them). */
  objects: number;
  /** The job's input: the one object, or the prefix of the objects. */
  inputUri: string;
  /** The job's output: the one `.out` object, or the prefix of them. */
  outputUri: string;
  /** The JSON Lines input, on this machine. */
  inputPath: string;
  /** The answers of every object joined in input order: one answer per line. */
  outputPath: string;
  settings: ExecutionSettings;
}

/** One input row and its answer. */
export interface TransformedRecord {
  lineNumber: number;
  request: ZeroShotRequest;
  result: ZeroShotResult | ZeroShotResult[];
}

/** The container's batch settings when nobody says otherwise (what SageMaker assumes without `/execution-parameters`). */
export const DEFAULT_EXECUTION_SETTINGS = { maxConcurrentTransforms: 1, maxPayloadInMB: 6 } as const;

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
 * `MaxConcurrentTransforms` and `MaxPayloadInMB` for a run: the options, else what the container's
 * `GET /execution-parameters` says (when `containerUrl` answers within 2 s), else the safe defaults.
 */
export async function executionSettings(options: Pick<BatchTransformOptions, "maxConcurrentTransforms" | "maxPayloadInMB" | "containerUrl">): Promise<ExecutionSettings> {
  for (const [field, value, max] of [["maxConcurrentTransforms", options.maxConcurrentTransforms, 1000], ["maxPayloadInMB", options.maxPayloadInMB, 100]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
      throw new InputError(`${field} is ${value}: use a whole number from 1 to ${max}, or leave it out to ask the container`);
    }
  }
  if (options.maxConcurrentTransforms !== undefined && options.maxPayloadInMB !== undefined) {
    return { maxConcurrentTransforms: options.maxConcurrentTransforms, maxPayloadInMB: options.maxPayloadInMB, source: "options" };
  }
  const fromContainer = options.containerUrl ? await readExecutionParameters(options.containerUrl) : undefined;
  return {
    maxConcurrentTransforms: options.maxConcurrentTransforms ?? fromContainer?.MaxConcurrentTransforms ?? DEFAULT_EXECUTION_SETTINGS.maxConcurrentTransforms,
    maxPayloadInMB: options.maxPayloadInMB ?? fromContainer?.MaxPayloadInMB ?? DEFAULT_EXECUTION_SETTINGS.maxPayloadInMB,
    source: fromContainer ? "container" : options.maxConcurrentTransforms !== undefined || options.maxPayloadInMB !== undefined ? "options" : "defaults",
  };
}

/** The container's answer to `GET /execution-parameters`, or `undefined` when it gives none that is usable. */
async function readExecutionParameters(containerUrl: string): Promise<{ MaxConcurrentTransforms?: number; MaxPayloadInMB?: number } | undefined> {
  try {
    const response = await fetch(new URL("/execution-parameters", containerUrl), { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { MaxConcurrentTransforms?: unknown; MaxPayloadInMB?: unknown };
    const whole = (value: unknown, max: number) => (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max ? (value as number) : undefined);
    const parameters = { MaxConcurrentTransforms: whole(body.MaxConcurrentTransforms, 1000), MaxPayloadInMB: whole(body.MaxPayloadInMB, 100) };
    return parameters.MaxConcurrentTransforms === undefined && parameters.MaxPayloadInMB === undefined ? undefined : parameters;
  } catch {
    return undefined; // not reachable (on AWS the container never is): the defaults apply
  }
}

/** How many records go to each object: as even as possible, earlier objects one more. */
export function objectSizes(records: number, options: Pick<BatchTransformOptions, "objectCount" | "recordsPerObject">, wanted: number): number[] {
  if (options.recordsPerObject !== undefined && (!Number.isInteger(options.recordsPerObject) || options.recordsPerObject < 1)) {
    throw new InputError(`recordsPerObject is ${options.recordsPerObject}: use a whole number of at least 1`);
  }
  if (options.objectCount !== undefined && (!Number.isInteger(options.objectCount) || options.objectCount < 1)) {
    throw new InputError(`objectCount is ${options.objectCount}: use a whole number of at least 1`);
  }
  const count = Math.max(1, Math.min(records, options.recordsPerObject ? Math.ceil(records / options.recordsPerObject) : (options.objectCount ?? wanted)));
  const base = Math.floor(records / count);
  return Array.from({ length: count }, (_, i) => base + (i < records % count ? 1 : 0));
}

/** Copies the lines of `path` into one file per size, in order; returns the files. */
async function splitLines(path: string, sizes: number[], partPath: (index: number) => string): Promise<string[]> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  const paths = sizes.map((_, index) => partPath(index));
  let part = 0;
  let written = 0;
  let out = createWriteStream(paths[0]);
  for await (const line of lines) {
    while (written === sizes[part]) {
      out.end();
      await once(out, "close");
      part++;
      written = 0;
      out = createWriteStream(paths[part]);
    }
    if (!out.write(`${line}\n`)) await once(out, "drain");
    written++;
  }
  out.end();
  await once(out, "close");
  return paths;
}

/**
 * Runs a batch transform over `requests` and joins the answers back in input order.
 * @example
 * const run = await runBatchTransform(clients, { modelName: deployment.modelName, s3Uri: "s3://my-bucket/zero-shot", requests, instanceCount: 2 });
 * for await (const { request, result } of joinTransformOutput(run)) console.log(request.inputs, result);
 */
export async function runBatchTransform(clients: SageMakerClients, options: BatchTransformOptions): Promise<BatchTransformRun> {
  const jobName = sageMakerName(options.jobName ?? `zero-shot-transform-${nameTimestamp()}`);
  const instanceCount = options.instanceCount ?? 1;
  if (!Number.isInteger(instanceCount) || instanceCount < 1) throw new InputError(`instanceCount is ${instanceCount}: use a whole number of at least 1`);
  const settings = await executionSettings(options);
  const { bucket } = parseS3Uri(options.s3Uri);
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "zero-shot-transform-"));
  const inputPath = join(workDir, `${jobName}.jsonl`);
  const records = await writeRequestLines(options.requests, inputPath);
  if (records === 0) throw new InputError(`no requests to transform: pass at least one {inputs, parameters} payload`);

  // One object keeps the walkthrough's names; several share a prefix named after the job.
  const sizes = objectSizes(records, options, instanceCount * settings.maxConcurrentTransforms);
  const single = sizes.length === 1;
  const inputPrefix = joinS3Uri(options.s3Uri, "input");
  const outputPrefix = single ? joinS3Uri(options.s3Uri, "output") : joinS3Uri(options.s3Uri, "output", jobName);
  const inputUri = single ? joinS3Uri(inputPrefix, basename(inputPath)) : `${joinS3Uri(inputPrefix, jobName)}/`;
  const outputUri = single ? joinS3Uri(outputPrefix, `${basename(inputPath)}.out`) : `${outputPrefix}/`;
  let partPaths = [inputPath];
  if (!single) {
    mkdirSync(join(workDir, jobName), { recursive: true });
    partPaths = await splitLines(inputPath, sizes, (index) => join(workDir, jobName, partName(index)));
  }
  const objects = partPaths.map((path, index) => ({
    path,
    records: sizes[index],
    inputKey: parseS3Uri(single ? inputUri : joinS3Uri(inputUri, basename(path))).key,
    outputKey: parseS3Uri(single ? outputUri : joinS3Uri(outputUri, `${basename(path)}.out`)).key,
  }));
  /** Reports the objects done; uploads and joins go in order, a job's instances finish objects in any order. */
  const report = (phase: ObjectProgress["phase"], done: readonly { records: number }[]) =>
    options.onObjectProgress?.({
      phase,
      objectsDone: done.length,
      objectsTotal: objects.length,
      recordsDone: done.reduce((sum, object) => sum + object.records, 0),
      recordsTotal: records,
    });

  await ensureBucket(clients, bucket);
  for (const [index, object] of objects.entries()) {
    await clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: object.inputKey, Body: createReadStream(object.path), ContentLength: statSync(object.path).size, ContentType: "application/jsonlines" }),
    );
    report("upload", objects.slice(0, index + 1));
  }
  // The parts are on S3 now; the whole input stays for joining answers to requests.
  if (!single) rmSync(join(workDir, jobName), { recursive: true, force: true });

  const security = transformJobSecurityFields(options);
  await clients.sagemaker.send(
    new CreateTransformJobCommand({
      TransformJobName: jobName,
      ModelName: options.modelName,
      BatchStrategy: "SingleRecord",
      MaxConcurrentTransforms: settings.maxConcurrentTransforms,
      MaxPayloadInMB: settings.maxPayloadInMB,
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: inputUri } },
        ContentType: "application/json",
        SplitType: "Line",
      },
      TransformOutput: { S3OutputPath: outputPrefix, Accept: "application/json", AssembleWith: "Line", ...security.outputKmsKeyId },
      TransformResources: { InstanceType: (options.instanceType ?? DEFAULT_INSTANCE_TYPE) as never, InstanceCount: instanceCount, ...security.volumeKmsKeyId },
      ...(security.Tags ? { Tags: security.Tags } : {}),
    }),
  );
  // While the job runs, the finished objects' outputs appear one by one (on AWS as in local mode).
  let answered = 0;
  const countAnswered = async () => {
    if (!options.onObjectProgress) return;
    const expected = new Set(objects.map((object) => object.outputKey));
    const prefix = parseS3Uri(outputUri).key;
    const found = new Set<string>();
    let token: string | undefined;
    do {
      const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key && expected.has(object.Key)) found.add(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (found.size !== answered) {
      answered = found.size;
      report("transform", objects.filter((object) => found.has(object.outputKey)));
    }
  };
  await waitForTransformJob(clients, jobName, { ...options, onPoll: countAnswered });
  if (answered !== objects.length) report("transform", objects);

  // Join: each object's answers, in object order, into one file that lines up with the input.
  const outputPath = `${inputPath}.out`;
  const joined = createWriteStream(outputPath);
  try {
    for (const [index, object] of objects.entries()) {
      const output = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.outputKey }));
      const answers = await appendLines(output.Body as AsyncIterable<Uint8Array>, joined);
      if (answers !== object.records) {
        throw new SageMakerWorkflowError(
          `s3://${bucket}/${object.outputKey} has ${answers} answers for the ${object.records} records of s3://${bucket}/${object.inputKey}: ` +
            `the output does not belong to this input; run the transform again`,
        );
      }
      report("join", objects.slice(0, index + 1));
    }
  } finally {
    joined.end();
    await once(joined, "close");
  }
  return { jobName, records, objects: objects.length, inputUri, outputUri, inputPath, outputPath, settings };
}

/** `part-00000.jsonl`: names that sort as the parts go, as S3 lists keys. */
function partName(index: number): string {
  return `part-${String(index).padStart(5, "0")}.jsonl`;
}

/** Appends an object's lines to `out` (ending its last line if it did not); returns how many lines. */
async function appendLines(body: AsyncIterable<Uint8Array>, out: NodeJS.WritableStream): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of body) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1];
    if (!out.write(chunk)) await once(out as NodeJS.EventEmitter, "drain");
  }
  if (last !== 10) {
    lines++;
    out.write("\n");
  }
  return lines;
}

/** Waits for a transform job to end; Failed (or Stopped) throws with SageMaker's FailureReason. */
export async function waitForTransformJob(
  clients: SageMakerClients,
  jobName: string,
  options: WaitOptions & { onPoll?: () => Promise<void> } = {},
): Promise<DescribeTransformJobCommandOutput> {
  const description = await waitForStatus(
    `transform job ${jobName}`,
    async () => {
      const job = await clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: jobName }));
      await options.onPoll?.();
      return job;
    },
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
