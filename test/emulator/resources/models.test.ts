/** The model registry: CreateModel's checks, DescribeModel's record, DeleteModel, ListModels, kept across restarts. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SageMakerApiError } from "../../../src/emulator/apiErrors";
import type { ContainerDefinition } from "../../../src/emulator/modelHost";
import { Models } from "../../../src/emulator/resources/models";
import { tempDirs } from "../../helpers/tempDirs";

const home = { region: "us-east-1" };
const container: ContainerDefinition = { Image: "local", Environment: { HF_MODEL_ID: "facebook/bart-large-mnli", HF_TASK: "zero-shot-classification" } };

function apiError(type: string, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SageMakerApiError);
    assert.equal(error.type, type);
    assert.match(error.message, message);
    return true;
  };
}

describe("Models", () => {
  const stateDir = tempDirs("models-test-");

  it("creates a model and describes it with its container, role, network settings and creation Date", () => {
    const models = new Models(stateDir());
    const created = models.create(
      { ModelName: "Zero-Shot", PrimaryContainer: container, ExecutionRoleArn: "arn:aws:iam::000000000000:role/r", EnableNetworkIsolation: true, VpcConfig: { SecurityGroupIds: ["sg-1"], Subnets: ["subnet-1"] } },
      home,
    );
    assert.deepEqual(created, { ModelArn: "arn:aws:sagemaker:us-east-1:000000000000:model/zero-shot" });
    const described = models.describe({ ModelName: "Zero-Shot" }, home);
    assert.equal(described.ModelName, "Zero-Shot");
    assert.deepEqual(described.PrimaryContainer, container);
    assert.equal(described.ExecutionRoleArn, "arn:aws:iam::000000000000:role/r");
    assert.equal(described.EnableNetworkIsolation, true);
    assert.deepEqual(described.VpcConfig, { SecurityGroupIds: ["sg-1"], Subnets: ["subnet-1"] });
    assert.ok(described.CreationTime instanceof Date);
    assert.equal(models.has("Zero-Shot"), true);
  });

  it("takes the first of Containers when there is no PrimaryContainer, and refuses a model with neither", () => {
    const models = new Models(stateDir());
    models.create({ ModelName: "from-list", Containers: [container, { Image: "other" }] }, home);
    assert.deepEqual(models.describe({ ModelName: "from-list" }, home).PrimaryContainer, container);
    assert.throws(() => models.create({ ModelName: "empty" }, home), apiError("ValidationException", /at 'primaryContainer' failed to satisfy constraint: a model needs a PrimaryContainer with Image and Environment$/));
    assert.equal(models.has("empty"), false);
  });

  it("runs the container check before storing, so a refused container leaves no model behind", () => {
    const seen: ContainerDefinition[] = [];
    const models = new Models(stateDir(), (checked) => {
      seen.push(checked);
      if (checked.Environment?.HF_MODEL_ID === "/etc") throw new SageMakerApiError("ValidationException", "HF_MODEL_ID /etc lies outside the folders local mode may read");
    });
    assert.throws(() => models.create({ ModelName: "outside", PrimaryContainer: { Environment: { HF_MODEL_ID: "/etc" } } }, home), apiError("ValidationException", /outside the folders/));
    assert.equal(models.has("outside"), false);
    models.create({ ModelName: "inside", PrimaryContainer: container }, home);
    assert.deepEqual(seen, [{ Environment: { HF_MODEL_ID: "/etc" } }, container]);
  });

  it("answers a missing model, a duplicate and a bad name in SageMaker's words, with the request's region in the ARN", () => {
    const models = new Models(stateDir());
    models.create({ ModelName: "m1", PrimaryContainer: container }, home);
    assert.throws(() => models.create({ ModelName: "m1", PrimaryContainer: container }, home), apiError("ValidationException", /^Cannot create already existing model "arn:aws:sagemaker:us-east-1:000000000000:model\/m1"\.$/));
    assert.throws(() => models.describe({ ModelName: "gone" }, { region: "eu-west-1" }), apiError("ValidationException", /^Could not find model "arn:aws:sagemaker:eu-west-1:000000000000:model\/gone"\.$/));
    assert.throws(() => models.require("gone", home), apiError("ValidationException", /^Could not find model /));
    assert.throws(() => models.create({ ModelName: "under_score", PrimaryContainer: container }, home), apiError("ValidationException", /Value "under_score" at 'modelName' failed to satisfy constraint/));
  });

  it("deletes a model once: the second delete is a not-found", () => {
    const models = new Models(stateDir());
    models.create({ ModelName: "m1", PrimaryContainer: container }, home);
    assert.deepEqual(models.delete({ ModelName: "m1" }, home), {});
    assert.equal(models.has("m1"), false);
    assert.throws(() => models.delete({ ModelName: "m1" }, home), apiError("ValidationException", /^Could not find model .*model\/m1"\.$/));
  });

  it("lists summaries (name, ARN, Date) by name and pages with NextToken", () => {
    const models = new Models(stateDir());
    for (const name of ["b", "a", "c"]) models.create({ ModelName: name, PrimaryContainer: container }, home);
    const first = models.list({ SortBy: "Name", SortOrder: "Ascending", MaxResults: 2 });
    assert.deepEqual(first.Models?.map((m) => m.ModelName), ["a", "b"]);
    assert.deepEqual(Object.keys(first.Models![0]).sort(), ["CreationTime", "ModelArn", "ModelName"]);
    assert.ok(first.Models![0].CreationTime instanceof Date);
    assert.ok(first.NextToken);
    const rest = models.list({ SortBy: "Name", SortOrder: "Ascending", MaxResults: 2, NextToken: first.NextToken });
    assert.deepEqual(rest.Models?.map((m) => m.ModelName), ["c"]);
    assert.equal("NextToken" in rest, false);
  });

  it("keeps its models across a restart on the same state directory", () => {
    const dir = stateDir();
    new Models(dir).create({ ModelName: "kept", PrimaryContainer: container }, home);
    const restarted = new Models(dir);
    assert.deepEqual(restarted.describe({ ModelName: "kept" }, home).PrimaryContainer, container);
  });
});
