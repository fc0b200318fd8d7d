/** The security fields of the create calls, refused where AWS refuses them, with SageMaker's wording. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Tag } from "@aws-sdk/client-sagemaker";
import { LOCAL_ROLE_ARN } from "../../src/aws/localAccount";
import { SageMakerApiError } from "../../src/emulator/apiErrors";
import {
  checkEndpointConfigSecurity,
  checkEndpointSecurity,
  checkKmsKeyId,
  checkModelSecurity,
  checkRoleArn,
  checkTags,
  checkTransformJobSecurity,
  checkVpcConfig,
} from "../../src/emulator/security";

/** Asserts a ValidationException naming `field` (and matching `constraint`). */
function refused(run: () => void, field: string, constraint: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof SageMakerApiError);
    assert.equal(error.type, "ValidationException");
    assert.equal(error.status, 400);
    assert.match(error.message, /^1 validation error detected: Value .* at '(.*)' failed to satisfy constraint: /);
    assert.equal(/ at '([^']*)' /.exec(error.message)?.[1], field);
    assert.match(error.message, constraint);
    return true;
  });
}

describe("checkRoleArn", () => {
  it("accepts IAM role ARNs of every partition, with paths", () => {
    for (const arn of [LOCAL_ROLE_ARN, "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-2024", "arn:aws-cn:iam::123456789012:role/SageMaker", "arn:aws-us-gov:iam::123456789012:role/a+b=c,d.e@f"]) {
      assert.doesNotThrow(() => checkRoleArn(arn, "executionRoleArn"), arn);
    }
    assert.doesNotThrow(() => checkRoleArn(undefined, "executionRoleArn"));
  });

  it("refuses user ARNs, short account ids, other services and non-strings", () => {
    const pattern = /regular expression pattern: arn:aws\[a-z\\-\]\*:iam::\\d\{12\}:role/;
    refused(() => checkRoleArn("arn:aws:iam::123456789012:user/alice", "executionRoleArn"), "executionRoleArn", pattern);
    refused(() => checkRoleArn("arn:aws:iam::12345678901:role/SageMaker", "executionRoleArn"), "executionRoleArn", pattern);
    refused(() => checkRoleArn("arn:aws:sts::123456789012:role/SageMaker", "executionRoleArn"), "executionRoleArn", pattern);
    refused(() => checkRoleArn("arn:aws:iam::123456789012:role/has space", "executionRoleArn"), "executionRoleArn", pattern);
    refused(() => checkRoleArn("SageMakerRole", "executionRoleArn"), "executionRoleArn", /length greater than or equal to 20$/);
    refused(() => checkRoleArn(`arn:aws:iam::123456789012:role/${"r".repeat(2030)}`, "executionRoleArn"), "executionRoleArn", /length less than or equal to 2048$/);
    refused(() => checkRoleArn(42, "executionRoleArn"), "executionRoleArn", /Member must be a string$/);
  });
});

describe("checkKmsKeyId", () => {
  it("accepts key ids, aliases and ARNs", () => {
    for (const key of ["1234abcd-12ab-34cd-56ef-1234567890ab", "alias/my-key", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", ""]) {
      assert.doesNotThrow(() => checkKmsKeyId(key, "kmsKeyId"), key);
    }
  });

  it("refuses other characters and keys over 2048 characters", () => {
    refused(() => checkKmsKeyId("alias/my key", "kmsKeyId"), "kmsKeyId", /pattern: \[a-zA-Z0-9:\/_-\]\*$/);
    refused(() => checkKmsKeyId("k".repeat(2049), "kmsKeyId"), "kmsKeyId", /less than or equal to 2048$/);
  });
});

describe("checkVpcConfig", () => {
  it("accepts 1-5 security groups and 1-16 subnets", () => {
    assert.doesNotThrow(() => checkVpcConfig({ SecurityGroupIds: ["sg-0123456789abcdef0"], Subnets: ["subnet-0123456789abcdef0"] }, "vpcConfig"));
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    assert.doesNotThrow(() => checkVpcConfig({ SecurityGroupIds: ids("sg", 5), Subnets: ids("subnet", 16) }, "vpcConfig"));
    assert.doesNotThrow(() => checkVpcConfig(undefined, "vpcConfig"));
  });

  it("refuses missing, empty or too long lists and ids AWS would not accept, naming the member", () => {
    refused(() => checkVpcConfig({ Subnets: ["subnet-1"] }, "vpcConfig"), "vpcConfig.securityGroupIds", /Member must not be null$/);
    refused(() => checkVpcConfig({ SecurityGroupIds: ["sg-1"], Subnets: [] }, "vpcConfig"), "vpcConfig.subnets", /length greater than or equal to 1$/);
    refused(() => checkVpcConfig({ SecurityGroupIds: ["a", "b", "c", "d", "e", "f"], Subnets: ["s"] }, "vpcConfig"), "vpcConfig.securityGroupIds", /less than or equal to 5$/);
    refused(() => checkVpcConfig({ SecurityGroupIds: ["sg-1"], Subnets: Array(17).fill("s") }, "vpcConfig"), "vpcConfig.subnets", /less than or equal to 16$/);
    refused(() => checkVpcConfig({ SecurityGroupIds: ["sg-1", "sg_2"], Subnets: ["s"] }, "vpcConfig"), "vpcConfig.securityGroupIds.2.member", /pattern: \[-0-9a-zA-Z\]\+$/);
    refused(() => checkVpcConfig({ SecurityGroupIds: ["sg-1"], Subnets: ["s".repeat(33)] }, "vpcConfig"), "vpcConfig.subnets.1.member", /less than or equal to 32$/);
    refused(() => checkVpcConfig(["sg-1"], "vpcConfig"), "vpcConfig", /Member must be a structure$/);
    refused(() => checkVpcConfig(null, "vpcConfig"), "vpcConfig", /Member must be a structure$/);
  });
});

describe("checkTags", () => {
  it("accepts up to 50 tags of letters (any script), digits, spaces and _.:/=+-@, empty values included", () => {
    assert.doesNotThrow(() => checkTags([{ Key: "project", Value: "zero-shot" }, { Key: "Kostenstelle ä", Value: "" }, { Key: "team/ml:owner", Value: "a+b=c@d.e_f-g" }]));
    assert.doesNotThrow(() => checkTags(Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }))));
    assert.doesNotThrow(() => checkTags(undefined));
    assert.doesNotThrow(() => checkTags([]));
  });

  it("refuses more than 50, missing keys or values, bad characters and lengths", () => {
    refused(() => checkTags(Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }))), "tags", /less than or equal to 50$/);
    refused(() => checkTags([{ Value: "v" } as Tag]), "tags.1.member.key", /Member must not be null$/);
    refused(() => checkTags([{ Key: "a", Value: "v" }, { Key: "b" } as Tag]), "tags.2.member.value", /Member must not be null$/);
    refused(() => checkTags([{ Key: "cost#center", Value: "v" }]), "tags.1.member.key", /regular expression pattern/);
    refused(() => checkTags([{ Key: "k", Value: "semi;colon" }]), "tags.1.member.value", /regular expression pattern/);
    refused(() => checkTags([{ Key: "", Value: "v" }]), "tags.1.member.key", /length greater than or equal to 1$/);
    refused(() => checkTags([{ Key: "k".repeat(129), Value: "v" }]), "tags.1.member.key", /less than or equal to 128$/);
    refused(() => checkTags([{ Key: "k", Value: "v".repeat(257) }]), "tags.1.member.value", /less than or equal to 256$/);
    refused(() => checkTags(["project=x"]), "tags.1.member", /structure with Key and Value$/);
    refused(() => checkTags({ Key: "k", Value: "v" }), "tags", /Member must be a list$/);
  });

  it("refuses keys reserved for AWS and duplicate keys", () => {
    refused(() => checkTags([{ Key: "aws:cloudformation:stack-name", Value: "x" }]), "tags.1.member.key", /reserved for AWS use$/);
    refused(() => checkTags([{ Key: "AWS:x", Value: "x" }]), "tags.1.member.key", /reserved for AWS use$/);
    assert.doesNotThrow(() => checkTags([{ Key: "awsome", Value: "x" }]));
    refused(() => checkTags([{ Key: "team", Value: "a" }, { Key: "env", Value: "b" }, { Key: "team", Value: "c" }]), "tags", /Tag keys must be unique$/);
  });
});

