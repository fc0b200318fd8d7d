import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, DescribeModelCommand } from "@aws-sdk/client-sagemaker";
import { InputError } from "../../src/errors";
import { deleteDeployment } from "../../src/workflow/cleanup";
import { destroyClients, sageMakerClients } from "../../src/workflow/clients";
import { HF_ZERO_SHOT_TASK as HF_TASK } from "../../src/aws/sagemaker";
import { createModel, DEFAULT_INSTANCE_TYPE, deployModel, sageMakerName, waitForEndpoint } from "../../src/workflow/deploy";
import { recordProgress, startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

describe("sageMakerName", () => {
  it("makes a SageMaker name (letters, digits, hyphens, at most 63) from free text", () => {
    assert.equal(sageMakerName("zero-shot", "bart-large-mnli", "20261125"), "zero-shot-bart-large-mnli-20261125");
    assert.equal(sageMakerName("  Xenova/distilbert_base.uncased  "), "Xenova-distilbert-base-uncased");
    const long = sageMakerName("a".repeat(62), "b");
    assert.equal(long, "a".repeat(62));
    assert.ok(long.length <= 63 && !long.endsWith("-"));
  });
});

describe("deploying to local mode", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
  });
  after(() => fixture.stop());

  it("creates model, endpoint config and endpoint from one base name, with the instance settings asked for", async () => {
    const progress = recordProgress();
    const deployment = await deployModel(fixture.clients, {
      modelId: tinyBert(),
      name: "lesson 1: tiny bert",
      instanceType: "ml.c5.2xlarge",
      instanceCount: 2,
      environment: { HF_MODEL_REVISION: "main" },
      onProgress: progress.onProgress,
    });
    assert.deepEqual(deployment, { modelName: "lesson-1-tiny-bert", endpointConfigName: "lesson-1-tiny-bert-config", endpointName: "lesson-1-tiny-bert" });
    const config = await fixture.clients.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: deployment.endpointConfigName }));
    assert.deepEqual(
      config.ProductionVariants?.map((v) => [v.VariantName, v.ModelName, v.InstanceType, v.InitialInstanceCount]),
      [["AllTraffic", "lesson-1-tiny-bert", "ml.c5.2xlarge", 2]],
    );
    const model = await fixture.clients.sagemaker.send(new DescribeModelCommand({ ModelName: deployment.modelName }));
    assert.deepEqual(model.PrimaryContainer?.Environment, { HF_MODEL_ID: tinyBert(), HF_TASK, HF_MODEL_REVISION: "main" });
    assert.equal(progress.seen.at(-1), "endpoint lesson-1-tiny-bert: InService");
    assert.deepEqual(await deleteDeployment(fixture.clients, deployment), {
      deleted: ["endpoint lesson-1-tiny-bert", "endpoint config lesson-1-tiny-bert-config", "model lesson-1-tiny-bert"],
      alreadyGone: [],
    });
  });

  it("names a deployment after the model and the time when no name is given", async () => {
    const deployment = await deployModel(fixture.clients, { modelId: tinyBert(), noWait: true });
    // The time to the millisecond, so two deployments started in one second get different names.
    assert.match(deployment.modelName, /^zero-shot-tiny-bert-nli-\d{14,17}$/);
    assert.equal(deployment.endpointConfigName, `${deployment.modelName}-config`);
    const ready = await waitForEndpoint(fixture.clients, deployment.endpointName, { onProgress: () => undefined });
    assert.equal(ready.EndpointStatus, "InService");
    await deleteDeployment(fixture.clients, deployment);
  });

  it("with noWait returns after CreateEndpoint without waiting; waitForEndpoint then sees it InService", async () => {
    const deployment = await deployModel(fixture.clients, { modelId: tinyBert(), name: "no-wait", noWait: true });
    const described = await fixture.clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: deployment.endpointName }));
    assert.ok(["Creating", "InService"].includes(described.EndpointStatus ?? ""), described.EndpointStatus);
    const seen: string[] = [];
    await waitForEndpoint(fixture.clients, deployment.endpointName, { onProgress: ({ status }) => seen.push(status) });
    assert.equal(seen.at(-1), "InService");
    await deleteDeployment(fixture.clients, deployment);
  });

  it("createModel alone registers the model with the default instance type's CPU container", async () => {
    assert.equal(DEFAULT_INSTANCE_TYPE, "ml.m5.xlarge");
    assert.equal(await createModel(fixture.clients, "transform-only", { modelId: tinyBert() }), "transform-only");
    const model = await fixture.clients.sagemaker.send(new DescribeModelCommand({ ModelName: "transform-only" }));
    assert.match(model.PrimaryContainer?.Image ?? "", /huggingface-pytorch-inference:.*-cpu-/);
    await deleteDeployment(fixture.clients, { modelName: "transform-only" });
  });

  it("refuses to deploy without a model id, or on AWS without an execution role, before calling SageMaker", async () => {
    await assert.rejects(deployModel(fixture.clients, { modelId: "" }), (error: unknown) => error instanceof InputError && /no modelId: pass the hub model/.test(error.message));
    const previous = process.env.SAGEMAKER_ROLE_ARN;
    delete process.env.SAGEMAKER_ROLE_ARN;
    // Real AWS clients, no credentials needed: the role is checked before any call goes out.
    const aws = sageMakerClients({ mode: "aws", region: "eu-west-1" });
    try {
      await assert.rejects(deployModel(aws, { modelId: "facebook/bart-large-mnli" }), /no SageMaker execution role: pass roleArn .* or set SAGEMAKER_ROLE_ARN/);
    } finally {
      destroyClients(aws);
      if (previous !== undefined) process.env.SAGEMAKER_ROLE_ARN = previous;
    }
  });
});
