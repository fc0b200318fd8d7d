/**
 * The Hugging Face PyTorch inference Deep Learning Container that `deployModel` runs, per region and device.
 *
 * The image is the newest one that both the AWS Deep Learning Containers list
 * (aws/deep-learning-containers, docs/src/data/huggingface-pytorch-inference/2.6-{cpu,gpu}-sagemaker.yml)
 * and the SageMaker Python SDK's image config (aws/sagemaker-python-sdk,
 * sagemaker-core/src/sagemaker/core/image_uri_config/huggingface.json, inference 5.5.3 / pytorch2.6.0)
 * name, checked in August 2026. The registry accounts are that SDK entry's `registries`, which agree with
 * the DLC list's region table (docs/reference/region_availability.md) wherever both name a region. To run
 * another image, pass `image` to `deployModel` / `createModel`.
 */
import { InputError } from "../errors";

/** The tag parts of the default image: PyTorch, transformers and Python versions, and each device's base. */
export const HF_INFERENCE_VERSIONS = {
  pytorch: "2.6.0",
  transformers: "5.5.3",
  python: "py312",
  cpu: "ubuntu22.04",
  gpu: "cu124-ubuntu22.04",
} as const;

const REPOSITORY = "huggingface-pytorch-inference";

/** ECR registry account of the image in each region that publishes it (the SDK's table for this version). */
const REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  "af-south-1": "626614931356",
  "ap-east-1": "871362719292",
  "ap-northeast-1": "763104351884",
  "ap-northeast-2": "763104351884",
  "ap-northeast-3": "364406365360",
  "ap-south-1": "763104351884",
  "ap-south-2": "772153158452",
  "ap-southeast-1": "763104351884",
  "ap-southeast-2": "763104351884",
  "ap-southeast-3": "907027046896",
  "ap-southeast-4": "457447274322",
  "ca-central-1": "763104351884",
  "ca-west-1": "204538143572",
  "cn-north-1": "727897471807",
  "cn-northwest-1": "727897471807",
  "eu-central-1": "763104351884",
  "eu-central-2": "380420809688",
  "eu-north-1": "763104351884",
  "eu-south-1": "692866216735",
  "eu-south-2": "503227376785",
  "eu-west-1": "763104351884",
  "eu-west-2": "763104351884",
  "eu-west-3": "763104351884",
  "il-central-1": "780543022126",
  "me-central-1": "914824155844",
  "me-south-1": "217643126080",
  "sa-east-1": "763104351884",
  "us-east-1": "763104351884",
  "us-east-2": "763104351884",
  "us-gov-east-1": "446045086412",
  "us-gov-west-1": "442386744353",
  "us-iso-east-1": "886529160074",
  "us-isob-east-1": "094389454867",
  "us-west-1": "763104351884",
  "us-west-2": "763104351884",
};

/** ECR's DNS suffix outside the commercial partition (the SDK's ALTERNATE_DOMAINS for these regions). */
function ecrDomain(region: string): string {
  if (region.startsWith("cn-")) return "amazonaws.com.cn";
  if (region.startsWith("us-isob-")) return "sc2s.sgov.gov";
  if (region.startsWith("us-iso-")) return "c2s.ic.gov";
  return "amazonaws.com";
}

/** The regions the default image is published in, sorted. */
export function huggingFaceInferenceRegions(): string[] {
  return Object.keys(REGISTRY_ACCOUNTS).sort();
}

/**
 * The Hugging Face PyTorch inference image URI for a region; a region that does not publish it is an
 * `InputError` that says to pass `image`.
 * @example huggingFaceInferenceImage("us-east-1")
 * // "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.6.0-transformers5.5.3-cpu-py312-ubuntu22.04"
 */
export function huggingFaceInferenceImage(region: string, device: "cpu" | "gpu" = "cpu"): string {
  const account = Object.hasOwn(REGISTRY_ACCOUNTS, region) ? REGISTRY_ACCOUNTS[region] : undefined;
  if (!account) {
    throw new InputError(
      `no Hugging Face PyTorch inference image is published for region ${JSON.stringify(region)}: use one of ` +
        `${huggingFaceInferenceRegions().join(", ")}, or pass image (an ECR image URI your region can pull) to deployModel`,
    );
  }
  const { pytorch, transformers, python } = HF_INFERENCE_VERSIONS;
  const tag = `${pytorch}-transformers${transformers}-${device}-${python}-${HF_INFERENCE_VERSIONS[device]}`;
  return `${account}.dkr.ecr.${region}.${ecrDomain(region)}/${REPOSITORY}:${tag}`;
}

/** GPU instance families (ml.g*, ml.p*) take the GPU image. */
export function deviceForInstance(instanceType: string): "cpu" | "gpu" {
  return /^ml\.(g|p)\d/.test(instanceType) ? "gpu" : "cpu";
}
