/**
 * Writes a fresh snapshot of one task's JumpStart models from the live bucket of a region (where the
 * internet is reachable): every version in `models_manifest.json`, and the latest version's specs.
 */
import { jumpStartBucketUrl, jumpStartTask, readJumpStartFile, ZERO_SHOT_JUMPSTART_TASK, ZERO_SHOT_SNAPSHOT, hubModelIdFromUrl } from "./catalog";
import { JumpStartCatalogError } from "./errors";
import type { JumpStartManifestEntry, JumpStartModelSpecs, JumpStartSnapshot, JumpStartSnapshotModel } from "./types";
import { latestVersion } from "./versions";

/**
 * Reads the region's manifest and the latest specs of each model of `task`.
 * @example writeFileSync("src/jumpstart/snapshot/zstc.json", JSON.stringify(await readJumpStartSnapshot("eu-west-2"), null, 2));
 */
export async function readJumpStartSnapshot(
  region: string,
  options: { task?: string; baseUrl?: string; timeoutMs?: number; now?: Date } = {},
): Promise<JumpStartSnapshot> {
  const task = options.task ?? ZERO_SHOT_JUMPSTART_TASK;
  const baseUrl = options.baseUrl ?? jumpStartBucketUrl(region);
  const manifest = await readJumpStartFile(baseUrl, "models_manifest.json", options.timeoutMs);
  if (!Array.isArray(manifest)) throw new JumpStartCatalogError(`${baseUrl}/models_manifest.json is not a list of model headers`);
  const byId = new Map<string, JumpStartManifestEntry[]>();
  for (const entry of manifest as JumpStartManifestEntry[]) {
    if (jumpStartTask(entry.model_id) === task) byId.set(entry.model_id, [...(byId.get(entry.model_id) ?? []), entry]);
  }
  const models: JumpStartSnapshotModel[] = [];
  for (const [modelId, entries] of [...byId].sort(([a], [b]) => a.localeCompare(b))) {
    const latest = latestVersion(entries.map((entry) => entry.version))!;
    const spec = (await readJumpStartFile(baseUrl, entries.find((entry) => entry.version === latest)!.spec_key, options.timeoutMs)) as JumpStartModelSpecs;
    models.push({
      modelId,
      hubModelId: hubModelIdFromUrl(spec.url),
      versions: entries.map((entry) => ({ version: entry.version, minSdkVersion: entry.min_version, ...(entry.version === latest ? { spec } : {}) })),
    });
  }
  const date = (options.now ?? new Date()).toISOString().slice(0, 10);
  return {
    task,
    title: `${task} models in SageMaker JumpStart`,
    date,
    manifestRegion: region,
    provenance: `models_manifest.json and the latest specs of each ${task} model, read from ${baseUrl} on ${date}`,
    refresh: ZERO_SHOT_SNAPSHOT.refresh,
    notes: ["Written by zero-shot models --write-snapshot: every version of the manifest, with the latest version's specs."],
    regions: ZERO_SHOT_SNAPSHOT.regions,
    models,
  };
}
