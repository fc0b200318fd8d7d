/** The endpoint config registry: one production variant naming an existing model, described, listed and deleted. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SageMakerApiError } from "../../../src/emulator/apiErrors";
import { EndpointConfigs } from "../../../src/emulator/resources/endpointConfigs";
import { Models } from "../../../src/emulator/resources/models";
import { tempDirs } from "../../helpers/tempDirs";

const home = { region: "us-east-1" };
const variant = { VariantName: "AllTraffic", ModelName: "m1", InitialInstanceCount: 1, InstanceType: "ml.m5.xlarge" as const };

function validation(message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SageMakerApiError);
    assert.equal(error.type, "ValidationException");
    assert.match(error.message, message);
    return true;
  };
}

describe("EndpointConfigs", () => {
  const stateDir = tempDirs("endpoint-configs-test-");
  const registries = (dir = stateDir()) => {
    const models = new Models(dir);
    if (!models.has("m1")) models.create({ ModelName: "m1", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: "facebook/bart-large-mnli" } } }, home);
    return { dir, models, configs: new EndpointConfigs(dir, models) };
  };

  it("creates a config and describes its variant, KMS key and creation Date", () => {
    const { configs } = registries();
    assert.deepEqual(configs.create({ EndpointConfigName: "c1", ProductionVariants: [variant], KmsKeyId: "alias/volume" }, home), {
      EndpointConfigArn: "arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/c1",
    });
    const described = configs.describe({ EndpointConfigName: "c1" }, home);
    assert.deepEqual(described.ProductionVariants, [variant]);
    assert.equal(described.KmsKeyId, "alias/volume");
    assert.ok(described.CreationTime instanceof Date);
    assert.equal(configs.require("c1", home).ProductionVariants[0].ModelName, "m1");
  });

  it("needs exactly one production variant: none is a length error, two are more than local mode serves", () => {
    const { configs } = registries();
    assert.throws(() => configs.create({ EndpointConfigName: "none", ProductionVariants: [] }, home), validation(/Value \[\] at 'productionVariants' failed to satisfy constraint: Member must have length greater than or equal to 1/));
    assert.throws(() => configs.create({ EndpointConfigName: "missing" } as never, home), validation(/Value null at 'productionVariants'/));
    assert.throws(
      () => configs.create({ EndpointConfigName: "two", ProductionVariants: [variant, { ...variant, VariantName: "Canary" }] }, home),
      validation(/^local mode serves one production variant per endpoint; this config has 2$/),
    );
  });

  it("names the variant field that is wrong, and refuses a variant whose model does not exist", () => {
    const { configs } = registries();
    assert.throws(() => configs.create({ EndpointConfigName: "c1", ProductionVariants: [{ ...variant, VariantName: undefined }] }, home), validation(/at 'productionVariants\.1\.member\.variantName'/));
    assert.throws(() => configs.create({ EndpointConfigName: "c1", ProductionVariants: [{ ...variant, ModelName: "bad_name" }] }, home), validation(/Value "bad_name" at 'productionVariants\.1\.member\.modelName'/));
    assert.throws(() => configs.create({ EndpointConfigName: "c1", ProductionVariants: [{ ...variant, ModelName: "nope" }] }, home), validation(/^Could not find model "arn:aws:sagemaker:us-east-1:000000000000:model\/nope"\.$/));
    assert.throws(() => configs.describe({ EndpointConfigName: "c1" }, home), validation(/^Could not find endpoint configuration /), "nothing was stored");
  });

  it("refuses a duplicate, deletes once, and says which configuration is missing", () => {
    const { configs } = registries();
    configs.create({ EndpointConfigName: "c1", ProductionVariants: [variant] }, home);
    assert.throws(() => configs.create({ EndpointConfigName: "c1", ProductionVariants: [variant] }, home), validation(/^Cannot create already existing endpoint configuration "arn:aws:sagemaker:us-east-1:000000000000:endpoint-config\/c1"\.$/));
    assert.deepEqual(configs.delete({ EndpointConfigName: "c1" }, home), {});
    assert.throws(() => configs.delete({ EndpointConfigName: "c1" }, { region: "eu-west-1" }), validation(/^Could not find endpoint configuration "arn:aws:sagemaker:eu-west-1:000000000000:endpoint-config\/c1"\.$/));
  });

  it("keeps a config when its model is deleted afterwards (as AWS does), and across a restart", () => {
    const { dir, models, configs } = registries();
    configs.create({ EndpointConfigName: "c1", ProductionVariants: [variant] }, home);
    models.delete({ ModelName: "m1" }, home);
    const restarted = new EndpointConfigs(dir, new Models(dir));
    assert.deepEqual(restarted.describe({ EndpointConfigName: "c1" }, home).ProductionVariants, [variant]);
  });

  it("lists summaries filtered by NameContains and sorted by name", () => {
    const { configs } = registries();
    for (const name of ["keep-1", "other", "keep-2"]) configs.create({ EndpointConfigName: name, ProductionVariants: [variant] }, home);
    const page = configs.list({ NameContains: "keep", SortBy: "Name", SortOrder: "Descending" });
    assert.deepEqual(page.EndpointConfigs?.map((c) => c.EndpointConfigName), ["keep-2", "keep-1"]);
    assert.deepEqual(Object.keys(page.EndpointConfigs![0]).sort(), ["CreationTime", "EndpointConfigArn", "EndpointConfigName"]);
    assert.equal(page.NextToken, undefined);
  });
});
