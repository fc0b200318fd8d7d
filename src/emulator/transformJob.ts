/**
 * Runs a batch transform job on this machine with SageMaker's semantics for `SplitType=Line`,
 * `BatchStrategy=SingleRecord`: every line of every input object is one invocation of the container
 * contract (`answerInvocation`, the same code as `zero-shot serve`), and each object's answers are
 * written in input order to `<object>.out`, one per line with `AssembleWith=Line`.
 *
 * A job runs on `TransformResources.InstanceCount` instances. Objects are dealt out to them as
 * SageMaker's ShardedByS3Key does (object i, in key order, goes to instance i mod N); one instance runs
 * in the emulator's process, several run as parallel worker processes, each with its own copy of the
 * model. Records stream (memory stays flat for any input size) and every object keeps a journal that
 * pins its input and output (`transformJournal.ts`), so a job killed at any moment and started again
 * ends with every record exactly once, or fails with a reason that names the damage.
 */
import { fork } from "node:child_process";
import { rmSync } from "node:fs";
import { extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ZeroShotClassifier } from "../classification/classifier";
import { threadsPerCopy } from "../backends/local/sessionOptions";
import { invalidField, SageMakerApiError } from "./apiErrors";
import type { ContainerDefinition, ModelHost } from "./modelHost";
import { listDataFiles, outputPath, type ObjectStore } from "./objectStore";
import { JobFailure, runInstance, type FileTask, type InstanceOutcome, type TransformJobSpec } from "./transformInstance";
import { isDamaged, readJobJournal, readTransformProgress, writeJobJournal, type InstanceRecord, type JobJournal, type TransformProgress } from "./transformJournal";
import type { WorkerMessage, WorkerModel, WorkerStart } from "./transformWorker";

export type { TransformJobSpec } from "./transformInstance";
export type { WorkerModel } from "./transformWorker";
export { readTransformProgress, type TransformProgress, type InstanceRecord } from "./transformJournal";

export type TransformOutcome =
  | { status: "Completed"; records: number; instances: InstanceRecord[] }
  | { status: "Failed"; reason: string }
  | { status: "Stopped" };

export interface TransformRunContext {
  /** The job's own directory for its journal and partial outputs. */
  workDir: string;
  objects: ObjectStore;
  /** The job's model in the emulator's process (InstanceCount 1). */
  classifier: () => Promise<ZeroShotClassifier>;
  /** The job's model for a worker process (InstanceCount above 1). */
  workerModel?: () => WorkerModel;
  /** Progress and resume messages, for the emulator's log. */
  log: (message: string) => void;
  /** Set when the job is stopped (StopTransformJob) or the emulator closes. */
  signal: AbortSignal;
  /** Checkpoint at least this often (ms). Default 250. */
  checkpointMs?: number;
}

/** The most instances local mode starts for one job: each is a process with its own model. */
export const MAX_LOCAL_INSTANCES = 16;

/** Runs (or resumes) a job to its end; never throws. */
export async function runTransformJob(job: TransformJobSpec, context: TransformRunContext): Promise<TransformOutcome> {
  try {
    return await transform(job, context);
  } catch (error) {
    if (error instanceof JobFailure) return { status: "Failed", reason: error.message };
    return { status: "Failed", reason: `InternalServerError: ${(error as Error).message}` };
  }
}

