/**
 * CreateTransformJob, DescribeTransformJob, StopTransformJob and ListTransformJobs: a job's record and
 * its life (`InProgress` -> `Completed` | `Failed` | `Stopping` -> `Stopped`). The runner that reads,
 * answers and journals the records is `runTransformJob` (../transformJob.ts).
 */
import type {
  CreateTransformJobRequest,
  CreateTransformJobResponse,
  DescribeTransformJobRequest,
  DescribeTransformJobResponse,
  ListTransformJobsRequest,
  ListTransformJobsResponse,
  StopTransformJobRequest,
} from "@aws-sdk/client-sagemaker";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseS3Uri } from "../../aws/s3Uri";
import { SageMakerApiError } from "../apiErrors";
import { listPage } from "../listPaging";
import type { ContainerDefinition, ModelHost } from "../modelHost";
import type { ObjectStore } from "../objectStore";
import { ResourceStore } from "../store";
import { damagedTransformJob, localProgress, readTransformProgress, runTransformJob, transformJobRecordProblem, validateTransformResources, workerModelFor, type LocalTransformProgress, type TransformJobSpec } from "../transformJob";
import { LOCAL_REGION } from "../../aws/localAccount";
import { requireName, validateTransformJob } from "../validation";
import type { Models } from "./models";
import { now, resourceArn, toDate, type RequestContext } from "./resource";

/** A job as stored: the request as sent (returned by DescribeTransformJob), its checked settings and its state. */
export type TransformJobRecord = CreateTransformJobRequest &
  TransformJobSpec & {
    TransformJobArn: string;
    ModelName: string;
    TransformJobStatus: "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";
    FailureReason?: string;
    CreationTime: number;
    TransformStartTime?: number;
    TransformEndTime?: number;
    LastModifiedTime: number;
    _container: ContainerDefinition;
  };

export interface TransformJobsOptions {
  stateDir: string;
  /** Jobs keep their journals and partial outputs under `<dataDir>/transform-jobs/<name>`. */
  dataDir: string;
  objects: ObjectStore;
  host: ModelHost;
  log: (message: string) => void;
  /** Checkpoint running jobs at least this often (ms). Default 250. */
  checkpointMs?: number;
}

function jobNotFound(name: string): SageMakerApiError {
  return new SageMakerApiError("ResourceNotFound", `Could not find requested job with name ${name}`);
}

export class TransformJobs {
  private readonly store: ResourceStore<TransformJobRecord>;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private closed = false;

  constructor(
    private readonly models: Models,
    private readonly options: TransformJobsOptions,
  ) {
    // A record that cannot be read back becomes a Failed job naming the damage, not a job that vanished.
    this.store = new ResourceStore<TransformJobRecord>(join(options.stateDir, "transform-jobs"), {
      check: transformJobRecordProblem,
      replace: (name, reason) => damagedTransformJob(name, reason, resourceArn({ region: LOCAL_REGION }, "transform-job", name)) as unknown as TransformJobRecord,
    });
  }

  /** After a restart: unfinished jobs resume, jobs being stopped end Stopped. */
  recover(): void {
    for (const job of this.store.values()) {
      if (job.TransformJobStatus === "InProgress") this.start(job);
      else if (job.TransformJobStatus === "Stopping") this.finish(job, { TransformJobStatus: "Stopped" });
    }
  }

  /** Stops background work (running jobs stop at a checkpoint and resume on the next start). */
  async close(): Promise<void> {
    this.closed = true;
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.all([...this.running.values()].map(({ done }) => done));
  }

  create(input: CreateTransformJobRequest, context: RequestContext): CreateTransformJobResponse {
    const name = requireName(input.TransformJobName, "TransformJobName");
    const arn = resourceArn(context, "transform-job", name);
    if (this.store.has(name)) {
      throw new SageMakerApiError("ResourceInUse", `Job name must be unique within an AWS account and region, and a job with this name already exists (${arn})`);
    }
    const modelName = requireName(input.ModelName, "ModelName");
    const model = this.models.require(modelName, context);
    const spec = validateTransformJob(input);
    validateTransformResources(input);
    this.checkLocation(spec.TransformInput.DataSource.S3DataSource.S3Uri, "TransformInput.DataSource.S3DataSource.S3Uri");
    this.checkLocation(spec.TransformOutput.S3OutputPath, "TransformOutput.S3OutputPath");
    const time = now();
    const job = this.store.put(name, {
      ...input,
      ...spec,
      TransformJobName: name,
      TransformJobArn: arn,
      ModelName: modelName,
      TransformJobStatus: "InProgress",
      CreationTime: time,
      TransformStartTime: time,
      LastModifiedTime: time,
      _container: model.PrimaryContainer,
    });
    this.start(job);
    return { TransformJobArn: arn };
  }

