/**
 * The security settings of every create call, with the real AWS SDK clients against local mode: each
 * field reaches SageMaker unchanged and comes back from the Describe calls (tags from ListTags), and
 * values AWS would refuse get AWS's ValidationException.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointConfigCommand,
  DescribeEndpointCommand,
  DescribeModelCommand,
  DescribeTransformJobCommand,
  ListModelsCommand,
  ListTagsCommand,
  type CreateModelCommandInput,
} from "@aws-sdk/client-sagemaker";
import { toZeroShotRequest } from "../../src/payload";
import { runBatchTransform } from "../../src/workflow/batchTransform";
import { deleteDeployment } from "../../src/workflow/cleanup";
import { deployModel, type Deployment } from "../../src/workflow/deploy";
import type { SecurityOptions } from "../../src/workflow/security";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

const quiet = { onProgress: () => {} };
const ROLE = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20261125T000000";
const KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OUTPUT_KEY = "alias/zero-shot-transform-output";
const SECURE: SecurityOptions = {
  roleArn: ROLE,
  vpcConfig: { subnets: ["subnet-0a1b2c3d4e5f67890", "subnet-0fedcba9876543210"], securityGroupIds: ["sg-0123456789abcdef0"] },
  enableNetworkIsolation: true,
  volumeKmsKeyId: KMS_KEY,
  outputKmsKeyId: OUTPUT_KEY,
  tags: { project: "zero-shot", "cost-center": "ml-42" },
};
const TAGS = [
  { Key: "project", Value: "zero-shot" },
  { Key: "cost-center", Value: "ml-42" },
];

/** The ValidationException AWS sends, with its field and constraint. */
function validationError(field: string, constraint: RegExp) {
  return (error: unknown) => {
    const { name, message, $metadata } = error as { name: string; message: string; $metadata: { httpStatusCode: number } };
    assert.equal(name, "ValidationException");
    assert.equal($metadata.httpStatusCode, 400);
    assert.match(message, new RegExp(`at '${field.replace(/\./g, "\\.")}' failed to satisfy constraint: `));
    assert.match(message, constraint);
    return true;
  };
}

