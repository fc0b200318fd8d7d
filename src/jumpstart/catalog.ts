/**
 * Where JumpStart model ids come from. The live catalog reads JumpStart's public files for a region
 * (`models_manifest.json` and each version's specs in the bucket `jumpstart-cache-prod-<region>`, as
 * the SageMaker Python SDK does); the snapshot catalog answers the same calls offline from the
 * bundled snapshot of the zero-shot (`zstc`) models.
 */
import { JumpStartCatalogError, JumpStartModelNotFoundError, JumpStartVersionNotFoundError } from "./errors";
import type { JumpStartManifestEntry, JumpStartModelSpecs, JumpStartSnapshot } from "./types";
import { latestVersion, selectVersion } from "./versions";
import zstcSnapshot from "./snapshot/zstc.json";

/** The JumpStart task of the zero-shot text classification models (the `zstc` in their ids). */
export const ZERO_SHOT_JUMPSTART_TASK = "zstc";

/** The bundled snapshot of JumpStart's zero-shot models (date, provenance and notes included). */
export const ZERO_SHOT_SNAPSHOT: JumpStartSnapshot = zstcSnapshot as JumpStartSnapshot;

/** A model in a catalog listing. */
export interface JumpStartModelSummary {
  modelId: string;
  /** The Hugging Face hub model it was built from, where the catalog knows it. */
  hubModelId?: string;
  latestVersion: string;
  versions: string[];
}

/** One version of one model, with its hosting specs when the catalog has them. */
export interface JumpStartModelVersion {
  modelId: string;
  version: string;
  hubModelId?: string;
  spec?: JumpStartModelSpecs;
  /** Which catalog answered: "live" (JumpStart's bucket) or "snapshot" (bundled, dated). */
  source: "live" | "snapshot";
}

/** A source of JumpStart model ids, versions and specs for one region. */
export interface JumpStartCatalog {
  readonly source: "live" | "snapshot";
  readonly region: string;
  /** Models of a task (the infix of the id, e.g. "zstc"), or all; sorted by id. */
  listModels(options?: { task?: string }): Promise<JumpStartModelSummary[]>;
  /** One model at `version` ("*" = latest, "2.*", "2.0.14"); unknown ids and versions throw, listing what exists. */
  getModel(modelId: string, version?: string): Promise<JumpStartModelVersion>;
}

/** The task infix of a JumpStart id: `huggingface-zstc-facebook-bart-large-mnli` -> `zstc`. */
export function jumpStartTask(modelId: string): string {
  return modelId.split("-")[1] ?? "";
}

/** The content bucket's HTTPS address for a region, as the SDK names it. */
export function jumpStartBucketUrl(region: string): string {
  const domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://jumpstart-cache-prod-${region}.s3.${region}.${domain}`;
}

/** The JumpStart content bucket of a region (`jumpstart-cache-prod-<region>`). */
export function jumpStartBucket(region: string): string {
  return `jumpstart-cache-prod-${region}`;
}

