/** CreateModel, DescribeModel, DeleteModel and ListModels: the models endpoints and transform jobs serve. */
import type {
  CreateModelInput,
  CreateModelOutput,
  DeleteModelInput,
  DescribeModelInput,
  DescribeModelOutput,
  ListModelsInput,
  ListModelsOutput,
} from "@aws-sdk/client-sagemaker";
import { join } from "node:path";
import { alreadyExists, invalidField, notFound } from "../apiErrors";
import { listPage } from "../listPaging";
import type { ContainerDefinition } from "../modelHost";
import { ResourceStore } from "../store";
import { requireName } from "../validation";
import { now, resourceArn, toDate, type RequestContext } from "./resource";

export interface ModelRecord {
  ModelName: string;
  ModelArn: string;
  PrimaryContainer: ContainerDefinition;
  ExecutionRoleArn?: string;
  VpcConfig?: CreateModelInput["VpcConfig"];
  EnableNetworkIsolation?: boolean;
  CreationTime: number;
}

export class Models {
  private readonly store: ResourceStore<ModelRecord>;

  /** `checkContainer` refuses a container whose model files lie where local mode may not read. */
  constructor(
    stateDir: string,
    private readonly checkContainer: (container: ContainerDefinition) => void = () => {},
  ) {
    this.store = new ResourceStore(join(stateDir, "models"));
  }

  /** The model named `name`, or SageMaker's "Could not find model" error. */
  require(name: string, context: RequestContext): ModelRecord {
    const model = this.store.get(name);
    if (!model) throw notFound("model", resourceArn(context, "model", name));
    return model;
  }

  has(name: string): boolean {
    return this.store.has(name);
  }

  create(input: CreateModelInput, context: RequestContext): CreateModelOutput {
    const name = requireName(input.ModelName, "ModelName");
    const arn = resourceArn(context, "model", name);
    if (this.store.has(name)) throw alreadyExists("model", arn);
    const container = input.PrimaryContainer ?? input.Containers?.[0];
    if (!container) throw invalidField("primaryContainer", null, "a model needs a PrimaryContainer with Image and Environment");
    this.checkContainer(container);
    this.store.put(name, {
      ModelName: name,
      ModelArn: arn,
      PrimaryContainer: container,
      ExecutionRoleArn: input.ExecutionRoleArn,
      ...(input.VpcConfig !== undefined ? { VpcConfig: input.VpcConfig } : {}),
      ...(input.EnableNetworkIsolation !== undefined ? { EnableNetworkIsolation: input.EnableNetworkIsolation } : {}),
      CreationTime: now(),
    });
    return { ModelArn: arn };
  }

  describe(input: DescribeModelInput, context: RequestContext): DescribeModelOutput {
    const model = this.require(requireName(input.ModelName, "ModelName"), context);
    return { ...model, CreationTime: toDate(model.CreationTime) };
  }

  delete(input: DeleteModelInput, context: RequestContext): Record<string, never> {
    const name = requireName(input.ModelName, "ModelName");
    if (!this.store.delete(name)) throw notFound("model", resourceArn(context, "model", name));
    return {};
  }

  list(input: ListModelsInput): ListModelsOutput {
    const page = listPage(this.store.values(), input, {
      summary: (m) => ({ ModelName: m.ModelName, ModelArn: m.ModelArn, CreationTime: toDate(m.CreationTime) }),
      nameOf: (m) => m.ModelName,
    });
    return { Models: page.items, ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}) };
  }
}
