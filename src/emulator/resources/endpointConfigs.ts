/** CreateEndpointConfig, DescribeEndpointConfig, DeleteEndpointConfig and ListEndpointConfigs. */
import type {
  CreateEndpointConfigInput,
  CreateEndpointConfigOutput,
  DeleteEndpointConfigInput,
  DescribeEndpointConfigInput,
  DescribeEndpointConfigOutput,
  ListEndpointConfigsInput,
  ListEndpointConfigsOutput,
  ProductionVariant as SdkProductionVariant,
} from "@aws-sdk/client-sagemaker";
import { join } from "node:path";
import { alreadyExists, invalidField, notFound, SageMakerApiError } from "../apiErrors";
import { listPage } from "../listPaging";
import { ResourceStore } from "../store";
import { requireName } from "../validation";
import type { Models } from "./models";
import { now, resourceArn, toDate, type RequestContext } from "./resource";

/** A production variant as stored: the request's variant with the names it must have. */
export type ProductionVariant = SdkProductionVariant & { VariantName: string; ModelName: string };

export interface EndpointConfigRecord {
  EndpointConfigName: string;
  EndpointConfigArn: string;
  ProductionVariants: ProductionVariant[];
  /** The ML storage volume's KMS key, as given. */
  KmsKeyId?: string;
  CreationTime: number;
}

export class EndpointConfigs {
  private readonly store: ResourceStore<EndpointConfigRecord>;

  constructor(
    stateDir: string,
    private readonly models: Models,
  ) {
    this.store = new ResourceStore(join(stateDir, "endpoint-configs"));
  }

  /** The config named `name`, or SageMaker's "Could not find endpoint configuration" error. */
  require(name: string, context: RequestContext): EndpointConfigRecord {
    const config = this.store.get(name);
    if (!config) throw notFound("endpoint configuration", resourceArn(context, "endpoint-config", name));
    return config;
  }

  create(input: CreateEndpointConfigInput, context: RequestContext): CreateEndpointConfigOutput {
    const name = requireName(input.EndpointConfigName, "EndpointConfigName");
    const arn = resourceArn(context, "endpoint-config", name);
    if (this.store.has(name)) throw alreadyExists("endpoint configuration", arn);
    const variants = input.ProductionVariants;
    if (!Array.isArray(variants) || variants.length === 0) {
      throw invalidField("productionVariants", variants, "Member must have length greater than or equal to 1");
    }
    if (variants.length > 1) {
      throw new SageMakerApiError("ValidationException", `local mode serves one production variant per endpoint; this config has ${variants.length}`);
    }
    const checked = variants.map((variant, index): ProductionVariant => {
      const field = `productionVariants.${index + 1}.member`;
      const modelName = requireName(variant.ModelName, `${field}.modelName`);
      const variantName = requireName(variant.VariantName, `${field}.variantName`);
      this.models.require(modelName, context);
      return { ...variant, VariantName: variantName, ModelName: modelName };
    });
    this.store.put(name, {
      EndpointConfigName: name,
      EndpointConfigArn: arn,
      ProductionVariants: checked,
      ...(input.KmsKeyId !== undefined ? { KmsKeyId: input.KmsKeyId } : {}),
      CreationTime: now(),
    });
    return { EndpointConfigArn: arn };
  }

  describe(input: DescribeEndpointConfigInput, context: RequestContext): DescribeEndpointConfigOutput {
    const config = this.require(requireName(input.EndpointConfigName, "EndpointConfigName"), context);
    return { ...config, CreationTime: toDate(config.CreationTime) };
  }

  delete(input: DeleteEndpointConfigInput, context: RequestContext): Record<string, never> {
    const name = requireName(input.EndpointConfigName, "EndpointConfigName");
    if (!this.store.delete(name)) throw notFound("endpoint configuration", resourceArn(context, "endpoint-config", name));
    return {};
  }

  list(input: ListEndpointConfigsInput): ListEndpointConfigsOutput {
    const page = listPage(this.store.values(), input, {
      summary: (c) => ({ EndpointConfigName: c.EndpointConfigName, EndpointConfigArn: c.EndpointConfigArn, CreationTime: toDate(c.CreationTime) }),
      nameOf: (c) => c.EndpointConfigName,
    });
    return { EndpointConfigs: page.items, ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}) };
  }
}
