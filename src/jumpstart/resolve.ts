/**
 * What SageMaker needs to host a JumpStart model version in a region, resolved from its specs as the
 * SageMaker Python SDK's `image_uris.retrieve`, `model_uris.retrieve`, `script_uris.retrieve` and
 * `environment_variables.retrieve_default` do: the image of the instance's family (through the
 * region's aliases), the prepacked artifact (or the plain artifact plus the inference script), and the
 * container's default environment. A version without specs (the bundled snapshot has none) hosts the
 * Hugging Face model it was built from in the Hugging Face inference container instead.
 */
import type { JumpStartModelVersion } from "./catalog";
import { jumpStartBucket } from "./catalog";
import { JumpStartCatalogError } from "./errors";
import type { JumpStartInstanceTypeVariants, JumpStartModelSpecs } from "./types";

/** The tags the SageMaker Python SDK puts on a JumpStart model; local mode reads them to serve it. */
export const JUMPSTART_MODEL_ID_TAG = "sagemaker-sdk:jumpstart-model-id";
export const JUMPSTART_MODEL_VERSION_TAG = "sagemaker-sdk:jumpstart-model-version";

/** The entry point JumpStart's inference scripts use. */
export const INFERENCE_ENTRY_POINT = "inference.py";

/** A CreateModel container for a JumpStart model version (SageMaker API field names). */
export interface JumpStartContainer {
  /** The container image; absent when the version has no specs (the caller picks the HF inference image). */
  Image?: string;
  /** A model.tar.gz artifact. */
  ModelDataUrl?: string;
  /** An uncompressed artifact prefix (a key ending in "/"), as the SDK passes it. */
  ModelDataSource?: { S3DataSource: { S3Uri: string; S3DataType: "S3Prefix"; CompressionType: "None" } };
  Environment: Record<string, string>;
}

/** The resolved hosting of one JumpStart model version. */
export interface JumpStartHosting {
  modelId: string;
  version: string;
  hubModelId?: string;
  /** "specs": JumpStart's own image, artifact and script; "hub-model": the HF source in the HF inference container. */
  via: "specs" | "hub-model";
  container: JumpStartContainer;
  /** The inference script's S3 URI, for versions that load it separately. */
  scriptUri?: string;
  /** JumpStart's default for EnableNetworkIsolation (`inference_enable_network_isolation`). */
  enableNetworkIsolation?: boolean;
  /** The instance type resolved for: the one asked for, else the spec's `default_inference_instance_type`. */
  instanceType?: string;
  tags: { Key: string; Value: string }[];
}

/** `ml.m5.xlarge` -> `m5`. */
export function instanceFamily(instanceType: string): string {
  return /^ml\.([a-z0-9]+)\./.exec(instanceType)?.[1] ?? "";
}

function variantProperty(
  variants: JumpStartInstanceTypeVariants | undefined,
  instanceType: string,
  region: string,
  property: "image_uri" | "artifact_key" | "prepacked_artifact_key",
): string | undefined {
  if (!variants?.variants) return undefined;
  for (const key of [instanceType, instanceFamily(instanceType)]) {
    const variant = variants.variants[key];
    if (!variant) continue;
    const plain = variant.properties?.[property];
    if (plain) return plain;
    const alias = property === "image_uri" ? variant.regional_properties?.image_uri : undefined;
    if (alias?.startsWith("$")) {
      const value = variants.regional_aliases?.[region]?.[alias.slice(1)];
      if (value) return value;
    }
  }
  return undefined;
}

function variantEnvironment(variants: JumpStartInstanceTypeVariants | undefined, instanceType: string): Record<string, string> {
  return {
    ...variants?.variants?.[instanceFamily(instanceType)]?.properties?.environment_variables,
    ...variants?.variants?.[instanceType]?.properties?.environment_variables,
  };
}

function s3Uri(bucket: string, key: string): string {
  return key.startsWith("s3://") ? key : `s3://${bucket}/${key}`;
}