  describe(input: DescribeTransformJobRequest): DescribeTransformJobResponse & { LocalProgress?: LocalTransformProgress } {
    const name = requireName(input.TransformJobName, "TransformJobName");
    const job = this.store.get(name);
    if (!job) throw jobNotFound(name);
    const { _container, CreationTime, TransformStartTime, TransformEndTime, ...fields } = job;
    const running = job.TransformJobStatus === "InProgress" || job.TransformJobStatus === "Stopping";
    return {
      ...fields,
      CreationTime: toDate(CreationTime),
      ...(TransformStartTime !== undefined ? { TransformStartTime: toDate(TransformStartTime) } : {}),
      ...(TransformEndTime !== undefined ? { TransformEndTime: toDate(TransformEndTime) } : {}),
      ...(running ? { LocalProgress: localProgress(readTransformProgress(this.workDir(name))) } : {}),
    };
  }

  private workDir(name: string): string {
    return join(this.options.dataDir, "transform-jobs", name);
  }

  stop(input: StopTransformJobRequest): Record<string, never> {
    const name = requireName(input.TransformJobName, "TransformJobName");
    const job = this.store.get(name);
    if (!job) throw jobNotFound(name);
    if (job.TransformJobStatus === "InProgress") {
      this.store.update(name, { TransformJobStatus: "Stopping", LastModifiedTime: now() });
      this.running.get(name)?.controller.abort();
    }
    return {};
  }

  list(input: ListTransformJobsRequest): ListTransformJobsResponse {
    const page = listPage(this.store.values(), input, {
      summary: (j) => ({
        TransformJobName: j.TransformJobName,
        TransformJobArn: j.TransformJobArn,
        CreationTime: toDate(j.CreationTime),
        TransformEndTime: j.TransformEndTime === undefined ? undefined : toDate(j.TransformEndTime),
        LastModifiedTime: toDate(j.LastModifiedTime),
        TransformJobStatus: j.TransformJobStatus,
        FailureReason: j.FailureReason,
      }),
      nameOf: (j) => j.TransformJobName,
      statusOf: (j) => j.TransformJobStatus,
    });
    return { TransformJobSummaries: page.items, ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}) };
  }

  /** An s3:// location needs a valid bucket name; a file:// one must lie under an allowed folder. */
  private checkLocation(uri: string, field: string): void {
    if (uri.startsWith("file://")) this.options.objects.filePath(uri, field);
    else this.options.objects.bucketPath(parseS3Uri(uri).bucket);
  }

  private start(job: TransformJobRecord): void {
    if (this.closed) return;
    const name = job.TransformJobName;
    const controller = new AbortController();
    const workDir = this.workDir(name);
    const done = runTransformJob(job, {
      workDir,
      objects: this.options.objects,
      classifier: () => this.options.host.load(job._container),
      workerModel: () => workerModelFor(this.options.host, job._container),
      log: this.options.log,
      signal: controller.signal,
      checkpointMs: this.options.checkpointMs,
    }).then((outcome) => {
      this.running.delete(name);
      if (outcome.status === "Stopped" && this.closed && job.TransformJobStatus === "InProgress") return; // resumes on restart
      const change: Partial<TransformJobRecord> =
        outcome.status === "Completed"
          ? { TransformJobStatus: "Completed" }
          : outcome.status === "Failed"
            ? { TransformJobStatus: "Failed", FailureReason: outcome.reason }
            : { TransformJobStatus: "Stopped" };
      this.finish(job, change);
      rmSync(workDir, { recursive: true, force: true });
      this.options.log(
        `transform job ${name}: ${change.TransformJobStatus}` +
          (outcome.status === "Completed" ? ` (${outcome.records} records)` : outcome.status === "Failed" ? `: ${outcome.reason}` : ""),
      );
    });
    this.running.set(name, { controller, done });
  }

  private finish(job: TransformJobRecord, change: Partial<TransformJobRecord>): void {
    const time = now();
    this.store.update(job.TransformJobName, { ...change, TransformEndTime: time, LastModifiedTime: time });
  }
}
