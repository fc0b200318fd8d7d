/**
 * The JumpStart catalogs: the bundled snapshot (offline) and the live reader against a JumpStart
 * bucket on 127.0.0.1, and hosting resolution from specs as the SageMaker Python SDK resolves it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listZeroShotModels, liveCatalog, snapshotCatalog, ZERO_SHOT_SNAPSHOT } from "../../src/jumpstart/catalog";
import { JumpStartCatalogError, JumpStartModelNotFoundError, JumpStartVersionNotFoundError } from "../../src/jumpstart/errors";
import { resolveJumpStartHosting } from "../../src/jumpstart/resolve";
import { readJumpStartSnapshot } from "../../src/jumpstart/snapshot";
import { startJumpStartBucket, TEST_JUMPSTART_ID, type JumpStartBucket } from "../helpers/jumpStartBucket";

const BART = "huggingface-zstc-facebook-bart-large-mnli";

describe("bundled snapshot catalog", () => {
  const catalog = snapshotCatalog("us-east-1");

  it("lists JumpStart's zero-shot models with their hub sources, and says where the list came from", async () => {
    const models = await catalog.listModels({ task: "zstc" });
    assert.equal(models.length, 39);
    assert.ok(models.every((model) => model.modelId.startsWith("huggingface-zstc-")));
    assert.deepEqual(
      models.find((model) => model.modelId === BART),
      { modelId: BART, hubModelId: "facebook/bart-large-mnli", versions: ["2.0.14"], latestVersion: "2.0.14" },
    );
    assert.equal(ZERO_SHOT_SNAPSHOT.date, "2025-06-23");
    assert.match(ZERO_SHOT_SNAPSHOT.provenance, /aws\/sagemaker-python-sdk .*d4416fac276be023f739c93b1fc97cafbcf17ad3/);
    assert.match(ZERO_SHOT_SNAPSHOT.refresh, /zero-shot models --task zstc .*--write-snapshot/);
    assert.deepEqual(await catalog.listModels({ task: "tc" }), []);
  });

  it('resolves "*" to the latest version; without specs the model is hosted as its hub model', async () => {
    const model = await catalog.getModel(BART, "*");
    assert.deepEqual(model, { modelId: BART, version: "2.0.14", hubModelId: "facebook/bart-large-mnli", spec: undefined, source: "snapshot" });
    const hosting = resolveJumpStartHosting(model, { region: "us-east-1", instanceType: "ml.m5.xlarge" });
    assert.equal(hosting.via, "hub-model");
    assert.deepEqual(hosting.container, { Environment: { HF_MODEL_ID: "facebook/bart-large-mnli" } });
    assert.deepEqual(hosting.tags, [
      { Key: "sagemaker-sdk:jumpstart-model-id", Value: BART },
      { Key: "sagemaker-sdk:jumpstart-model-version", Value: "2.0.14" },
    ]);
  });

  it("refuses an unknown id, suggesting the closest and listing the zero-shot models", async () => {
    await assert.rejects(catalog.getModel("huggingface-zstc-facebook-bart-large-mnly"), (error: unknown) => {
      assert.ok(error instanceof JumpStartModelNotFoundError);
      assert.match(error.message, /unknown JumpStart model id "huggingface-zstc-facebook-bart-large-mnly"/);
      assert.match(error.message, /did you mean "huggingface-zstc-facebook-bart-large-mnli"/);
      assert.match(error.message, /The 39 zero-shot models are: .*huggingface-zstc-recognai-zeroshot-selectra-small/);
      return true;
    });
  });

  it("refuses an unknown version, listing the versions there are", async () => {
    await assert.rejects(catalog.getModel(BART, "1.9.9"), (error: unknown) => {
      assert.ok(error instanceof JumpStartVersionNotFoundError);
      assert.deepEqual(error.availableVersions, ["2.0.14"]);
      assert.match(error.message, /has no version "1\.9\.9" .*it has 2\.0\.14; pass one of them, or "\*" for the latest/);
      return true;
    });
  });

  it("refuses a region without JumpStart, listing the regions", () => {
    assert.throws(() => snapshotCatalog("mars-north-1"), (error: unknown) => error instanceof JumpStartCatalogError && /not available in region "mars-north-1": pass one of .*eu-west-2/.test(error.message));
  });
});

describe("live catalog (a JumpStart bucket on 127.0.0.1)", () => {
  let bucket: JumpStartBucket;
  before(async () => {
    bucket = await startJumpStartBucket();
  });
  after(() => bucket.close());

  it("lists a task's models from models_manifest.json, reading it once", async () => {
    const catalog = liveCatalog("us-east-1", { baseUrl: bucket.baseUrl });
    assert.deepEqual(await catalog.listModels({ task: "zstc" }), [{ modelId: TEST_JUMPSTART_ID, versions: ["0.9.0", "1.0.0", "2.0.3"], latestVersion: "2.0.3" }]);
    assert.equal((await catalog.listModels()).length, 2);
    assert.deepEqual(bucket.requests, ["/models_manifest.json"]);
  });

  it("resolves a prepacked version: the region's image for the instance family, the artifact prefix, the spec's environment, network isolation", async () => {
    const model = await liveCatalog("af-south-1", { baseUrl: bucket.baseUrl }).getModel(TEST_JUMPSTART_ID, "*");
    assert.equal(model.version, "2.0.3");
    assert.equal(model.hubModelId, "test-org/tiny-nli");
    const hosting = resolveJumpStartHosting(model, { region: "af-south-1", instanceType: "ml.m5.xlarge" });
    assert.equal(hosting.via, "specs");
    assert.equal(hosting.enableNetworkIsolation, true);
    assert.equal(hosting.scriptUri, undefined);
    assert.deepEqual(hosting.container, {
      Image: "626614931356.dkr.ecr.af-south-1.amazonaws.com/huggingface-pytorch-inference:9.9.9-transformers9.9.9-cpu-py3-test",
      ModelDataSource: {
        S3DataSource: {
          S3Uri: "s3://jumpstart-cache-prod-af-south-1/huggingface-zstc/huggingface-zstc-test-tiny-nli/artifacts/inference-prepack/v2.0.3/",
          S3DataType: "S3Prefix",
          CompressionType: "None",
        },
      },
      Environment: {
        SAGEMAKER_PROGRAM: "inference.py",
        SAGEMAKER_SUBMIT_DIRECTORY: "/opt/ml/model/code",
        SAGEMAKER_CONTAINER_LOG_LEVEL: "20",
        SAGEMAKER_MODEL_SERVER_TIMEOUT: "3600",
        MODEL_CACHE_ROOT: "/opt/ml/model",
        SAGEMAKER_ENV: "1",
        SAGEMAKER_MODEL_SERVER_WORKERS: "1",
      },
    });
    assert.equal(resolveJumpStartHosting(model, { region: "af-south-1" }).instanceType, "ml.c5.2xlarge", "the spec's default_inference_instance_type");
    const gpu = resolveJumpStartHosting(model, { region: "af-south-1", instanceType: "ml.g5.2xlarge" });
    assert.match(gpu.container.Image ?? "", /-gpu-/);
    assert.throws(() => resolveJumpStartHosting(model, { region: "af-south-1", instanceType: "ml.inf2.xlarge" }), /no inference image for ml\.inf2\.xlarge: use one of its instance types \(ml\.m5\.xlarge, ml\.c5\.xlarge, ml\.c5\.2xlarge, ml\.g5\.xlarge\)/);
  });

  it("resolves a script version: model.tar.gz plus the inference script as SAGEMAKER_SUBMIT_DIRECTORY", async () => {
    const model = await liveCatalog("us-east-1", { baseUrl: bucket.baseUrl }).getModel(TEST_JUMPSTART_ID, "1.*");
    const hosting = resolveJumpStartHosting(model, { region: "us-east-1", instanceType: "ml.m5.xlarge" });
    const script = "s3://jumpstart-cache-prod-us-east-1/source-directory-tarballs/huggingface/inference/zstc/v1.0.0/sourcedir.tar.gz";
    assert.equal(hosting.scriptUri, script);
    assert.equal(hosting.container.ModelDataUrl, "s3://jumpstart-cache-prod-us-east-1/huggingface-infer/infer-huggingface-zstc-test-tiny-nli.tar.gz");
    assert.equal(hosting.container.Environment.SAGEMAKER_SUBMIT_DIRECTORY, script);
    assert.equal(hosting.container.Environment.SAGEMAKER_PROGRAM, "inference.py");
  });

  it("refuses a vulnerable or deprecated version unless tolerated, as the SDK does", async () => {
    const retired = await liveCatalog("us-east-1", { baseUrl: bucket.baseUrl }).getModel(TEST_JUMPSTART_ID, "0.9.0");
    const target = { region: "us-east-1", instanceType: "ml.m5.xlarge" };
    assert.throws(() => resolveJumpStartHosting(retired, target), /0\.9\.0 has inference dependencies with known vulnerabilities: .*tolerateVulnerable: true/);
    assert.throws(() => resolveJumpStartHosting(retired, { ...target, tolerateVulnerable: true }), /0\.9\.0 is deprecated \(use version 2\.0\.3\): .*tolerateDeprecated: true/);
    assert.equal(resolveJumpStartHosting(retired, { ...target, tolerateVulnerable: true, tolerateDeprecated: true }).via, "specs");
  });

  it("listZeroShotModels reads the live list when asked, the snapshot otherwise", async () => {
    assert.deepEqual((await listZeroShotModels({ region: "us-east-1", live: true, baseUrl: bucket.baseUrl })).map((model) => model.modelId), [TEST_JUMPSTART_ID]);
    assert.equal((await listZeroShotModels({ region: "us-east-1" })).length, 39);
  });

  it("names unknown ids and versions with what the manifest has", async () => {
    const catalog = liveCatalog("us-east-1", { baseUrl: bucket.baseUrl });
    await assert.rejects(catalog.getModel("huggingface-zstc-test-tiny-nlx"), /did you mean "huggingface-zstc-test-tiny-nli"/);
    await assert.rejects(catalog.getModel(TEST_JUMPSTART_ID, "3.*"), /has no version "3\.\*" \(JumpStart in us-east-1\): it has 0\.9\.0, 1\.0\.0, 2\.0\.3/);
  });

  it("says how to work offline when the bucket cannot be reached", async () => {
    const closed = await startJumpStartBucket();
    await closed.close();
    await assert.rejects(liveCatalog("us-east-1", { baseUrl: closed.baseUrl }).listModels(), (error: unknown) => {
      assert.ok(error instanceof JumpStartCatalogError);
      assert.match(error.message, /cannot read http:\/\/127\.0\.0\.1:\d+\/models_manifest\.json: .*Offline, use the bundled snapshot/);
      return true;
    });
  });

  it("writes a snapshot with every version and the latest specs, which then serves offline", async () => {
    const snapshot = await readJumpStartSnapshot("us-east-1", { baseUrl: bucket.baseUrl, now: new Date("2026-11-25T00:00:00Z") });
    assert.equal(snapshot.date, "2026-11-25");
    assert.deepEqual(snapshot.models.map((model) => [model.modelId, model.hubModelId, model.versions.map((v) => [v.version, v.minSdkVersion, v.spec?.version])]), [
      [TEST_JUMPSTART_ID, "test-org/tiny-nli", [["0.9.0", "2.81.0", undefined], ["1.0.0", "2.81.0", undefined], ["2.0.3", "2.189.0", "2.0.3"]]],
    ]);
    const offline = await snapshotCatalog("us-east-1", snapshot).getModel(TEST_JUMPSTART_ID);
    assert.equal(resolveJumpStartHosting(offline, { region: "us-east-1", instanceType: "ml.c5.xlarge" }).via, "specs");
  });
});