function fromSpecs(spec: JumpStartModelSpecs, region: string, instanceType: string): Pick<JumpStartHosting, "container" | "scriptUri" | "enableNetworkIsolation"> {
  const where = `JumpStart model ${spec.model_id} ${spec.version} in ${region}`;
  const image = variantProperty(spec.hosting_instance_type_variants, instanceType, region, "image_uri");
  if (!image) {
    throw new JumpStartCatalogError(
      `${where} has no inference image for ${instanceType}: use one of its instance types (${(spec.supported_inference_instance_types ?? []).join(", ") || "none listed"})`,
    );
  }
  const bucket = jumpStartBucket(region);
  // Gated models keep their artifacts in the private bucket; scripts always come from the public one.
  const artifactBucket = spec.gated_bucket ? `jumpstart-private-cache-prod-${region}` : bucket;
  const prepacked =
    variantProperty(spec.hosting_instance_type_variants, instanceType, region, "prepacked_artifact_key") ?? spec.hosting_prepacked_artifact_key;
  const artifact = prepacked ?? variantProperty(spec.hosting_instance_type_variants, instanceType, region, "artifact_key") ?? spec.hosting_artifact_key;
  if (!artifact) throw new JumpStartCatalogError(`${where} names no hosting artifact: its specs are incomplete`);

  // Every default of the spec, as environment_variables.retrieve_default returns them.
  const environment: Record<string, string> = {};
  for (const variable of spec.inference_environment_variables ?? []) environment[variable.name] = String(variable.default);
  Object.assign(environment, variantEnvironment(spec.hosting_instance_type_variants, instanceType));

  // A prepacked artifact carries its own code/; otherwise the script is loaded from its own tarball.
  const scriptUri = !prepacked && spec.hosting_use_script_uri !== false && spec.hosting_script_key ? s3Uri(bucket, spec.hosting_script_key) : undefined;
  if (scriptUri) {
    environment.SAGEMAKER_PROGRAM = INFERENCE_ENTRY_POINT;
    environment.SAGEMAKER_SUBMIT_DIRECTORY = scriptUri;
  }
  const modelUri = s3Uri(artifactBucket, artifact);
  const container: JumpStartContainer = modelUri.endsWith("/")
    ? { Image: image, ModelDataSource: { S3DataSource: { S3Uri: modelUri, S3DataType: "S3Prefix", CompressionType: "None" } }, Environment: environment }
    : { Image: image, ModelDataUrl: modelUri, Environment: environment };
  return { container, scriptUri, enableNetworkIsolation: spec.inference_enable_network_isolation };
}

/** Whether to use versions JumpStart marks deprecated or with vulnerable inference dependencies (the SDK's tolerate_* flags). */
export interface JumpStartTolerance {
  tolerateDeprecated?: boolean;
  tolerateVulnerable?: boolean;
}

function checkSpecStatus(spec: JumpStartModelSpecs, tolerance: JumpStartTolerance): void {
  const where = `JumpStart model ${spec.model_id} ${spec.version}`;
  if (spec.inference_vulnerable && !tolerance.tolerateVulnerable) {
    throw new JumpStartCatalogError(
      `${where} has inference dependencies with known vulnerabilities: pick another version ("*" for the latest), or pass tolerateVulnerable: true to deploy it anyway`,
    );
  }
  if (spec.deprecated && !tolerance.tolerateDeprecated) {
    throw new JumpStartCatalogError(
      `${where} is deprecated${spec.deprecated_message ? ` (${spec.deprecated_message})` : ""}: pick another version, or pass tolerateDeprecated: true`,
    );
  }
}

/**
 * The container, tags and defaults to host `model` on `instanceType` in `region`. Versions JumpStart
 * marks vulnerable or deprecated are refused unless tolerated, as the SDK refuses them.
 * @example
 * const model = await catalog.getModel("huggingface-zstc-facebook-bart-large-mnli", "*");
 * const hosting = resolveJumpStartHosting(model, { region: "us-east-1", instanceType: "ml.m5.xlarge" });
 */
export function resolveJumpStartHosting(
  model: JumpStartModelVersion,
  target: { region: string; instanceType?: string } & JumpStartTolerance,
): JumpStartHosting {
  const tags = [
    { Key: JUMPSTART_MODEL_ID_TAG, Value: model.modelId },
    { Key: JUMPSTART_MODEL_VERSION_TAG, Value: model.version },
  ];
  const base = { modelId: model.modelId, version: model.version, hubModelId: model.hubModelId, tags };
  if (model.spec) checkSpecStatus(model.spec, target);
  if (model.spec) {
    // As instance_types.retrieve_default: the spec's default instance type unless one is asked for.
    const instanceType = target.instanceType ?? model.spec.default_inference_instance_type ?? "ml.m5.xlarge";
    return { ...base, via: "specs", instanceType, ...fromSpecs(model.spec, target.region, instanceType) };
  }
  if (!model.hubModelId) {
    throw new JumpStartCatalogError(`JumpStart model ${model.modelId} ${model.version}: the ${model.source} catalog has neither its specs nor its Hugging Face source`);
  }
  return { ...base, via: "hub-model", instanceType: target.instanceType, container: { Environment: { HF_MODEL_ID: model.hubModelId } } };
}
