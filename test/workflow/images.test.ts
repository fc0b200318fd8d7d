/**
 * The default SageMaker container: the URIs `deployModel` passes to CreateModel, checked against what the
 * SageMaker Python SDK's `image_uris.retrieve("huggingface", region, version="5.5.3",
 * base_framework_version="pytorch2.6.0", image_scope="inference", instance_type=...)` builds from its config.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors";
import { deviceForInstance, huggingFaceInferenceImage, huggingFaceInferenceRegions } from "../../src/workflow/images";

describe("huggingFaceInferenceImage", () => {
  it("names PyTorch 2.6.0 / transformers 5.5.3 on Python 3.12, the CPU and GPU twins, in us-east-1", () => {
    assert.equal(
      huggingFaceInferenceImage("us-east-1"),
      "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.6.0-transformers5.5.3-cpu-py312-ubuntu22.04",
    );
    assert.equal(
      huggingFaceInferenceImage("us-east-1", "gpu"),
      "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.6.0-transformers5.5.3-gpu-py312-cu124-ubuntu22.04",
    );
  });

  it("takes each region's own registry account and ECR domain", () => {
    const uris = Object.fromEntries(
      ["eu-west-1", "af-south-1", "ap-southeast-3", "il-central-1", "ca-west-1", "cn-north-1", "us-gov-west-1", "us-isob-east-1"].map((region) => [
        region,
        huggingFaceInferenceImage(region).split("/")[0],
      ]),
    );
    assert.deepEqual(uris, {
      "eu-west-1": "763104351884.dkr.ecr.eu-west-1.amazonaws.com",
      "af-south-1": "626614931356.dkr.ecr.af-south-1.amazonaws.com",
      "ap-southeast-3": "907027046896.dkr.ecr.ap-southeast-3.amazonaws.com",
      "il-central-1": "780543022126.dkr.ecr.il-central-1.amazonaws.com",
      "ca-west-1": "204538143572.dkr.ecr.ca-west-1.amazonaws.com",
      "cn-north-1": "727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn",
      "us-gov-west-1": "442386744353.dkr.ecr.us-gov-west-1.amazonaws.com",
      "us-isob-east-1": "094389454867.dkr.ecr.us-isob-east-1.sc2s.sgov.gov",
    });
  });

  it("refuses a region that does not publish the image, naming the way out", () => {
    assert.throws(
      () => huggingFaceInferenceImage("mx-central-1"),
      (error: unknown) =>
        error instanceof InputError &&
        /no Hugging Face PyTorch inference image is published for region "mx-central-1"/.test(error.message) &&
        /pass image/.test(error.message),
    );
    // Not a prototype key either.
    assert.throws(() => huggingFaceInferenceImage("constructor"), InputError);
    assert.equal(huggingFaceInferenceRegions().length, 35);
  });

  it("picks the GPU image for ml.g* and ml.p* instances only", () => {
    assert.deepEqual(
      ["ml.m5.xlarge", "ml.c6i.2xlarge", "ml.g5.xlarge", "ml.p4d.24xlarge", "ml.inf2.xlarge"].map(deviceForInstance),
      ["cpu", "cpu", "gpu", "gpu", "cpu"],
    );
  });
});
