/**
 * A JumpStart content bucket on 127.0.0.1 for tests: `models_manifest.json` and spec files in
 * JumpStart's layout (as the SageMaker Python SDK's unit-test fixtures show it), for a made-up model
 * `huggingface-zstc-test-tiny-nli`. Every value is test data, not a real JumpStart entry.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JumpStartManifestEntry, JumpStartModelSpecs } from "../../src/jumpstart/types";

export const TEST_JUMPSTART_ID = "huggingface-zstc-test-tiny-nli";
const IMAGE = (account: string, region: string, device: string) =>
  `${account}.dkr.ecr.${region}.amazonaws.com/huggingface-pytorch-inference:9.9.9-transformers9.9.9-${device}-py3-test`;

const environment = [
  { name: "SAGEMAKER_PROGRAM", type: "text", default: "inference.py", scope: "container", required_for_model_class: true },
  { name: "SAGEMAKER_SUBMIT_DIRECTORY", type: "text", default: "/opt/ml/model/code", scope: "container", required_for_model_class: false },
  { name: "SAGEMAKER_CONTAINER_LOG_LEVEL", type: "text", default: "20", scope: "container", required_for_model_class: false },
  { name: "SAGEMAKER_MODEL_SERVER_TIMEOUT", type: "text", default: "3600", scope: "container", required_for_model_class: false },
  { name: "MODEL_CACHE_ROOT", type: "text", default: "/opt/ml/model", scope: "container", required_for_model_class: true },
  { name: "SAGEMAKER_ENV", type: "text", default: "1", scope: "container", required_for_model_class: true },
  { name: "SAGEMAKER_MODEL_SERVER_WORKERS", type: "int", default: 1, scope: "container", required_for_model_class: true },
];

const variants = {
  regional_aliases: {
    "us-east-1": { cpu_ecr_uri_1: IMAGE("763104351884", "us-east-1", "cpu"), gpu_ecr_uri_2: IMAGE("763104351884", "us-east-1", "gpu") },
    "af-south-1": { cpu_ecr_uri_1: IMAGE("626614931356", "af-south-1", "cpu"), gpu_ecr_uri_2: IMAGE("626614931356", "af-south-1", "gpu") },
  },
  variants: {
    m5: { regional_properties: { image_uri: "$cpu_ecr_uri_1" } },
    c5: { regional_properties: { image_uri: "$cpu_ecr_uri_1" } },
    g5: { regional_properties: { image_uri: "$gpu_ecr_uri_2" } },
  },
};

/** Version 2.0.3: a prepacked artifact (an uncompressed prefix) with its code inside. */
export const PREPACKED_SPEC: JumpStartModelSpecs = {
  model_id: TEST_JUMPSTART_ID,
  version: "2.0.3",
  url: "https://huggingface.co/test-org/tiny-nli",
  hosting_instance_type_variants: variants,
  hosting_artifact_key: "huggingface-zstc/huggingface-zstc-test-tiny-nli/artifacts/inference/v2.0.0/",
  hosting_prepacked_artifact_key: "huggingface-zstc/huggingface-zstc-test-tiny-nli/artifacts/inference-prepack/v2.0.3/",
  hosting_script_key: "source-directory-tarballs/huggingface/inference/zstc/v2.0.0/sourcedir.tar.gz",
  inference_environment_variables: environment,
  inference_enable_network_isolation: true,
  default_inference_instance_type: "ml.c5.2xlarge",
  supported_inference_instance_types: ["ml.m5.xlarge", "ml.c5.xlarge", "ml.c5.2xlarge", "ml.g5.xlarge"],
};

/** Version 1.0.0: a model.tar.gz plus the inference script from its own tarball. */
export const SCRIPT_SPEC: JumpStartModelSpecs = {
  model_id: TEST_JUMPSTART_ID,
  version: "1.0.0",
  url: "https://huggingface.co/test-org/tiny-nli",
  hosting_instance_type_variants: variants,
  hosting_artifact_key: "huggingface-infer/infer-huggingface-zstc-test-tiny-nli.tar.gz",
  hosting_script_key: "source-directory-tarballs/huggingface/inference/zstc/v1.0.0/sourcedir.tar.gz",
  inference_environment_variables: environment,
  supported_inference_instance_types: ["ml.m5.xlarge"],
};

/** Version 0.9.0: marked deprecated and vulnerable, as JumpStart marks retired versions. */
export const RETIRED_SPEC: JumpStartModelSpecs = {
  ...SCRIPT_SPEC,
  version: "0.9.0",
  deprecated: true,
  deprecated_message: "use version 2.0.3",
  inference_vulnerable: true,
};

const specKey = (version: string) => `community_models/${TEST_JUMPSTART_ID}/specs_v${version}.json`;

export const TEST_MANIFEST: JumpStartManifestEntry[] = [
  { model_id: TEST_JUMPSTART_ID, version: "0.9.0", min_version: "2.81.0", spec_key: specKey("0.9.0") },
  { model_id: TEST_JUMPSTART_ID, version: "1.0.0", min_version: "2.81.0", spec_key: specKey("1.0.0") },
  { model_id: TEST_JUMPSTART_ID, version: "2.0.3", min_version: "2.189.0", spec_key: specKey("2.0.3") },
  { model_id: "huggingface-spc-test-pair-model", version: "1.0.0", min_version: "2.75.0", spec_key: "community_models/huggingface-spc-test-pair-model/specs_v1.0.0.json" },
];

export interface JumpStartBucket {
  baseUrl: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves the manifest and the two specs; anything else is S3's 403 for a missing key in a public bucket. */
export async function startJumpStartBucket(): Promise<JumpStartBucket> {
  const files = new Map<string, unknown>([
    ["/models_manifest.json", TEST_MANIFEST],
    [`/${specKey("0.9.0")}`, RETIRED_SPEC],
    [`/${specKey("1.0.0")}`, SCRIPT_SPEC],
    [`/${specKey("2.0.3")}`, PREPACKED_SPEC],
  ]);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    requests.push(path);
    const body = files.get(path);
    res.statusCode = body === undefined ? 403 : 200;
    res.setHeader("Content-Type", body === undefined ? "application/xml" : "application/json");
    res.end(body === undefined ? "<Error><Code>AccessDenied</Code></Error>" : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
