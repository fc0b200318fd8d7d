/**
 * The security settings of the walkthrough's create calls, in one place: the execution role, the VPC
 * the containers run in, network isolation, KMS keys and tags. They are passed to SageMaker unchanged
 * (SageMaker validates them; so does local mode, the same way), and each create call takes the fields
 * that belong to it. Inter-container traffic encryption is a setting of training and processing jobs:
 * none of the calls here (CreateModel, CreateEndpointConfig, CreateEndpoint, CreateTransformJob) has it.
 */
import type { Tag, VpcConfig } from "@aws-sdk/client-sagemaker";

export interface SecurityOptions {
  /** The IAM role SageMaker assumes to pull the image and model. Required on AWS (or `SAGEMAKER_ROLE_ARN`). */
  roleArn?: string;
  /** Private subnets and security groups for the model's containers (CreateModel VpcConfig). */
  vpcConfig?: { subnets: string[]; securityGroupIds: string[] };
  /** No outbound network calls from the container (CreateModel EnableNetworkIsolation). Default: JumpStart's spec value for JumpStart models, else unset. */
  enableNetworkIsolation?: boolean;
  /** KMS key of the ML storage volumes: the endpoint's (CreateEndpointConfig KmsKeyId) and a transform job's (VolumeKmsKeyId). */
  volumeKmsKeyId?: string;
  /** KMS key SageMaker encrypts transform output with in S3 (TransformOutput KmsKeyId). */
  outputKmsKeyId?: string;
  /** Tags on every resource created (cost allocation, access control by tag). */
  tags?: Record<string, string>;
}

/** Tags in the API's shape, extra ones (e.g. JumpStart's) first. */
export function apiTags(options: Pick<SecurityOptions, "tags">, extra: Tag[] = []): Tag[] | undefined {
  const tags = [...extra, ...Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))];
  return tags.length > 0 ? tags : undefined;
}

function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** CreateModel's security fields. */
export function modelSecurityFields(options: SecurityOptions, extraTags: Tag[] = []): { VpcConfig?: VpcConfig; EnableNetworkIsolation?: boolean; Tags?: Tag[] } {
  return defined({
    VpcConfig: options.vpcConfig ? { Subnets: options.vpcConfig.subnets, SecurityGroupIds: options.vpcConfig.securityGroupIds } : undefined,
    EnableNetworkIsolation: options.enableNetworkIsolation,
    Tags: apiTags(options, extraTags),
  });
}

/** CreateEndpointConfig's security fields. */
export function endpointConfigSecurityFields(options: SecurityOptions): { KmsKeyId?: string; Tags?: Tag[] } {
  return defined({ KmsKeyId: options.volumeKmsKeyId, Tags: apiTags(options) });
}

/** CreateEndpoint's security fields. */
export function endpointSecurityFields(options: SecurityOptions): { Tags?: Tag[] } {
  return defined({ Tags: apiTags(options) });
}

/** CreateTransformJob's security fields: the output key goes into TransformOutput, the volume key into TransformResources. */
export function transformJobSecurityFields(options: SecurityOptions): { outputKmsKeyId?: { KmsKeyId: string }; volumeKmsKeyId?: { VolumeKmsKeyId: string }; Tags?: Tag[] } {
  return defined({
    outputKmsKeyId: options.outputKmsKeyId !== undefined ? { KmsKeyId: options.outputKmsKeyId } : undefined,
    volumeKmsKeyId: options.volumeKmsKeyId !== undefined ? { VolumeKmsKeyId: options.volumeKmsKeyId } : undefined,
    Tags: apiTags(options),
  });
}
