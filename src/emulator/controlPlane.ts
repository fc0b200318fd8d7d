/**
 * The SageMaker control-plane operations local mode serves, with AWS's states and errors. Each kind of
 * resource has its own file under ./resources (models, endpoint configs, endpoints, transform jobs);
 * this file only routes an operation name to its handler. Requests and responses use the API's own
 * types (`CreateModelInput`, `DescribeEndpointOutput` ...), so the AWS SDK's serializers read them unchanged.
 */
import { join } from "node:path";
import { SageMakerApiError } from "./apiErrors";
import type { ModelHost } from "./modelHost";
import type { ObjectStore } from "./objectStore";
import { EndpointConfigs } from "./resources/endpointConfigs";
import { Endpoints, type EndpointServing } from "./resources/endpoints";
import { Models } from "./resources/models";
import type { RequestContext } from "./resources/resource";
import { TransformJobs } from "./resources/transformJobs";
import { LOCAL_REGION } from "../aws/localAccount";
import { AUTOSCALING_TARGET_PREFIX, LocalAutoScaling } from "./autoscaling";
import type { JumpStartModels } from "./jumpStartModels";
import { ResourceTags } from "./resources/tags";
import { checkEndpointConfigSecurity, checkEndpointSecurity, checkModelSecurity, checkTransformJobSecurity } from "./security";
import { resourceArn } from "./resources/resource";
import type { Tag } from "@aws-sdk/client-sagemaker";

export interface ControlPlaneOptions {
  dataDir: string;
  objects: ObjectStore;
  host: ModelHost;
  log: (message: string) => void;
  /** Remembers JumpStart models' containers (from their tags) so the host can serve them. */
  jumpStart?: JumpStartModels;
  /** How often running transform jobs checkpoint (ms); see `LocalSageMakerOptions.transformCheckpointMs`. */
  checkpointMs?: number;
}

/** One operation: the request body (already parsed JSON) and the request's context in, the response out. */
type Operation = (input: never, context: RequestContext) => object | Promise<object>;

export class LocalControlPlane {
  private readonly models: Models;
  private readonly endpointConfigs: EndpointConfigs;
  private readonly endpoints: Endpoints;
  private readonly transformJobs: TransformJobs;
  private readonly autoscaling: LocalAutoScaling;
  private readonly host: ModelHost;
  /** The operations by name: a Map, so only the names registered here dispatch (never `valueOf`, `constructor` ...). */
  private readonly operations: ReadonlyMap<string, Operation>;

  constructor(options: ControlPlaneOptions) {
    const stateDir = join(options.dataDir, "control-plane");
    this.host = options.host;
    this.models = new Models(stateDir, (container) => options.host.localFiles(container));
    this.endpointConfigs = new EndpointConfigs(stateDir, this.models);
    this.endpoints = new Endpoints(stateDir, this.models, this.endpointConfigs, options.host, options.log);
    this.transformJobs = new TransformJobs(this.models, { stateDir, dataDir: options.dataDir, objects: options.objects, host: options.host, log: options.log, checkpointMs: options.checkpointMs });
    const { models, endpointConfigs, endpoints, transformJobs } = this;
    const tags = new ResourceTags(stateDir);
    this.autoscaling = new LocalAutoScaling(stateDir, async (endpointName, region) => {
      try {
        return (endpoints.describe({ EndpointName: endpointName }, { region }).ProductionVariants ?? []).map((variant) => variant.VariantName!);
      } catch {
        return undefined;
      }
    });
    /** A Create call: its security fields checked as SageMaker checks them, its Tags kept for ListTags. */
    const create =
      <I extends { Tags?: Tag[] }>(check: (input: I) => void, handler: (input: I, context: RequestContext) => object | Promise<object>, onCreated?: (input: I) => void): Operation =>
      (async (input: I, context: RequestContext) => {
        if (typeof input === "object" && input !== null) check(input); // a body that is no object is the handler's to refuse
        const output = (await handler(input, context)) as Record<string, unknown>;
        const arn = Object.entries(output).find(([key]) => key.endsWith("Arn"))?.[1];
        if (typeof arn === "string") tags.set(arn, input.Tags);
        onCreated?.(input);
        return output;
      }) as Operation;
    /** A Delete call: the resource's tags go with it. */
    const remove =
      <I>(kind: string, nameField: keyof I & string, handler: (input: I, context: RequestContext) => object): Operation =>
      ((input: I, context: RequestContext) => {
        const output = handler(input, context);
        tags.remove(resourceArn(context, kind, String(input[nameField])));
        return output;
      }) as Operation;
    this.operations = new Map<string, Operation>([
      ["CreateModel", create(checkModelSecurity, models.create.bind(models), (input) => options.jumpStart?.remember(input.PrimaryContainer ?? input.Containers?.[0], input.Tags))],
      ["DescribeModel", models.describe.bind(models)],
      ["DeleteModel", remove("model", "ModelName", models.delete.bind(models))],
      ["ListModels", models.list.bind(models)],
      ["CreateEndpointConfig", create(checkEndpointConfigSecurity, endpointConfigs.create.bind(endpointConfigs))],
      ["DescribeEndpointConfig", endpointConfigs.describe.bind(endpointConfigs)],
      ["DeleteEndpointConfig", remove("endpoint-config", "EndpointConfigName", endpointConfigs.delete.bind(endpointConfigs))],
      ["ListEndpointConfigs", endpointConfigs.list.bind(endpointConfigs)],
      ["CreateEndpoint", create(checkEndpointSecurity, endpoints.create.bind(endpoints))],
      ["DescribeEndpoint", endpoints.describe.bind(endpoints)],
      ["DeleteEndpoint", remove("endpoint", "EndpointName", endpoints.delete.bind(endpoints))],
      ["ListEndpoints", endpoints.list.bind(endpoints)],
      ["ListTags", tags.list.bind(tags)],
      ["CreateTransformJob", create(checkTransformJobSecurity, transformJobs.create.bind(transformJobs))],
      ["DescribeTransformJob", transformJobs.describe.bind(transformJobs)],
      ["StopTransformJob", transformJobs.stop.bind(transformJobs)],
      ["ListTransformJobs", transformJobs.list.bind(transformJobs)],
    ]);
  }

  /** After a restart: bring endpoints back and resume unfinished transform jobs. */
  recover(): void {
    this.endpoints.recover();
    this.transformJobs.recover();
  }

  /** Stops background work (running jobs stop at a checkpoint and resume on the next start). */
  async close(): Promise<void> {
    await this.transformJobs.close();
    await this.host.close();
  }

  /** Runs one operation; `region` is the one the request was signed for. */
  async call(operationName: string, input: object, region = LOCAL_REGION): Promise<object> {
    if (operationName.startsWith(AUTOSCALING_TARGET_PREFIX)) return this.autoscaling.call(operationName.slice(AUTOSCALING_TARGET_PREFIX.length), input, region);
    const operation = this.operations.get(operationName);
    if (!operation) {
      throw new SageMakerApiError(
        "UnknownOperationException",
        `local mode does not implement SageMaker.${operationName}: it serves ${[...this.operations.keys()].join(", ")}`,
      );
    }
    // The one place the wire JSON meets the SDK's input types; each handler checks the fields it reads.
    return (operation as (input: object, context: RequestContext) => object | Promise<object>)(input, { region });
  }

  /** The classifier behind an InService endpoint (waiting for a load in progress), or why there is none. */
  endpointClassifier(name: string): Promise<EndpointServing> {
    return this.endpoints.classifier(name);
  }
}
