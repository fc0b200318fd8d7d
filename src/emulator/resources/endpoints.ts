/**
 * CreateEndpoint, DescribeEndpoint, DeleteEndpoint and ListEndpoints, and the endpoints' life:
 * `Creating` while the model loads, then `InService` (the runtime answers with it) or `Failed` with the
 * load error as FailureReason.
 */
import type {
  CreateEndpointInput,
  CreateEndpointOutput,
  DeleteEndpointInput,
  DescribeEndpointInput,
  DescribeEndpointOutput,
  ListEndpointsInput,
  ListEndpointsOutput,
} from "@aws-sdk/client-sagemaker";
import { join } from "node:path";
import { ZeroShotClassifier } from "../../classification/classifier";
import { MicroBatchingScorer } from "../../scorers/microBatchingScorer";
import { alreadyExists, notFound } from "../apiErrors";
import { listPage } from "../listPaging";
import type { ContainerDefinition, ModelHost } from "../modelHost";
import { ResourceStore } from "../store";
import { requireName } from "../validation";
import type { EndpointConfigs, ProductionVariant } from "./endpointConfigs";
import type { Models } from "./models";
import { now, resourceArn, toDate, type RequestContext } from "./resource";

export interface EndpointRecord {
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

/** What the runtime needs to answer an invocation: the classifier, or the endpoint's status when it has none. */
export interface EndpointServing {
  classifier?: ZeroShotClassifier;
  status?: string;
  variant?: string;
}

export class Endpoints {
  private readonly store: ResourceStore<EndpointRecord>;
  /** Loaded classifiers of endpoints, by endpoint name; a pending load is a promise. */
  private readonly serving = new Map<string, Promise<ZeroShotClassifier>>();

  constructor(
    stateDir: string,
    private readonly models: Models,
    private readonly configs: EndpointConfigs,
    private readonly host: ModelHost,
    private readonly log: (message: string) => void,
  ) {
    this.store = new ResourceStore(join(stateDir, "endpoints"));
  }

  /** After a restart: endpoints that were serving load their models again. */
  recover(): void {
    for (const endpoint of this.store.values()) {
      if (endpoint.EndpointStatus === "Deleting") this.store.delete(endpoint.EndpointName);
      else if (endpoint.EndpointStatus !== "Failed") this.start(endpoint);
    }
  }

  /** The classifier behind an InService endpoint (waiting for a load in progress), or why there is none. */
  async classifier(name: string): Promise<EndpointServing> {
    const endpoint = this.store.get(name);
    if (!endpoint) return {};
    const loading = this.serving.get(name);
    if (endpoint.EndpointStatus !== "InService" || !loading) return { status: endpoint.EndpointStatus };
    try {
      return { classifier: await loading, variant: endpoint._variant.VariantName };
    } catch {
      return { status: "Failed" };
    }
  }

  create(input: CreateEndpointInput, context: RequestContext): CreateEndpointOutput {
    const name = requireName(input.EndpointName, "EndpointName");
    const arn = resourceArn(context, "endpoint", name);
    if (this.store.has(name)) throw alreadyExists("endpoint", arn);
    const configName = requireName(input.EndpointConfigName, "EndpointConfigName");
    const config = this.configs.require(configName, context);
    const variant = config.ProductionVariants[0];
    const model = this.models.require(variant.ModelName, context);
    const time = now();
    const endpoint = this.store.put(name, {
      EndpointName: name,
      EndpointArn: arn,
      EndpointConfigName: configName,
      EndpointStatus: "Creating",
      CreationTime: time,
      LastModifiedTime: time,
      _variant: variant,
      _container: model.PrimaryContainer,
    });
    this.start(endpoint);
    return { EndpointArn: arn };
  }

  describe(input: DescribeEndpointInput, context: RequestContext): DescribeEndpointOutput {
    const name = requireName(input.EndpointName, "EndpointName");
    const endpoint = this.store.get(name);
    if (!endpoint) throw notFound("endpoint", resourceArn(context, "endpoint", name));
    const { _variant: variant, _container: container, ...fields } = endpoint;
    const described: DescribeEndpointOutput = { ...fields, CreationTime: toDate(endpoint.CreationTime), LastModifiedTime: toDate(endpoint.LastModifiedTime) };
    if (endpoint.EndpointStatus === "InService") {
      const count = variant.InitialInstanceCount ?? 1;
      described.ProductionVariants = [
        {
          VariantName: variant.VariantName,
          DeployedImages: [{ SpecifiedImage: container.Image, ResolvedImage: container.Image, ResolutionTime: toDate(endpoint.LastModifiedTime) }],
          CurrentWeight: variant.InitialVariantWeight ?? 1,
          DesiredWeight: variant.InitialVariantWeight ?? 1,
          CurrentInstanceCount: count,
          DesiredInstanceCount: count,
        },
      ];
    }
    return described;
  }

  delete(input: DeleteEndpointInput, context: RequestContext): Record<string, never> {
    const name = requireName(input.EndpointName, "EndpointName");
    if (!this.store.delete(name)) throw notFound("endpoint", resourceArn(context, "endpoint", name));
    this.serving.delete(name);
    this.log(`endpoint ${name}: deleted`);
    return {};
  }

  list(input: ListEndpointsInput): ListEndpointsOutput {
    const page = listPage(this.store.values(), input, {
      summary: (e) => ({
        EndpointName: e.EndpointName,
        EndpointArn: e.EndpointArn,
        CreationTime: toDate(e.CreationTime),
        LastModifiedTime: toDate(e.LastModifiedTime),
        EndpointStatus: e.EndpointStatus,
      }),
      nameOf: (e) => e.EndpointName,
      statusOf: (e) => e.EndpointStatus,
    });
    return { Endpoints: page.items, ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}) };
  }

  /** Loads an endpoint's model in the background: InService when it answers, Failed with the reason if not. */
  private start(endpoint: EndpointRecord): void {
    const name = endpoint.EndpointName;
    this.log(`endpoint ${name}: loading ${describeContainer(endpoint._container)}${this.host.copies}`);
    // Served as `zero-shot serve` serves: concurrent invocations share forward passes.
    const loading = this.host.load(endpoint._container).then((classifier) => new ZeroShotClassifier(new MicroBatchingScorer(classifier.scorer)));
    this.serving.set(name, loading);
    loading.then(
      () => {
        // Deleted meanwhile (and perhaps created again, even within the same millisecond): not this load's endpoint.
        if (this.serving.get(name) !== loading) return;
        if (endpoint.EndpointStatus !== "InService") this.store.update(name, { EndpointStatus: "InService", LastModifiedTime: now() });
        this.log(`endpoint ${name}: InService`);
      },
      (error: unknown) => {
        if (this.serving.get(name) !== loading) return;
        this.serving.delete(name);
        const reason = (error as Error).message;
        this.store.update(name, { EndpointStatus: "Failed", FailureReason: reason, LastModifiedTime: now() });
        this.log(`endpoint ${name}: Failed: ${reason}`);
      },
    );
  }
}

/** The model a container names, for log lines. */
export function describeContainer(container: ContainerDefinition): string {
  return container.Environment?.HF_MODEL_ID ?? container.ModelDataUrl ?? "(no HF_MODEL_ID)";
}
