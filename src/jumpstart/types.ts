/**
 * The JumpStart files this library reads, in their own field names (snake_case, as the SageMaker
 * Python SDK reads them from `jumpstart-cache-prod-<region>`): the manifest's model headers and the
 * subset of a model's specs that hosting needs. Unknown fields are kept and ignored.
 */

/** One row of `models_manifest.json`: a model id at one version, and where its specs are. */
export interface JumpStartManifestEntry {
  model_id: string;
  version: string;
  /** The oldest SageMaker Python SDK that can use this version. */
  min_version: string;
  /** The key of the version's specs JSON in the same bucket, e.g. `community_models/<id>/specs_v2.0.0.json`. */
  spec_key: string;
  search_keywords?: string[];
}

/** A container environment variable with its default, as the specs list them. */
export interface JumpStartEnvironmentVariable {
  name: string;
  type: string;
  default: string | number | boolean;
  scope: string;
  required_for_model_class?: boolean;
}

/** The per-instance-family properties of a model (image, artifacts, environment), with per-region aliases. */
export interface JumpStartInstanceTypeVariants {
  /** region -> alias -> value; variants name values as `$alias`. */
  regional_aliases?: Record<string, Record<string, string>>;
  /** Instance type or family (`ml.m5.xlarge` or `m5`) -> properties. */
  variants?: Record<
    string,
    {
      regional_properties?: { image_uri?: string };
      properties?: {
        image_uri?: string;
        artifact_key?: string;
        prepacked_artifact_key?: string;
        environment_variables?: Record<string, string>;
      };
    }
  >;
}

/** The hosting part of a model version's specs. */
export interface JumpStartModelSpecs {
  model_id: string;
  version: string;
  /** The model's source page, e.g. `https://huggingface.co/facebook/bart-large-mnli`. */
  url?: string;
  min_sdk_version?: string;
  hosting_ecr_specs?: { framework?: string; framework_version?: string; py_version?: string; huggingface_transformers_version?: string };
  hosting_instance_type_variants?: JumpStartInstanceTypeVariants;
  hosting_artifact_key?: string;
  hosting_prepacked_artifact_key?: string;
  hosting_script_key?: string;
  hosting_use_script_uri?: boolean;
  inference_environment_variables?: JumpStartEnvironmentVariable[];
  inference_enable_network_isolation?: boolean;
  default_inference_instance_type?: string;
  supported_inference_instance_types?: string[];
  deprecated?: boolean;
  deprecated_message?: string;
  inference_vulnerable?: boolean;
  gated_bucket?: boolean;
}

/** One model in a bundled snapshot: its versions and, where known, each version's specs. */
export interface JumpStartSnapshotModel {
  modelId: string;
  /** The Hugging Face hub model it was built from (the spec's `url`). */
  hubModelId?: string;
  versions: { version: string; minSdkVersion: string; spec?: JumpStartModelSpecs }[];
}

/** The bundled catalog of one task's models, with where it came from. */
export interface JumpStartSnapshot {
  task: string;
  title: string;
  /** When the source was read (YYYY-MM-DD). */
  date: string;
  /** The region whose manifest the snapshot was read from. */
  manifestRegion: string;
  provenance: string;
  /** The command that writes a fresh snapshot where the JumpStart bucket is reachable. */
  refresh: string;
  notes: string[];
  /** Regions with a JumpStart content bucket. */
  regions: string[];
  models: JumpStartSnapshotModel[];
}
