/**
 * The Hugging Face PyTorch inference Deep Learning Container that the AWS walkthrough deploys with,
 * per region. The registry account differs in a few regions (the SageMaker Python SDK's
 * `image_uris.retrieve("huggingface", ...)` table); everywhere else it is 763104351884.
 */

/** Registry accounts of the AWS Deep Learning Containers outside the default one. */
const REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  "af-south-1": "626614931356",
  "ap-east-1": "871362719292",
  "ap-northeast-3": "364406365360",
  "cn-north-1": "727897471807",
  "cn-northwest-1": "727897471807",
  "eu-south-1": "692866216735",
  "me-south-1": "217643126080",
  "us-gov-west-1": "442386744353",
  "us-iso-east-1": "886529160074",
};
const DEFAULT_REGISTRY_ACCOUNT = "763104351884";

/** The image tag parts: PyTorch and transformers versions of a released HF inference DLC. */
export const HF_INFERENCE_VERSIONS = { pytorch: "2.1.0", transformers: "4.37.0", python: "py310" } as const;

/**
 * The Hugging Face PyTorch inference image URI for a region.
 * @example huggingFaceInferenceImage("us-east-1")
 * // "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04"
 */
export function huggingFaceInferenceImage(region: string, device: "cpu" | "gpu" = "cpu"): string {
  const account = REGISTRY_ACCOUNTS[region] ?? DEFAULT_REGISTRY_ACCOUNT;
  const domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  const { pytorch, transformers, python } = HF_INFERENCE_VERSIONS;
  const platform = device === "gpu" ? `gpu-${python}-cu118-ubuntu20.04` : `cpu-${python}-ubuntu22.04`;
  return `${account}.dkr.ecr.${region}.${domain}/huggingface-pytorch-inference:${pytorch}-transformers${transformers}-${platform}`;
}

/** GPU instance families (ml.g*, ml.p*) take the GPU image. */
export function deviceForInstance(instanceType: string): "cpu" | "gpu" {
  return /^ml\.(g|p)\d/.test(instanceType) ? "gpu" : "cpu";
}
