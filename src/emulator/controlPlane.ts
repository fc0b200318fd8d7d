/**
 * The SageMaker control-plane operations local mode serves, with AWS's states and errors: models,
 * endpoint configs and endpoints (`Creating` -> `InService`, or `Failed` with a FailureReason), and
 * batch transform jobs (`InProgress` -> `Completed` | `Failed` | `Stopped`). Requests and responses use
 * the API's own field names, so the AWS SDK's serializers read them unchanged.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { ZeroShotClassifier } from "../classification/classifier";
import { MicroBatchingScorer } from "../scorers/microBatchingScorer";
import { alreadyExists, invalidField, notFound, SageMakerApiError } from "./apiErrors";
import { ModelHost, type ContainerDefinition } from "./modelHost";
import type { ObjectStore } from "./objectStore";
import { ResourceStore } from "./store";
import { damagedTransformJob, runTransformJob, transformJobRecordProblem, validateTransformResources, workerModelFor, type TransformJobSpec } from "./transformJob";

/** The account in local ARNs. */
export const LOCAL_ACCOUNT_ID = "000000000000";

type Json = Record<string, unknown>;

interface ModelRecord {
  ModelName: string;
  ModelArn: string;
  PrimaryContainer: ContainerDefinition;
  ExecutionRoleArn?: string;
  CreationTime: number;
}

interface ProductionVariant {
  VariantName: string;
  ModelName: string;
  InitialInstanceCount?: number;
  InstanceType?: string;
  InitialVariantWeight?: number;
}

interface EndpointConfigRecord {
  EndpointConfigName: string;
  EndpointConfigArn: string;
  ProductionVariants: ProductionVariant[];
  CreationTime: number;
}

interface EndpointRecord {
  EndpointName: string;
  EndpointArn: string;
  EndpointConfigName: string;
  EndpointStatus: "Creating" | "InService" | "Failed" | "Deleting";
  FailureReason?: string;
  CreationTime: number;
  LastModifiedTime: number;
  /** The variant and its model's container, copied at creation as AWS does. */
  _variant: ProductionVariant;
  _container: ContainerDefinition;
}

interface TransformJobRecord extends TransformJobSpec {
  TransformJobArn: string;
  ModelName: string;
  TransformJobStatus: "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";
  FailureReason?: string;
  TransformResources?: Json;
  CreationTime: number;
  TransformStartTime?: number;
  TransformEndTime?: number;
  LastModifiedTime: number;
  _container: ContainerDefinition;
}

const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const now = () => Date.now() / 1000;

/** Removes the emulator's own bookkeeping (fields starting with "_") from a response. */
function publicFields<T extends object>(record: T): Json {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !key.startsWith("_")));
}