describe("security configuration in local mode", () => {
  let fixture: LocalSageMakerFixture;
  let deployment: Deployment;
  before(async () => {
    fixture = await startLocalFixture();
  });
  after(() => fixture.stop());

  it("deploys with role, VPC, network isolation, volume key and tags, and the Describe calls return them", async () => {
    deployment = await deployModel(fixture.clients, { modelId: tinyBert(), name: "secure-endpoint", ...SECURE, ...quiet });
    const { sagemaker } = fixture.clients;
    const model = await sagemaker.send(new DescribeModelCommand({ ModelName: deployment.modelName }));
    assert.equal(model.ExecutionRoleArn, ROLE);
    assert.deepEqual(model.VpcConfig, { Subnets: ["subnet-0a1b2c3d4e5f67890", "subnet-0fedcba9876543210"], SecurityGroupIds: ["sg-0123456789abcdef0"] });
    assert.equal(model.EnableNetworkIsolation, true);
    const config = await sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: deployment.endpointConfigName }));
    assert.equal(config.KmsKeyId, KMS_KEY);
    const endpoint = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: deployment.endpointName }));
    assert.equal(endpoint.EndpointStatus, "InService");
    for (const arn of [model.ModelArn, config.EndpointConfigArn, endpoint.EndpointArn]) {
      assert.deepEqual((await sagemaker.send(new ListTagsCommand({ ResourceArn: arn }))).Tags, TAGS, arn);
    }
  });

  it("runs a transform job with the output and volume keys and tags, and DescribeTransformJob returns the keys", async () => {
    const run = await runBatchTransform(fixture.clients, {
      modelName: deployment.modelName,
      s3Uri: "s3://secure-bucket/zero-shot",
      jobName: "secure-transform",
      requests: [toZeroShotRequest("I will run a marathon", ["Health", "Finance"])],
      ...SECURE,
      ...quiet,
    });
    const job = await fixture.clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: run.jobName }));
    assert.equal(job.TransformJobStatus, "Completed");
    assert.equal(job.TransformOutput?.KmsKeyId, OUTPUT_KEY);
    assert.equal(job.TransformResources?.VolumeKmsKeyId, KMS_KEY);
    assert.deepEqual((await fixture.clients.sagemaker.send(new ListTagsCommand({ ResourceArn: job.TransformJobArn }))).Tags, TAGS);
    await deleteDeployment(fixture.clients, deployment);
  });

  const model = (fields: Partial<CreateModelCommandInput>): CreateModelCommandInput => ({
    ModelName: "refused-model",
    ExecutionRoleArn: ROLE,
    PrimaryContainer: { Image: "example.invalid/image", Environment: { HF_MODEL_ID: tinyBert() } },
    ...fields,
  });

  it("refuses what AWS refuses, with ValidationException naming the field, and creates nothing", async () => {
    const send = (input: CreateModelCommandInput) => fixture.clients.sagemaker.send(new CreateModelCommand(input));
    await assert.rejects(send(model({ ExecutionRoleArn: "arn:aws:iam::123:role/too-short-account" })), validationError("executionRoleArn", /regular expression pattern: arn:aws/));
    await assert.rejects(send(model({ ExecutionRoleArn: "SageMakerRole" })), validationError("executionRoleArn", /length greater than or equal to 20/));
    await assert.rejects(
      send(model({ VpcConfig: { Subnets: ["subnet-1"], SecurityGroupIds: ["sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"] } })),
      validationError("vpcConfig.securityGroupIds", /length less than or equal to 5/),
    );
    await assert.rejects(send(model({ VpcConfig: { Subnets: [], SecurityGroupIds: ["sg-1"] } })), validationError("vpcConfig.subnets", /length greater than or equal to 1/));
    await assert.rejects(
      send(model({ VpcConfig: { Subnets: ["subnet_1"], SecurityGroupIds: ["sg-1"] } })),
      validationError("vpcConfig.subnets.1.member", /\[-0-9a-zA-Z\]\+/),
    );
    await assert.rejects(send(model({ Tags: [{ Key: "aws:owner", Value: "me" }] })), validationError("tags.1.member.key", /reserved for AWS use/));
    await assert.rejects(send(model({ Tags: [{ Key: "team", Value: "ml<script>" }] })), validationError("tags.1.member.value", /regular expression pattern/));
    await assert.rejects(
      send(model({ Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" })) })),
      validationError("tags", /length less than or equal to 50/),
    );
    assert.deepEqual((await fixture.clients.sagemaker.send(new ListModelsCommand({ NameContains: "refused" }))).Models, []);
  });

  it("refuses a malformed endpoint volume key and transform keys", async () => {
    await fixture.clients.sagemaker.send(new CreateModelCommand(model({ ModelName: "keyed-model" })));
    await assert.rejects(
      fixture.clients.sagemaker.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: "bad-key-config",
          ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "keyed-model", InstanceType: "ml.m5.xlarge", InitialInstanceCount: 1 }],
          KmsKeyId: "my key",
        }),
      ),
      validationError("kmsKeyId", /\[a-zA-Z0-9:\/_-\]\*/),
    );
    await assert.rejects(
      runBatchTransform(fixture.clients, {
        modelName: "keyed-model",
        s3Uri: "s3://secure-bucket/zero-shot",
        jobName: "bad-key-transform",
        requests: [toZeroShotRequest("x", ["a", "b"])],
        volumeKmsKeyId: "k".repeat(2049),
        ...quiet,
      }),
      validationError("transformResources.volumeKmsKeyId", /length less than or equal to 2048/),
    );
    await deleteDeployment(fixture.clients, { modelName: "keyed-model" });
  });
});