function checkRegion(region: string): void {
  if (!ZERO_SHOT_SNAPSHOT.regions.includes(region)) {
    throw new JumpStartCatalogError(`JumpStart is not available in region ${JSON.stringify(region)}: pass one of ${ZERO_SHOT_SNAPSHOT.regions.join(", ")}`);
  }
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

function unknownModel(modelId: string, known: string[], where: string): JumpStartModelNotFoundError {
  const closest = [...known].sort((x, y) => editDistance(modelId, x) - editDistance(modelId, y)).slice(0, 3);
  const zeroShot = known.filter((id) => jumpStartTask(id) === ZERO_SHOT_JUMPSTART_TASK);
  return new JumpStartModelNotFoundError(
    `unknown JumpStart model id ${JSON.stringify(modelId)} (${where}): did you mean ${closest.map((id) => JSON.stringify(id)).join(" or ")}? ` +
      `The ${zeroShot.length} zero-shot models are: ${zeroShot.join(", ")} (zero-shot models --task zstc lists them with their versions)`,
    modelId,
  );
}

function pickVersion(modelId: string, wanted: string, available: string[], where: string): string {
  const version = selectVersion(wanted, available);
  if (version === undefined) {
    throw new JumpStartVersionNotFoundError(
      `JumpStart model ${modelId} has no version ${JSON.stringify(wanted)} (${where}): it has ${[...available].join(", ")}; pass one of them, or "*" for the latest`,
      modelId,
      [...available],
    );
  }
  return version;
}

/** The Hugging Face hub id in a spec's `url` (`https://huggingface.co/facebook/bart-large-mnli`). */
export function hubModelIdFromUrl(url: string | undefined): string | undefined {
  const match = url ? /^https:\/\/huggingface\.co\/([^?#]+?)\/?$/.exec(url) : null;
  return match?.[1];
}

/**
 * The bundled snapshot as a catalog (offline; the default in local mode).
 * @example (await snapshotCatalog("us-east-1").getModel("huggingface-zstc-facebook-bart-large-mnli")).hubModelId // "facebook/bart-large-mnli"
 */
export function snapshotCatalog(region: string, snapshot: JumpStartSnapshot = ZERO_SHOT_SNAPSHOT): JumpStartCatalog {
  checkRegion(region);
  const where = `bundled snapshot of ${snapshot.date}, ${snapshot.task} models only`;
  return {
    source: "snapshot",
    region,
    async listModels(options = {}) {
      return snapshot.models
        .filter((model) => !options.task || jumpStartTask(model.modelId) === options.task)
        .map((model) => {
          const versions = model.versions.map((entry) => entry.version);
          return { modelId: model.modelId, hubModelId: model.hubModelId, versions, latestVersion: latestVersion(versions)! };
        })
        .sort((a, b) => a.modelId.localeCompare(b.modelId));
    },
    async getModel(modelId, wanted = "*") {
      const model = snapshot.models.find((entry) => entry.modelId === modelId);
      if (!model) throw unknownModel(modelId, snapshot.models.map((entry) => entry.modelId), where);
      const version = pickVersion(modelId, wanted, model.versions.map((entry) => entry.version), where);
      const spec = model.versions.find((entry) => entry.version === version)?.spec;
      return { modelId, version, hubModelId: model.hubModelId ?? hubModelIdFromUrl(spec?.url), spec, source: "snapshot" };
    },
  };
}

/** One JSON file of a JumpStart bucket (`models_manifest.json`, a spec key), over HTTPS. */
export async function readJumpStartFile(baseUrl: string, key: string, timeoutMs = 30_000): Promise<unknown> {
  const url = `${baseUrl.replace(/\/+$/, "")}/${key.split("/").map(encodeURIComponent).join("/")}`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new JumpStartCatalogError(
      `cannot read ${url}: ${(error as Error).message}. Offline, use the bundled snapshot (local mode does; or pass jumpStartCatalog: snapshotCatalog(region))`,
      { cause: error },
    );
  }
  if (!response.ok) throw new JumpStartCatalogError(`cannot read ${url}: HTTP ${response.status} ${response.statusText}`);
  try {
    return await response.json();
  } catch (error) {
    throw new JumpStartCatalogError(`${url} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

export interface LiveCatalogOptions {
  /** The bucket's base URL. Default: `https://jumpstart-cache-prod-<region>.s3.<region>.amazonaws.com`. */
  baseUrl?: string;
  /** Default 30 s per file. */
  timeoutMs?: number;
}

/**
 * JumpStart's own files for a region, read over HTTPS (the bucket is public; no credentials).
 * @example const catalog = liveCatalog("us-east-1"); await catalog.listModels({ task: "zstc" });
 */
export function liveCatalog(region: string, options: LiveCatalogOptions = {}): JumpStartCatalog {
  checkRegion(region);
  const baseUrl = (options.baseUrl ?? jumpStartBucketUrl(region)).replace(/\/+$/, "");
  const where = `JumpStart in ${region}`;
  let manifest: Promise<JumpStartManifestEntry[]> | undefined;

  const readJson = (key: string) => readJumpStartFile(baseUrl, key, options.timeoutMs);

  const entries = (): Promise<JumpStartManifestEntry[]> => {
    manifest ??= readJson("models_manifest.json").then((body) => {
      if (!Array.isArray(body)) throw new JumpStartCatalogError(`${baseUrl}/models_manifest.json is not a list of model headers`);
      return body as JumpStartManifestEntry[];
    });
    manifest.catch(() => (manifest = undefined)); // a failed read is retried next time
    return manifest;
  };

  return {
    source: "live",
    region,
    async listModels(listOptions = {}) {
      const byId = new Map<string, string[]>();
      for (const entry of await entries()) {
        if (listOptions.task && jumpStartTask(entry.model_id) !== listOptions.task) continue;
        byId.set(entry.model_id, [...(byId.get(entry.model_id) ?? []), entry.version]);
      }
      return [...byId].map(([modelId, versions]) => ({ modelId, versions, latestVersion: latestVersion(versions)! })).sort((a, b) => a.modelId.localeCompare(b.modelId));
    },
    async getModel(modelId, wanted = "*") {
      const all = await entries();
      const rows = all.filter((entry) => entry.model_id === modelId);
      if (rows.length === 0) throw unknownModel(modelId, [...new Set(all.map((entry) => entry.model_id))], where);
      const version = pickVersion(modelId, wanted, rows.map((row) => row.version), where);
      const row = rows.find((entry) => entry.version === version)!;
      const spec = (await readJson(row.spec_key)) as JumpStartModelSpecs;
      return { modelId, version, hubModelId: hubModelIdFromUrl(spec.url), spec, source: "live" };
    },
  };
}

/**
 * JumpStart's zero-shot text classification models in a region: from JumpStart itself (`live`), or
 * offline from the bundled snapshot (the default).
 * @example (await listZeroShotModels({ region: "us-east-1" })).map((model) => model.modelId)
 */
export function listZeroShotModels(options: { region?: string; live?: boolean; baseUrl?: string } = {}): Promise<JumpStartModelSummary[]> {
  const region = options.region ?? process.env.AWS_REGION ?? "us-east-1";
  const catalog = options.live ? liveCatalog(region, { baseUrl: options.baseUrl }) : snapshotCatalog(region);
  return catalog.listModels({ task: ZERO_SHOT_JUMPSTART_TASK });
}