function requireName(input: Json, field: string): string {
  const value = input[field];
  if (typeof value !== "string" || !NAME_PATTERN.test(value)) {
    throw invalidField(field.charAt(0).toLowerCase() + field.slice(1), value, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  }
  return value;
}

export interface ControlPlaneOptions {
  dataDir: string;
  objects: ObjectStore;
  host: ModelHost;
  log: (message: string) => void;
}

export class LocalControlPlane {
  private readonly models: ResourceStore<ModelRecord>;
  private readonly endpointConfigs: ResourceStore<EndpointConfigRecord>;
  private readonly endpoints: ResourceStore<EndpointRecord>;
  private readonly transformJobs: ResourceStore<TransformJobRecord>;
  /** Loaded classifiers of endpoints, by endpoint name; a pending load is a promise. */
  private readonly serving = new Map<string, Promise<ZeroShotClassifier>>();
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private region = "us-east-1";
  private closed = false;

  constructor(private readonly options: ControlPlaneOptions) {
    const state = join(options.dataDir, "control-plane");
    this.models = new ResourceStore(join(state, "models"));
    this.endpointConfigs = new ResourceStore(join(state, "endpoint-configs"));
    this.endpoints = new ResourceStore(join(state, "endpoints"));
    this.transformJobs = new ResourceStore<TransformJobRecord>(join(state, "transform-jobs"), {
      check: transformJobRecordProblem,
      replace: (name, reason) => damagedTransformJob(name, reason, this.arn("transform-job", name)) as unknown as TransformJobRecord,
    });
  }

  /** After a restart: bring endpoints back and resume unfinished transform jobs. */
  recover(): void {
    for (const endpoint of this.endpoints.values()) {
      if (endpoint.EndpointStatus === "Deleting") this.endpoints.delete(endpoint.EndpointName);
      else if (endpoint.EndpointStatus !== "Failed") this.startEndpoint(endpoint);
    }
    for (const job of this.transformJobs.values()) {
      if (job.TransformJobStatus === "InProgress") this.startTransformJob(job);
      else if (job.TransformJobStatus === "Stopping") this.finishJob(job, { TransformJobStatus: "Stopped" });
    }
  }

  /** Stops background work (running jobs stop at a checkpoint and resume on the next start). */
  async close(): Promise<void> {
    this.closed = true;
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.all([...this.running.values()].map(({ done }) => done));
  }

  private arn(kind: string, name: string): string {
    return `arn:aws:sagemaker:${this.region}:${LOCAL_ACCOUNT_ID}:${kind}/${name.toLowerCase()}`;
  }

  /** Runs one operation; `region` is taken from the request's signature. */
  async call(operation: string, input: Json, region?: string): Promise<Json> {
    if (region) this.region = region;
    const handler = this.operations[operation];
    if (!handler) {
      throw new SageMakerApiError(
        "UnknownOperationException",
        `local mode does not implement SageMaker.${operation}: it serves ${Object.keys(this.operations).join(", ")}`,
      );
    }
    return handler.call(this, input);
  }

  /** The classifier behind an InService endpoint (waiting for a load in progress), or why there is none. */
  async endpointClassifier(name: string): Promise<{ classifier?: ZeroShotClassifier; status?: string; variant?: string }> {
    const endpoint = this.endpoints.get(name);
    if (!endpoint) return {};
    const loading = this.serving.get(name);
    if (endpoint.EndpointStatus !== "InService" || !loading) return { status: endpoint.EndpointStatus };
    try {
      return { classifier: await loading, variant: endpoint._variant.VariantName };
    } catch {
      return { status: "Failed" };
    }
  }

  private readonly operations: Record<string, (this: LocalControlPlane, input: Json) => Promise<Json> | Json> = {
    CreateModel(input) {
      const name = requireName(input, "ModelName");
      const arn = this.arn("model", name);
      if (this.models.has(name)) throw alreadyExists("model", arn);
      const containers = input.Containers as ContainerDefinition[] | undefined;
      const container = (input.PrimaryContainer as ContainerDefinition | undefined) ?? containers?.[0];
      if (!container) throw invalidField("primaryContainer", null, "a model needs a PrimaryContainer with Image and Environment");
      this.models.put(name, {
        ModelName: name,
        ModelArn: arn,
        PrimaryContainer: container,
        ExecutionRoleArn: input.ExecutionRoleArn as string | undefined,
        CreationTime: now(),
      });
      return { ModelArn: arn };
    },
    DescribeModel(input) {
      const name = requireName(input, "ModelName");
      const model = this.models.get(name);
      if (!model) throw notFound("model", this.arn("model", name));
      return publicFields(model);
    },
    DeleteModel(input) {
      const name = requireName(input, "ModelName");
      if (!this.models.delete(name)) throw notFound("model", this.arn("model", name));
      return {};
    },
    ListModels(input) {
      return list(this.models.values(), input, "Models", (m) => ({ ModelName: m.ModelName, ModelArn: m.ModelArn, CreationTime: m.CreationTime }), (m) => m.ModelName);
    },

    CreateEndpointConfig(input) {
      const name = requireName(input, "EndpointConfigName");
      const arn = this.arn("endpoint-config", name);
      if (this.endpointConfigs.has(name)) throw alreadyExists("endpoint configuration", arn);
      const variants = input.ProductionVariants as ProductionVariant[] | undefined;
      if (!Array.isArray(variants) || variants.length === 0) {
        throw invalidField("productionVariants", variants, "Member must have length greater than or equal to 1");
      }
      if (variants.length > 1) {
        throw new SageMakerApiError("ValidationException", `local mode serves one production variant per endpoint; this config has ${variants.length}`);
      }
      for (const variant of variants) {
        if (!this.models.has(variant.ModelName)) throw notFound("model", this.arn("model", variant.ModelName));
      }
      this.endpointConfigs.put(name, { EndpointConfigName: name, EndpointConfigArn: arn, ProductionVariants: variants, CreationTime: now() });
      return { EndpointConfigArn: arn };
    },
    DescribeEndpointConfig(input) {
      const name = requireName(input, "EndpointConfigName");
      const config = this.endpointConfigs.get(name);
      if (!config) throw notFound("endpoint configuration", this.arn("endpoint-config", name));
      return publicFields(config);
    },
    DeleteEndpointConfig(input) {
      const name = requireName(input, "EndpointConfigName");
      if (!this.endpointConfigs.delete(name)) throw notFound("endpoint configuration", this.arn("endpoint-config", name));
      return {};
    },
    ListEndpointConfigs(input) {
      return list(
        this.endpointConfigs.values(),
        input,
        "EndpointConfigs",
        (c) => ({ EndpointConfigName: c.EndpointConfigName, EndpointConfigArn: c.EndpointConfigArn, CreationTime: c.CreationTime }),
        (c) => c.EndpointConfigName,
      );
    },

    CreateEndpoint(input) {
      const name = requireName(input, "EndpointName");
      const arn = this.arn("endpoint", name);
      if (this.endpoints.has(name)) throw alreadyExists("endpoint", arn);
      const configName = requireName(input, "EndpointConfigName");
      const config = this.endpointConfigs.get(configName);
      if (!config) throw notFound("endpoint configuration", this.arn("endpoint-config", configName));
      const variant = config.ProductionVariants[0];
      const model = this.models.get(variant.ModelName);
      if (!model) throw notFound("model", this.arn("model", variant.ModelName));
      const time = now();
      const endpoint = this.endpoints.put(name, {
        EndpointName: name,
        EndpointArn: arn,
        EndpointConfigName: configName,
        EndpointStatus: "Creating",
        CreationTime: time,
        LastModifiedTime: time,
        _variant: variant,
        _container: model.PrimaryContainer,
      });
      this.startEndpoint(endpoint);
      return { EndpointArn: arn };
    },
    DescribeEndpoint(input) {
      const name = requireName(input, "EndpointName");
      const endpoint = this.endpoints.get(name);
      if (!endpoint) throw notFound("endpoint", this.arn("endpoint", name));
      const described = publicFields(endpoint);
      if (endpoint.EndpointStatus === "InService") {
        const variant = endpoint._variant;
        const count = variant.InitialInstanceCount ?? 1;
        described.ProductionVariants = [
          {
            VariantName: variant.VariantName,
            DeployedImages: [{ SpecifiedImage: endpoint._container.Image, ResolvedImage: endpoint._container.Image, ResolutionTime: endpoint.LastModifiedTime }],
            CurrentWeight: variant.InitialVariantWeight ?? 1,
            DesiredWeight: variant.InitialVariantWeight ?? 1,
            CurrentInstanceCount: count,
            DesiredInstanceCount: count,
          },
        ];
      }
      return described;
    },
    DeleteEndpoint(input) {
      const name = requireName(input, "EndpointName");
      if (!this.endpoints.delete(name)) throw notFound("endpoint", this.arn("endpoint", name));
      this.serving.delete(name);
      this.options.log(`endpoint ${name}: deleted`);
      return {};
    },
    ListEndpoints(input) {
      return list(
        this.endpoints.values(),
        input,
        "Endpoints",
        (e) => ({ EndpointName: e.EndpointName, EndpointArn: e.EndpointArn, CreationTime: e.CreationTime, LastModifiedTime: e.LastModifiedTime, EndpointStatus: e.EndpointStatus }),
        (e) => e.EndpointName,
        (e) => e.EndpointStatus,
      );
    },

    CreateTransformJob(input) {
      const name = requireName(input, "TransformJobName");
      const arn = this.arn("transform-job", name);
      if (this.transformJobs.has(name)) {
        throw new SageMakerApiError("ResourceInUse", `Job name must be unique within an AWS account and region, and a job with this name already exists (${arn})`);
      }
      const modelName = requireName(input, "ModelName");
      const model = this.models.get(modelName);
      if (!model) throw notFound("model", this.arn("model", modelName));
      const spec = validateTransformJob(input);
      const time = now();
      const job = this.transformJobs.put(name, {
        ...(input as unknown as TransformJobSpec),
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
      this.startTransformJob(job);
      return { TransformJobArn: arn };
    },
    DescribeTransformJob(input) {
      const name = requireName(input, "TransformJobName");
      const job = this.transformJobs.get(name);
      if (!job) throw new SageMakerApiError("ResourceNotFound", `Could not find requested job with name ${name}`);
      return publicFields(job);
    },
    StopTransformJob(input) {
      const name = requireName(input, "TransformJobName");
      const job = this.transformJobs.get(name);
      if (!job) throw new SageMakerApiError("ResourceNotFound", `Could not find requested job with name ${name}`);
      if (job.TransformJobStatus === "InProgress") {
        this.transformJobs.update(name, { TransformJobStatus: "Stopping", LastModifiedTime: now() });
        this.running.get(name)?.controller.abort();
      }
      return {};
    },
    ListTransformJobs(input) {
      return list(
        this.transformJobs.values(),
        input,
        "TransformJobSummaries",
        (j) => ({
          TransformJobName: j.TransformJobName,
          TransformJobArn: j.TransformJobArn,
          CreationTime: j.CreationTime,
          TransformEndTime: j.TransformEndTime,
          LastModifiedTime: j.LastModifiedTime,
          TransformJobStatus: j.TransformJobStatus,
          FailureReason: j.FailureReason,
        }),
        (j) => j.TransformJobName,
        (j) => j.TransformJobStatus,
      );
    },
  };

  /** Loads an endpoint's model in the background: InService when it answers, Failed with the reason if not. */
  private startEndpoint(endpoint: EndpointRecord): void {
    const name = endpoint.EndpointName;
    const created = endpoint.CreationTime;
    this.options.log(`endpoint ${name}: loading ${describeModel(endpoint._container)}`);
    // Served as `zero-shot serve` serves: concurrent invocations share forward passes.
    const loading = this.options.host.load(endpoint._container).then((classifier) => new ZeroShotClassifier(new MicroBatchingScorer(classifier.scorer)));
    this.serving.set(name, loading);
    loading.then(
      () => {
        if (this.endpoints.get(name)?.CreationTime !== created) return; // deleted meanwhile
        if (endpoint.EndpointStatus !== "InService") this.endpoints.update(name, { EndpointStatus: "InService", LastModifiedTime: now() });
        this.options.log(`endpoint ${name}: InService`);
      },
      (error: unknown) => {
        if (this.endpoints.get(name)?.CreationTime !== created) return;
        this.serving.delete(name);
        const reason = (error as Error).message;
        this.endpoints.update(name, { EndpointStatus: "Failed", FailureReason: reason, LastModifiedTime: now() });
        this.options.log(`endpoint ${name}: Failed: ${reason}`);
      },
    );
  }

  private startTransformJob(job: TransformJobRecord): void {
    if (this.closed) return;
    const name = job.TransformJobName;
    const controller = new AbortController();
    const workDir = join(this.options.dataDir, "transform-jobs", name);
    const done = runTransformJob(job, {
      workDir,
      objects: this.options.objects,
      classifier: () => this.options.host.load(job._container),
      workerModel: () => workerModelFor(this.options.host, job._container),
      log: this.options.log,
      signal: controller.signal,
    }).then((outcome) => {
      this.running.delete(name);
      if (outcome.status === "Stopped" && this.closed && job.TransformJobStatus === "InProgress") return; // resumes on restart
      const change: Partial<TransformJobRecord> =
        outcome.status === "Completed"
          ? { TransformJobStatus: "Completed" }
          : outcome.status === "Failed"
            ? { TransformJobStatus: "Failed", FailureReason: outcome.reason }
            : { TransformJobStatus: "Stopped" };
      this.finishJob(job, change);
      rmSync(workDir, { recursive: true, force: true });
      this.options.log(
        `transform job ${name}: ${change.TransformJobStatus}` +
          (outcome.status === "Completed" ? ` (${outcome.records} records)` : outcome.status === "Failed" ? `: ${outcome.reason}` : ""),
      );
    });
    this.running.set(name, { controller, done });
  }

  private finishJob(job: TransformJobRecord, change: Partial<TransformJobRecord>): void {
    const time = now();
    this.transformJobs.update(job.TransformJobName, { ...change, TransformEndTime: time, LastModifiedTime: time });
  }
}

function describeModel(container: ContainerDefinition): string {
  return container.Environment?.HF_MODEL_ID ?? container.ModelDataUrl ?? "(no HF_MODEL_ID)";
}

/** Checks the batch settings local mode can honour; anything else is refused up front, as AWS would. */
function validateTransformJob(input: Json): Partial<TransformJobSpec> {
  const transformInput = input.TransformInput as TransformJobSpec["TransformInput"] | undefined;
  const transformOutput = input.TransformOutput as TransformJobSpec["TransformOutput"] | undefined;
  const uri = transformInput?.DataSource?.S3DataSource?.S3Uri;
  if (typeof uri !== "string" || !/^(s3|file):\/\//.test(uri)) {
    throw invalidField("transformInput.dataSource.s3DataSource.s3Uri", uri, "Member must be an s3:// (or, in local mode, file://) location");
  }
  const dataType = transformInput?.DataSource.S3DataSource.S3DataType ?? "S3Prefix";
  if (dataType !== "S3Prefix") throw new SageMakerApiError("ValidationException", `local mode reads S3DataType=S3Prefix only, not ${dataType}`);
  if (typeof transformOutput?.S3OutputPath !== "string" || !/^(s3|file):\/\//.test(transformOutput.S3OutputPath)) {
    throw invalidField("transformOutput.s3OutputPath", transformOutput?.S3OutputPath, "Member must be an s3:// (or, in local mode, file://) location");
  }
  const split = transformInput?.SplitType ?? "None";
  if (split !== "None" && split !== "Line") {
    throw new SageMakerApiError("ValidationException", `local mode splits input by SplitType=Line (one JSON payload per line) or None, not ${split}`);
  }
  validateTransformResources(input);
  const strategy = (input.BatchStrategy as string | undefined) ?? "SingleRecord";
  if (strategy !== "SingleRecord") {
    throw new SageMakerApiError(
      "ValidationException",
      `local mode runs BatchStrategy=SingleRecord only (the Hugging Face container parses one JSON payload per request), not ${strategy}`,
    );
  }
  if ((transformInput?.CompressionType ?? "None") !== "None") {
    throw new SageMakerApiError("ValidationException", `local mode reads uncompressed input only (CompressionType=None)`);
  }
  const assemble = transformOutput.AssembleWith ?? "None";
  if (assemble !== "None" && assemble !== "Line") throw invalidField("transformOutput.assembleWith", assemble, "Member must satisfy enum value set: [None, Line]");
  const maxPayload = input.MaxPayloadInMB;
  if (maxPayload !== undefined && (typeof maxPayload !== "number" || !Number.isInteger(maxPayload) || maxPayload < 0 || maxPayload > 100)) {
    throw invalidField("maxPayloadInMB", maxPayload, "Member must have value between 0 and 100");
  }
  const data = input.DataProcessing as Json | undefined;
  if (data && (data.InputFilter !== undefined || data.OutputFilter !== undefined || (data.JoinSource ?? "None") !== "None")) {
    throw new SageMakerApiError("ValidationException", `local mode does not apply DataProcessing filters or JoinSource: join answers to inputs on the client`);
  }
  return { BatchStrategy: strategy, MaxPayloadInMB: maxPayload as number | undefined ?? 6 };
}

/** A List* answer: NameContains / StatusEquals filters, sorting, MaxResults and NextToken paging. */
function list<T>(
  records: T[],
  input: Json,
  field: string,
  summary: (record: T) => Json,
  nameOf: (record: T) => string,
  statusOf?: (record: T) => string,
): Json {
  const contains = typeof input.NameContains === "string" ? input.NameContains.toLowerCase() : undefined;
  const status = input.StatusEquals as string | undefined;
  let selected = records.filter((record) => (!contains || nameOf(record).toLowerCase().includes(contains)) && (!status || statusOf?.(record) === status));
  const sortBy = (input.SortBy as string | undefined) ?? "CreationTime";
  const descending = (input.SortOrder as string | undefined) !== "Ascending";
  selected = selected
    .map((record) => ({ record, row: summary(record) }))
    .sort((a, b) => {
      const key = sortBy === "Name" ? "name" : sortBy === "Status" ? "status" : "time";
      const left = key === "name" ? nameOf(a.record) : key === "status" ? (statusOf?.(a.record) ?? "") : (a.row.CreationTime as number);
      const right = key === "name" ? nameOf(b.record) : key === "status" ? (statusOf?.(b.record) ?? "") : (b.row.CreationTime as number);
      const order = left < right ? -1 : left > right ? 1 : 0;
      return descending ? -order : order;
    })
    .map(({ record }) => record);
  const start = Number(input.NextToken ?? 0) || 0;
  const max = (input.MaxResults as number | undefined) ?? 10;
  const page = selected.slice(start, start + max);
  const result: Json = { [field]: page.map(summary) };
  if (start + max < selected.length) result.NextToken = String(start + max);
  return result;
}
