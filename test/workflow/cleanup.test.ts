import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DescribeModelCommand, ListEndpointConfigsCommand, ListModelsCommand } from "@aws-sdk/client-sagemaker";
import { deleteDeployment, isNotFound } from "../../src/workflow/cleanup";
import { deployModel } from "../../src/workflow/deploy";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

describe("deleteDeployment against local mode", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
  });
  after(() => fixture.stop());

  it("deletes endpoint, config and model in that order; a second run finds them gone without error", async () => {
    const deployment = await deployModel(fixture.clients, { modelId: tinyBert(), name: "cleanup-twice", onProgress: () => undefined });
    assert.deepEqual(await deleteDeployment(fixture.clients, deployment), {
      deleted: ["endpoint cleanup-twice", "endpoint config cleanup-twice-config", "model cleanup-twice"],
      alreadyGone: [],
    });
    assert.deepEqual((await fixture.clients.sagemaker.send(new ListModelsCommand({}))).Models, []);
    assert.deepEqual((await fixture.clients.sagemaker.send(new ListEndpointConfigsCommand({}))).EndpointConfigs, []);
    assert.deepEqual(await deleteDeployment(fixture.clients, deployment), {
      deleted: [],
      alreadyGone: ["endpoint cleanup-twice", "endpoint config cleanup-twice-config", "model cleanup-twice"],
    });
  });

  it("deletes only the parts it is given", async () => {
    const deployment = await deployModel(fixture.clients, { modelId: tinyBert(), name: "partial", onProgress: () => undefined });
    const report = await deleteDeployment(fixture.clients, { endpointName: deployment.endpointName, endpointConfigName: deployment.endpointConfigName });
    assert.deepEqual(report.deleted, ["endpoint partial", "endpoint config partial-config"]);
    const model = await fixture.clients.sagemaker.send(new DescribeModelCommand({ ModelName: "partial" }));
    assert.equal(model.ModelName, "partial");
    assert.deepEqual(await deleteDeployment(fixture.clients, { modelName: "partial" }), { deleted: ["model partial"], alreadyGone: [] });
  });

  it("isNotFound recognises SageMaker's 'Could not find' answer, as the emulator sends it, and nothing else", async () => {
    const missing = await fixture.clients.sagemaker.send(new DescribeModelCommand({ ModelName: "never-created" })).catch((error: unknown) => error);
    assert.equal(isNotFound(missing), true);
    assert.equal(isNotFound(Object.assign(new Error("Could not find model"), { name: "ResourceNotFound" })), true);
    assert.equal(isNotFound(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" })), false);
    assert.equal(isNotFound(Object.assign(new Error("1 validation error: EndpointName"), { name: "ValidationException" })), false);
    // Whatever a failed call rejects with, including nothing at all, is answered, not thrown.
    assert.equal(isNotFound(undefined), false);
    assert.equal(isNotFound(null), false);
  });
});
