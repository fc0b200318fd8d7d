/**
 * The security fields of SageMaker's create calls, checked as SageMaker checks them (the shapes of the
 * SageMaker API model: RoleArn, VpcConfig, KmsKeyId, Tags), with SageMaker's ValidationException wording.
 * Local mode enforces none of them (no IAM, no VPC, no KMS); it refuses what AWS would refuse, so a
 * configuration that passes here is well-formed for AWS too.
 */
import type { CreateEndpointConfigInput, CreateEndpointInput, CreateModelInput, CreateTransformJobRequest, Tag } from "@aws-sdk/client-sagemaker";
import { invalidField } from "./apiErrors";

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const KMS_KEY_ID = /^[a-zA-Z0-9:/_-]*$/;
const VPC_ID = /^[-0-9a-zA-Z]+$/;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function checkString(value: unknown, field: string, min: number, max: number, pattern: RegExp, patternText: string): void {
  if (value === undefined) return;
  if (typeof value !== "string") throw invalidField(field, value, "Member must be a string");
  if (value.length < min) throw invalidField(field, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw invalidField(field, value, `Member must have length less than or equal to ${max}`);
  if (!pattern.test(value)) throw invalidField(field, value, `Member must satisfy regular expression pattern: ${patternText}`);
}

/** An IAM role ARN (ExecutionRoleArn). */
export function checkRoleArn(value: unknown, field: string): void {
  checkString(value, field, 20, 2048, ROLE_ARN, "arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
}

/** A KMS key id, alias or ARN (KmsKeyId, VolumeKmsKeyId). */
export function checkKmsKeyId(value: unknown, field: string): void {
  checkString(value, field, 0, 2048, KMS_KEY_ID, "[a-zA-Z0-9:/_-]*");
}

function checkIdList(value: unknown, field: string, max: number): void {
  if (!Array.isArray(value)) throw invalidField(field, value ?? null, "Member must not be null");
  if (value.length < 1) throw invalidField(field, value, "Member must have length greater than or equal to 1");
  if (value.length > max) throw invalidField(field, value, `Member must have length less than or equal to ${max}`);
  value.forEach((id: unknown, index) => checkString(id, `${field}.${index + 1}.member`, 0, 32, VPC_ID, "[-0-9a-zA-Z]+"));
}

/** VpcConfig: 1-5 security group ids and 1-16 subnet ids, each at most 32 of [-0-9a-zA-Z]. */
export function checkVpcConfig(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidField(field, value, "Member must be a structure");
  const config = value as { SecurityGroupIds?: unknown; Subnets?: unknown };
  checkIdList(config.SecurityGroupIds, `${field}.securityGroupIds`, 5);
  checkIdList(config.Subnets, `${field}.subnets`, 16);
}

function checkBoolean(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== "boolean") throw invalidField(field, value, "Member must be a boolean");
}

/** Tags: at most 50; keys 1-128 and values 0-256 characters of letters, digits, spaces and _.:/=+-@; no `aws:` keys. */
export function checkTags(value: unknown, field = "tags"): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw invalidField(field, value, "Member must be a list");
  if (value.length > 50) throw invalidField(field, `${value.length} tags`, "Member must have length less than or equal to 50");
  value.forEach((tag: unknown, index) => {
    const at = `${field}.${index + 1}.member`;
    if (typeof tag !== "object" || tag === null) throw invalidField(at, tag, "Member must be a structure with Key and Value");
    const { Key, Value } = tag as Tag;
    if (Key === undefined) throw invalidField(`${at}.key`, null, "Member must not be null");
    if (Value === undefined) throw invalidField(`${at}.value`, null, "Member must not be null");
    checkString(Key, `${at}.key`, 1, 128, TAG_TEXT, "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
    checkString(Value, `${at}.value`, 0, 256, TAG_TEXT, "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
    if (/^aws:/i.test(Key)) throw invalidField(`${at}.key`, Key, "Tag keys starting with aws: are reserved for AWS use");
  });
  const keys = (value as Tag[]).map((tag) => tag.Key);
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
  if (duplicate !== undefined) throw invalidField(field, duplicate, "Tag keys must be unique");
}

/** CreateModel: ExecutionRoleArn, VpcConfig, EnableNetworkIsolation, Tags. */
export function checkModelSecurity(input: CreateModelInput): void {
  checkRoleArn(input.ExecutionRoleArn, "executionRoleArn");
  checkVpcConfig(input.VpcConfig, "vpcConfig");
  checkBoolean(input.EnableNetworkIsolation, "enableNetworkIsolation");
  checkTags(input.Tags);
}

/** CreateEndpointConfig: KmsKeyId, Tags. */
export function checkEndpointConfigSecurity(input: CreateEndpointConfigInput): void {
  checkKmsKeyId(input.KmsKeyId, "kmsKeyId");
  checkTags(input.Tags);
}

/** CreateEndpoint: Tags. */
export function checkEndpointSecurity(input: CreateEndpointInput): void {
  checkTags(input.Tags);
}

/** CreateTransformJob: TransformOutput.KmsKeyId, TransformResources.VolumeKmsKeyId, Tags. */
export function checkTransformJobSecurity(input: CreateTransformJobRequest): void {
  checkKmsKeyId(input.TransformOutput?.KmsKeyId, "transformOutput.kmsKeyId");
  checkKmsKeyId(input.TransformResources?.VolumeKmsKeyId, "transformResources.volumeKmsKeyId");
  checkTags(input.Tags);
}