/** The job journal: the one on disk, or a new one listing the input objects now. */
async function startOrResume(job: TransformJobSpec, context: TransformRunContext): Promise<JobJournal> {
  const { workDir, log } = context;
  const name = job.TransformJobName;
  const existing = readJobJournal(workDir);
  if (existing && !isDamaged(existing)) {
    const progress = readTransformProgress(workDir);
    log(`transform job ${name}: resuming at record ${progress.records + 1} (${progress.objectsDone} of ${progress.objectsTotal} objects finished)`);
    return existing;
  }
  if (existing) {
    log(`transform job ${name}: its journal ${existing.damaged}: starting the job over`);
    for (const part of ["files", "instances"]) rmSync(join(workDir, part), { recursive: true, force: true });
  }
  const uri = job.TransformInput.DataSource.S3DataSource.S3Uri;
  let files;
  try {
    files = await listDataFiles(uri, context.objects);
  } catch (error) {
    throw new JobFailure(`ClientError: cannot read the input ${uri}: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new JobFailure(`ClientError: no input files at ${uri}: upload the JSON Lines file first (PutObjectCommand), or check the S3Uri`);
  const instanceCount = job.TransformResources?.InstanceCount ?? 1;
  if (!Number.isInteger(instanceCount) || instanceCount < 1 || instanceCount > MAX_LOCAL_INSTANCES) {
    throw new JobFailure(`ClientError: local mode runs 1 to ${MAX_LOCAL_INSTANCES} instances per job (one process each), not InstanceCount=${instanceCount}`);
  }
  const journal: JobJournal = { version: 2, files, instanceCount };
  writeJobJournal(workDir, journal);
  return journal;
}

async function transform(job: TransformJobSpec, context: TransformRunContext): Promise<TransformOutcome> {
  const journal = await startOrResume(job, context);
  const tasks: FileTask[] = journal.files.map((file, index) => ({
    index,
    file,
    target: outputPath(job.TransformOutput.S3OutputPath, `${file.relativeName}.out`, context.objects),
  }));
  // ShardedByS3Key: object i (in key order) goes to instance i mod N.
  const shards = Array.from({ length: journal.instanceCount }, (_, instance) => tasks.filter((task) => task.index % journal.instanceCount === instance));

  let outcomes: InstanceOutcome[];
  if (journal.instanceCount === 1) {
    outcomes = [
      await runInstance({ instance: 0, job, tasks: shards[0], workDir: context.workDir, classifier: context.classifier, log: context.log, signal: context.signal, checkpointMs: context.checkpointMs }),
    ];
  } else {
    if (!context.workerModel) throw new JobFailure("InternalServerError: local mode cannot start worker processes for this job's model");
    let model: WorkerModel;
    try {
      model = context.workerModel();
    } catch (error) {
      throw new JobFailure(`ClientError: the model could not be loaded: ${(error as Error).message}`);
    }
    // The instances share this machine's cores: each session gets its share, not all of them each.
    model = { ...model, options: { threads: threadsPerCopy(journal.instanceCount), ...model.options } };
    // The first instance that fails stops the others, as one failed object fails a SageMaker job.
    const stopOthers = new AbortController();
    const onAbort = () => stopOthers.abort();
    context.signal.addEventListener("abort", onAbort, { once: true });
    try {
      outcomes = await Promise.all(
        shards.map((shard, instance) =>
          runWorkerInstance({ instance, job, tasks: shard, workDir: context.workDir, model, checkpointMs: context.checkpointMs }, context.log, stopOthers.signal).then((outcome) => {
            if (outcome.status === "Failed") stopOthers.abort();
            return outcome;
          }),
        ),
      );
    } finally {
      context.signal.removeEventListener("abort", onAbort);
    }
  }

  const failed = outcomes.find((outcome): outcome is Extract<InstanceOutcome, { status: "Failed" }> => outcome.status === "Failed");
  if (failed) return { status: "Failed", reason: failed.reason };
  if (outcomes.some((outcome) => outcome.status === "Stopped")) return { status: "Stopped" };
  const progress = readTransformProgress(context.workDir);
  if (progress.objectsDone !== progress.objectsTotal) {
    return { status: "Failed", reason: `InternalServerError: ${progress.objectsTotal - progress.objectsDone} of ${progress.objectsTotal} input objects were not answered` };
  }
  for (const instance of progress.instances) {
    context.log(
      `transform job ${job.TransformJobName}: instance ${instance.instance + 1} (pid ${instance.pid}) answered ${instance.records} records of ${instance.files.length} objects, peak RSS ${instance.peakRssMB.toFixed(0)} MB`,
    );
  }
  return { status: "Completed", records: progress.records, instances: progress.instances };
}

/** The worker's module next to this one (`.ts` under tsx, `.js` when built). */
function workerModulePath(): string {
  return join(__dirname, `transformWorker${extname(__filename)}`);
}

/** Node flags for the worker: the TypeScript loader when running from source. */
function workerExecArgv(): string[] {
  if (extname(__filename) !== ".ts") return [];
  return ["--import", pathToFileURL(require.resolve("tsx")).href];
}

/** Runs one instance in its own process; resolves with its outcome (a crash is a failure). */
function runWorkerInstance(start: WorkerStart, log: (message: string) => void, signal: AbortSignal): Promise<InstanceOutcome> {
  return new Promise((resolve) => {
    const child = fork(workerModulePath(), [], { execArgv: workerExecArgv(), stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "json" });
    let outcome: InstanceOutcome | undefined;
    const stop = () => {
      if (child.connected) child.send({ type: "stop" });
    };
    signal.addEventListener("abort", stop, { once: true });
    child.on("message", (message: WorkerMessage) => {
      if (message.type === "log") log(message.message);
      else if (message.type === "outcome") outcome = message.outcome;
    });
    child.once("spawn", () => {
      child.send({ type: "start", start });
      if (signal.aborted) stop();
    });
    child.once("error", (error) => {
      outcome ??= { status: "Failed", reason: `InternalServerError: instance ${start.instance + 1} could not start: ${error.message}` };
    });
    child.once("close", (code, exitSignal) => {
      signal.removeEventListener("abort", stop);
      resolve(
        outcome ?? {
          status: "Failed",
          reason: `InternalServerError: instance ${start.instance + 1} (pid ${child.pid}) ended (${exitSignal ?? `exit code ${code}`}) before finishing its objects`,
        },
      );
    });
  });
}

/** How a worker process loads the model a job's container names (the host's load options, minus callbacks). */
export function workerModelFor(host: ModelHost, container: ContainerDefinition): WorkerModel {
  const { model, dtype } = host.modelLocation(container);
  const { batchSize, offline, cacheDir, threads } = host.loadOptions;
  const options: WorkerModel["options"] = { batchSize, offline, cacheDir, threads, dtype: dtype ?? host.loadOptions.dtype };
  return { model, options: Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) };
}

const JOB_STATUSES = new Set(["InProgress", "Completed", "Failed", "Stopping", "Stopped"]);

/** Why a stored transform job record cannot be used (the emulator wrote it, so anything else is damage), or `undefined`. */
export function transformJobRecordProblem(record: unknown): string | undefined {
  const job = record as Partial<TransformJobSpec & { TransformJobStatus: string }> | null;
  if (typeof job !== "object" || job === null || Array.isArray(job)) return "is not a JSON object";
  if (typeof job.TransformJobName !== "string") return "has no TransformJobName";
  if (typeof job.TransformJobStatus !== "string" || !JOB_STATUSES.has(job.TransformJobStatus)) return `has no valid TransformJobStatus (${JSON.stringify(job.TransformJobStatus)})`;
  if (typeof job.TransformInput?.DataSource?.S3DataSource?.S3Uri !== "string") return "has no TransformInput S3Uri";
  if (typeof job.TransformOutput?.S3OutputPath !== "string") return "has no TransformOutput S3OutputPath";
  return undefined;
}

/** The Failed job that stands for a record the emulator cannot read back, with a reason naming the damage. */
export function damagedTransformJob(name: string, reason: string, arn: string): Record<string, unknown> {
  const now = Date.now() / 1000;
  return {
    TransformJobName: name,
    TransformJobArn: arn,
    TransformJobStatus: "Failed",
    FailureReason:
      `InternalServerError: local mode's record of this job (control-plane/transform-jobs/${name}.json) ${reason}, so the job cannot resume; ` +
      `the damaged file is kept as ${name}.json.damaged: create the job again under a new name`,
    CreationTime: now,
    TransformEndTime: now,
    LastModifiedTime: now,
  };
}

/** Checks the instance settings local mode can honour, as CreateTransformJob's validation. */
export function validateTransformResources(input: { TransformResources?: unknown; MaxConcurrentTransforms?: unknown }): void {
  const resources = input.TransformResources as { InstanceCount?: unknown } | undefined;
  const count = resources?.InstanceCount;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
    throw invalidField("transformResources.instanceCount", count, "Member must have value greater than or equal to 1");
  }
  if (count > MAX_LOCAL_INSTANCES) {
    throw new SageMakerApiError("ValidationException", `local mode runs up to ${MAX_LOCAL_INSTANCES} instances per transform job (one process with its own model each), not ${count}`);
  }
  const concurrent = input.MaxConcurrentTransforms;
  if (concurrent !== undefined && (typeof concurrent !== "number" || !Number.isInteger(concurrent) || concurrent < 0)) {
    throw invalidField("maxConcurrentTransforms", concurrent, "Member must have value greater than or equal to 0");
  }
}

/**
 * A running job's progress as local mode adds it to DescribeTransformJob (`LocalProgress`, not part of
 * AWS's API: the AWS SDKs drop it, a raw JSON client sees it).
 */
export interface LocalTransformProgress {
  RecordsAnswered: number;
  ObjectsAnswered: number;
  ObjectsTotal: number;
  Instances: { Instance: number; ProcessId: number; Objects: number; RecordsAnswered: number }[];
}

export function localProgress(progress: TransformProgress): LocalTransformProgress {
  return {
    RecordsAnswered: progress.records,
    ObjectsAnswered: progress.objectsDone,
    ObjectsTotal: progress.objectsTotal,
    Instances: progress.instances.map((instance) => ({
      Instance: instance.instance + 1,
      ProcessId: instance.pid,
      Objects: instance.files.length,
      RecordsAnswered: instance.files.reduce((sum, index) => sum + (progress.recordsByObject[index] ?? 0), 0),
    })),
  };
}