describe("per-operation checks", () => {
  const tags = [{ Key: "aws:x", Value: "v" }];

  it("CreateModel checks the role, the VPC, network isolation and the tags", () => {
    assert.doesNotThrow(() => checkModelSecurity({ ModelName: "m", ExecutionRoleArn: LOCAL_ROLE_ARN, EnableNetworkIsolation: true, VpcConfig: { SecurityGroupIds: ["sg-1"], Subnets: ["subnet-1"] } }));
    refused(() => checkModelSecurity({ ModelName: "m", ExecutionRoleArn: "arn:aws:iam::123:role/x-long-enough" }), "executionRoleArn", /pattern/);
    refused(() => checkModelSecurity({ ModelName: "m", VpcConfig: { SecurityGroupIds: [], Subnets: ["s"] } }), "vpcConfig.securityGroupIds", /greater than or equal to 1$/);
    refused(() => checkModelSecurity({ ModelName: "m", EnableNetworkIsolation: "true" as unknown as boolean }), "enableNetworkIsolation", /Member must be a boolean$/);
    refused(() => checkModelSecurity({ ModelName: "m", Tags: tags }), "tags.1.member.key", /reserved/);
  });

  it("CreateEndpointConfig checks KmsKeyId and tags; CreateEndpoint its tags", () => {
    refused(() => checkEndpointConfigSecurity({ EndpointConfigName: "c", ProductionVariants: [], KmsKeyId: "alias/bad key" }), "kmsKeyId", /pattern/);
    refused(() => checkEndpointConfigSecurity({ EndpointConfigName: "c", ProductionVariants: [], Tags: tags }), "tags.1.member.key", /reserved/);
    refused(() => checkEndpointSecurity({ EndpointName: "e", EndpointConfigName: "c", Tags: tags }), "tags.1.member.key", /reserved/);
    assert.doesNotThrow(() => checkEndpointSecurity({ EndpointName: "e", EndpointConfigName: "c", Tags: [{ Key: "k", Value: "v" }] }));
  });

  it("CreateTransformJob checks both KMS keys and the tags, each under its own field name", () => {
    const job = { TransformJobName: "j", ModelName: "m", TransformInput: undefined, TransformOutput: undefined, TransformResources: undefined };
    assert.doesNotThrow(() => checkTransformJobSecurity({ ...job, TransformOutput: { S3OutputPath: "s3://b/o", KmsKeyId: "alias/out" }, TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1, VolumeKmsKeyId: "alias/vol" } }));
    refused(() => checkTransformJobSecurity({ ...job, TransformOutput: { S3OutputPath: "s3://b/o", KmsKeyId: "bad key" } }), "transformOutput.kmsKeyId", /pattern/);
    refused(() => checkTransformJobSecurity({ ...job, TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1, VolumeKmsKeyId: "bad key" } }), "transformResources.volumeKmsKeyId", /pattern/);
    refused(() => checkTransformJobSecurity({ ...job, Tags: tags }), "tags.1.member.key", /reserved/);
  });
});
