/**
 * resolveJumpStartHosting on hand-made specs (the test bucket's specs, varied): which image, artifact,
 * script and environment a CreateModel gets, as the SageMaker Python SDK's retrieve functions pick them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JumpStartModelVersion } from "../../src/jumpstart/catalog";
import { JumpStartCatalogError } from "../../src/jumpstart/errors";
import { instanceFamily, JUMPSTART_MODEL_ID_TAG, JUMPSTART_MODEL_VERSION_TAG, resolveJumpStartHosting } from "../../src/jumpstart/resolve";
import type { JumpStartModelSpecs } from "../../src/jumpstart/types";
import { PREPACKED_SPEC, SCRIPT_SPEC, TEST_JUMPSTART_ID } from "../helpers/jumpStartBucket";

const version = (spec: JumpStartModelSpecs | undefined, extra: Partial<JumpStartModelVersion> = {}): JumpStartModelVersion => ({
  modelId: TEST_JUMPSTART_ID,
  version: spec?.version ?? "1.0.0",
  hubModelId: "test-org/tiny-nli",
  spec,
  source: "live",
  ...extra,
});

describe("instanceFamily", () => {
  it("reads the family of an ml. instance type, and nothing from anything else", () => {
    assert.equal(instanceFamily("ml.m5.xlarge"), "m5");
    assert.equal(instanceFamily("ml.g5.12xlarge"), "g5");
    assert.equal(instanceFamily("m5.xlarge"), "");
    assert.equal(instanceFamily("local"), "");
  });
});

describe("resolveJumpStartHosting", () => {
  it("tags the model with its JumpStart id and version, as the SDK does", () => {
    const hosting = resolveJumpStartHosting(version(SCRIPT_SPEC), { region: "us-east-1", instanceType: "ml.m5.xlarge" });
    assert.deepEqual(hosting.tags, [
      { Key: JUMPSTART_MODEL_ID_TAG, Value: TEST_JUMPSTART_ID },
      { Key: JUMPSTART_MODEL_VERSION_TAG, Value: "1.0.0" },
    ]);
  });

  it("takes gated artifacts from the private bucket but the script from the public one", () => {
    const hosting = resolveJumpStartHosting(version({ ...SCRIPT_SPEC, gated_bucket: true }), { region: "us-east-1", instanceType: "ml.m5.xlarge" });
    assert.equal(hosting.container.ModelDataUrl, `s3://jumpstart-private-cache-prod-us-east-1/${SCRIPT_SPEC.hosting_artifact_key}`);
    assert.equal(hosting.scriptUri, `s3://jumpstart-cache-prod-us-east-1/${SCRIPT_SPEC.hosting_script_key}`);
    assert.equal(hosting.container.Environment.SAGEMAKER_SUBMIT_DIRECTORY, hosting.scriptUri);
    assert.equal(hosting.container.Environment.SAGEMAKER_PROGRAM, "inference.py");
  });

  it("keeps an artifact key that is already an s3:// URI, and loads no separate script when hosting_use_script_uri is false", () => {
    const spec = { ...SCRIPT_SPEC, hosting_artifact_key: "s3://my-bucket/models/tiny.tar.gz", hosting_use_script_uri: false };
    const hosting = resolveJumpStartHosting(version(spec), { region: "us-east-1", instanceType: "ml.m5.xlarge" });
    assert.equal(hosting.container.ModelDataUrl, "s3://my-bucket/models/tiny.tar.gz");
    assert.equal(hosting.scriptUri, undefined);
    assert.equal(hosting.container.Environment.SAGEMAKER_SUBMIT_DIRECTORY, "/opt/ml/model/code", "the spec's default, untouched");
  });

  it("layers environment: spec defaults, then the family variant's, then the exact instance type's", () => {
    const spec: JumpStartModelSpecs = {
      ...PREPACKED_SPEC,
      hosting_instance_type_variants: {
        ...PREPACKED_SPEC.hosting_instance_type_variants,
        variants: {
          ...PREPACKED_SPEC.hosting_instance_type_variants!.variants,
          m5: { regional_properties: { image_uri: "$cpu_ecr_uri_1" }, properties: { environment_variables: { SAGEMAKER_MODEL_SERVER_WORKERS: "4", OMP_NUM_THREADS: "2" } } },
          "ml.m5.4xlarge": { properties: { environment_variables: { OMP_NUM_THREADS: "8" } } },
        },
      },
    };
    const env = resolveJumpStartHosting(version(spec), { region: "us-east-1", instanceType: "ml.m5.4xlarge" }).container.Environment;
    assert.equal(env.SAGEMAKER_CONTAINER_LOG_LEVEL, "20");
    assert.equal(env.SAGEMAKER_MODEL_SERVER_WORKERS, "4");
    assert.equal(env.OMP_NUM_THREADS, "8");
    const small = resolveJumpStartHosting(version(spec), { region: "us-east-1", instanceType: "ml.m5.xlarge" }).container.Environment;
    assert.equal(small.OMP_NUM_THREADS, "2");
  });

  it("refuses a region whose aliases the spec lacks, listing the supported instance types", () => {
    assert.throws(
      () => resolveJumpStartHosting(version(SCRIPT_SPEC), { region: "eu-west-2", instanceType: "ml.m5.xlarge" }),
      (error: unknown) => error instanceof JumpStartCatalogError && /in eu-west-2 has no inference image for ml\.m5\.xlarge: use one of its instance types \(ml\.m5\.xlarge\)/.test(error.message),
    );
  });

  it("refuses specs that name no artifact", () => {
    const { hosting_artifact_key: _, ...noArtifact } = SCRIPT_SPEC;
    assert.throws(() => resolveJumpStartHosting(version(noArtifact as JumpStartModelSpecs), { region: "us-east-1", instanceType: "ml.m5.xlarge" }), /names no hosting artifact: its specs are incomplete/);
  });

  it("without specs hosts the hub model in the HF container, and refuses when there is no hub source either", () => {
    const hub = resolveJumpStartHosting(version(undefined, { source: "snapshot" }), { region: "us-east-1", instanceType: "ml.c5.xlarge" });
    assert.deepEqual([hub.via, hub.instanceType, hub.container], ["hub-model", "ml.c5.xlarge", { Environment: { HF_MODEL_ID: "test-org/tiny-nli" } }]);
    assert.throws(
      () => resolveJumpStartHosting(version(undefined, { source: "snapshot", hubModelId: undefined }), { region: "us-east-1" }),
      (error: unknown) => error instanceof JumpStartCatalogError && /the snapshot catalog has neither its specs nor its Hugging Face source/.test(error.message),
    );
  });
});
