/**
 * How local mode serves a JumpStart model: a model created with JumpStart's tags
 * (`sagemaker-sdk:jumpstart-model-id`) is served by the Hugging Face hub model it was built from (the
 * bundled snapshot's source of that id), or by whatever the `jumpStartModels` option maps the id to
 * (a hub id or a model directory), loaded as any hub or local model. Containers are recognised by their
 * content, so endpoints and transform jobs find them after a restart or the model's deletion.
 */
import type { Tag } from "@aws-sdk/client-sagemaker";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ZERO_SHOT_SNAPSHOT } from "../jumpstart/catalog";
import { JUMPSTART_MODEL_ID_TAG, JUMPSTART_MODEL_VERSION_TAG } from "../jumpstart/resolve";
import type { ContainerDefinition } from "./modelHost";
import { ResourceStore } from "./store";
import { ModelLoadError } from "../errors";

interface JumpStartContainerRecord {
  modelId: string;
  version?: string;
}

/** A stable fingerprint of a container definition (key order does not matter). */
function fingerprint(container: ContainerDefinition): string {
  const canonical = (value: unknown): unknown =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
      : value;
  return createHash("sha256").update(JSON.stringify(canonical(container))).digest("hex").slice(0, 32);
}

export class JumpStartModels {
  private readonly store: ResourceStore<JumpStartContainerRecord>;

  constructor(
    stateDir: string,
    /** JumpStart id -> hub id or model directory; overrides the snapshot's source. */
    private readonly mapping: Readonly<Record<string, string>> = {},
  ) {
    this.store = new ResourceStore(join(stateDir, "jumpstart-containers"));
  }

  /** Records a CreateModel's container when its tags name a JumpStart model. */
  remember(container: ContainerDefinition | undefined, tags: Tag[] | undefined): void {
    const modelId = tags?.find((tag) => tag.Key === JUMPSTART_MODEL_ID_TAG)?.Value;
    if (!container || !modelId) return;
    const version = tags?.find((tag) => tag.Key === JUMPSTART_MODEL_VERSION_TAG)?.Value;
    this.store.put(fingerprint(container), { modelId, ...(version ? { version } : {}) });
  }

  /**
   * The hub id or directory that serves a container, when it belongs to a JumpStart model; throws for a
   * JumpStart id local mode cannot map, naming what it can.
   */
  modelFor(container: ContainerDefinition): string | undefined {
    const record = this.store.get(fingerprint(container));
    if (!record) return undefined;
    const mapped = this.mapping[record.modelId] ?? ZERO_SHOT_SNAPSHOT.models.find((model) => model.modelId === record.modelId)?.hubModelId;
    if (!mapped) {
      const known = [...new Set([...Object.keys(this.mapping), ...ZERO_SHOT_SNAPSHOT.models.map((model) => model.modelId)])];
      throw new ModelLoadError(
        `local mode cannot serve JumpStart model ${record.modelId}: it serves the models of its bundled snapshot (${known.join(", ")}) ` +
          `and those mapped by the jumpStartModels option ({"<jumpstart id>": "<hub id or model directory>"})`,
      );
    }
    return mapped;
  }
}
