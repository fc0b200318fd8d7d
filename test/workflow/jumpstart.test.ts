/**
 * Deploying by JumpStart model id with the real AWS SDK clients against local mode: the bundled
 * snapshot (local mode's default) and JumpStart's specs from a bucket on 127.0.0.1; local mode serves
 * the JumpStart model through a generated model mapped to its id.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DescribeEndpointCommand, DescribeEndpointConfigCommand, DescribeModelCommand, ListModelsCommand, ListTagsCommand } from "@aws-sdk/client-sagemaker";
import { toZeroShotRequest } from "../../src/payload";
import { liveCatalog } from "../../src/jumpstart/catalog";
import { JumpStartModelNotFoundError, JumpStartVersionNotFoundError } from "../../src/jumpstart/errors";
import { readTransformResults, runBatchTransform } from "../../src/workflow/batchTransform";
import { deleteDeployment } from "../../src/workflow/cleanup";
import { createModel, deployModel, waitForEndpoint, type Deployment } from "../../src/workflow/deploy";
import { SageMakerWorkflowError } from "../../src/workflow/errors";
import { huggingFaceInferenceImage } from "../../src/workflow/images";
import { invokeEndpoint } from "../../src/workflow/invoke";
import { startJumpStartBucket, TEST_JUMPSTART_ID, type JumpStartBucket } from "../helpers/jumpStartBucket";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

const BART = "huggingface-zstc-facebook-bart-large-mnli";
const LABELS = ["Health", "Finance"];
const quiet = { onProgress: () => {} };

describe("deploy by JumpStart model id in local mode", () => {
  let fixture: LocalSageMakerFixture;
  let bucket: JumpStartBucket;
  before(async () => {
    fixture = await startLocalFixture({ jumpStartModels: { [BART]: tinyBert(), [TEST_JUMPSTART_ID]: tinyBert() } });
    bucket = await startJumpStartBucket();
  });
  after(async () => {
    await bucket.close();
    await fixture.stop();
  });

  it('deploys huggingface-zstc-facebook-bart-large-mnli at "*" from the bundled snapshot, tagged as JumpStart tags it, and answers', async () => {
    const deployment = await deployModel(fixture.clients, { modelId: BART, modelVersion: "*", name: "js-bart", ...quiet });
    assert.deepEqual(deployment.jumpStart, { modelId: BART, version: "2.0.14", via: "hub-model" });
    const model = await fixture.clients.sagemaker.send(new DescribeModelCommand({ ModelName: deployment.modelName }));
    assert.equal(model.PrimaryContainer?.Image, huggingFaceInferenceImage("us-east-1"));
    assert.deepEqual(model.PrimaryContainer?.Environment, { HF_MODEL_ID: "facebook/bart-large-mnli", HF_TASK: "zero-shot-classification" });
    const tags = await fixture.clients.sagemaker.send(new ListTagsCommand({ ResourceArn: model.ModelArn }));
    assert.deepEqual(tags.Tags, [
      { Key: "sagemaker-sdk:jumpstart-model-id", Value: BART },
      { Key: "sagemaker-sdk:jumpstart-model-version", Value: "2.0.14" },
    ]);
    const result = await invokeEndpoint(fixture.clients, deployment.endpointName, toZeroShotRequest("I will run a marathon", LABELS));
    assert.ok(!Array.isArray(result));
    assert.deepEqual([...result.labels].sort(), [...LABELS].sort());
    assert.ok(Math.abs(result.scores[0] + result.scores[1] - 1) < 1e-6);
    await deleteDeployment(fixture.clients, deployment);
    assert.deepEqual((await fixture.clients.sagemaker.send(new ListTagsCommand({ ResourceArn: model.ModelArn }))).Tags, []);
  });

  it("deploys with JumpStart's own image, prepacked artifact and environment when the specs are there", async () => {
    const deployment: Deployment = await deployModel(fixture.clients, {
      modelId: TEST_JUMPSTART_ID,
      modelVersion: "2.*",
      jumpStartCatalog: liveCatalog("us-east-1", { baseUrl: bucket.baseUrl }),
      name: "js-specs",
      ...quiet,
    });
    assert.deepEqual(deployment.jumpStart, { modelId: TEST_JUMPSTART_ID, version: "2.0.3", via: "specs" });
    const model = await fixture.clients.sagemaker.send(new DescribeModelCommand({ ModelName: deployment.modelName }));
    assert.match(model.PrimaryContainer?.Image ?? "", /^763104351884\.dkr\.ecr\.us-east-1\.amazonaws\.com\/huggingface-pytorch-inference:9\.9\.9-.*-cpu-/);
    assert.equal(model.PrimaryContainer?.ModelDataSource?.S3DataSource?.S3Uri, "s3://jumpstart-cache-prod-us-east-1/huggingface-zstc/huggingface-zstc-test-tiny-nli/artifacts/inference-prepack/v2.0.3/");
    assert.equal(model.PrimaryContainer?.Environment?.SAGEMAKER_PROGRAM, "inference.py");
    assert.equal(model.PrimaryContainer?.Environment?.HF_MODEL_ID, undefined);
    assert.equal(model.EnableNetworkIsolation, true, "JumpStart's default (inference_enable_network_isolation)");
    const config = await fixture.clients.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: deployment.endpointConfigName }));
    assert.equal(config.ProductionVariants?.[0].InstanceType, "ml.c5.2xlarge", "the spec's default_inference_instance_type");
    const endpoint = await fixture.clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: deployment.endpointName }));
    assert.equal(endpoint.EndpointStatus, "InService");
    const result = await invokeEndpoint(fixture.clients, deployment.endpointName, toZeroShotRequest("My salary went up", LABELS));
    assert.equal((result as { sequence: string }).sequence, "My salary went up");
    await deleteDeployment(fixture.clients, deployment);
  });

  it("creates the batch-transform model from a JumpStart id too", async () => {
    const modelName = await createModel(fixture.clients, "js-transform-model", { modelId: BART });
    const run = await runBatchTransform(fixture.clients, {
      modelName,
      s3Uri: "s3://jumpstart-bucket/zero-shot",
      jobName: "js-transform",
      requests: ["Eat more vegetables", "Stocks fell today"].map((text) => toZeroShotRequest(text, LABELS)),
      ...quiet,
    });
    const rows = await readTransformResults(run);
    assert.deepEqual(rows.map((row) => (row.result as { sequence: string }).sequence), ["Eat more vegetables", "Stocks fell today"]);
    await deleteDeployment(fixture.clients, { modelName });
  });

  it("refuses an unknown id or version before creating anything, listing what exists", async () => {
    await assert.rejects(deployModel(fixture.clients, { modelId: "huggingface-zstc-facebook-bart-large", name: "js-unknown", ...quiet }), (error: unknown) => {
      assert.ok(error instanceof JumpStartModelNotFoundError);
      assert.match(error.message, /did you mean "huggingface-zstc-facebook-bart-large-mnli"/);
      assert.match(error.message, /zero-shot models are: huggingface-zstc-cross-encoder-nli-deberta-base, /);
      return true;
    });
    await assert.rejects(
      deployModel(fixture.clients, { modelId: BART, modelVersion: "1.0.0", name: "js-unknown", ...quiet }),
      (error: unknown) => error instanceof JumpStartVersionNotFoundError && /it has 2\.0\.14/.test(error.message),
    );
    const models = await fixture.clients.sagemaker.send(new ListModelsCommand({ NameContains: "js-unknown" }));
    assert.deepEqual(models.Models, []);
  });

  it("fails an endpoint whose JumpStart id local mode cannot map, saying which ids it serves", async () => {
    await fixture.clients.sagemaker.send(
      new CreateModelCommand({
        ModelName: "js-unmapped",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/local-sagemaker",
        PrimaryContainer: { Image: "example.invalid/image", ModelDataUrl: "s3://jumpstart-cache-prod-us-east-1/x/model.tar.gz" },
        Tags: [{ Key: "sagemaker-sdk:jumpstart-model-id", Value: "huggingface-zstc-not-a-model" }],
      }),
    );
    await fixture.clients.sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: "js-unmapped-config",
        ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "js-unmapped", InstanceType: "ml.m5.xlarge", InitialInstanceCount: 1 }],
      }),
    );
    await fixture.clients.sagemaker.send(new CreateEndpointCommand({ EndpointName: "js-unmapped", EndpointConfigName: "js-unmapped-config" }));
    await assert.rejects(waitForEndpoint(fixture.clients, "js-unmapped", quiet), (error: unknown) => {
      assert.ok(error instanceof SageMakerWorkflowError);
      assert.match(error.failureReason ?? "", /cannot serve JumpStart model huggingface-zstc-not-a-model: it serves the models of its bundled snapshot \(.*huggingface-zstc-facebook-bart-large-mnli/);
      return true;
    });
    await deleteDeployment(fixture.clients, { modelName: "js-unmapped", endpointConfigName: "js-unmapped-config", endpointName: "js-unmapped" });
  });
});
