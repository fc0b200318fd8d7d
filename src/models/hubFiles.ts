/**
 * What a hub model costs to download, asked before downloading: the files transformers.js will fetch for a
 * dtype, and each one's size from the hub (a HEAD request; the hub names an LFS file's size in
 * `x-linked-size` before redirecting to its CDN, and the CDN's `Content-Length` says it after).
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { ModelLoadError } from "../errors";
import { missingModelFiles, modelFilesFor, type ModelDtype } from "./resolve";

/** The hub's address: `HF_ENDPOINT` (a mirror, or a local server in tests) or huggingface.co, with one trailing slash. */
export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT || "https://huggingface.co").replace(/\/*$/, "/");
}

/** Whether `env` says never to contact the hub: `HF_HUB_OFFLINE` or `ZERO_SHOT_OFFLINE` set, and not to "0" or "false". */
export function hubOffline(env: NodeJS.ProcessEnv = process.env): boolean {
  return [env.HF_HUB_OFFLINE, env.ZERO_SHOT_OFFLINE].some((value) => value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false");
}

/** One file's size, in bytes. */
export interface ModelFileSize {
  file: string;
  bytes: number;
}

/** The download a model needs, or that it needs none. */
export interface DownloadPlan {
  modelId: string;
  dtype: ModelDtype;
  /** Where the files are (or will be) kept: `<cacheDir>/<modelId>`, a folder any machine can load with `--model`. */
  folder: string;
  /** True when every file is in the cache already: nothing to download. */
  cached: boolean;
  files: ModelFileSize[];
  totalBytes: number;
}

async function remoteSize(url: string, file: string): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, { method: "HEAD", redirect: "follow" });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ModelLoadError(`could not reach the Hugging Face hub for ${url} (${cause?.code ?? cause?.message ?? (error as Error).message}): check your connection, or set HF_ENDPOINT to a mirror`, { cause: error });
  }
  if (response.status === 404 || response.status === 401) {
    throw new ModelLoadError(`the hub has no ${file} at ${url} (HTTP ${response.status}): check the model id, and that it has transformers.js weights (an onnx/ folder), e.g. Xenova/bart-large-mnli`);
  }
  if (!response.ok) throw new ModelLoadError(`the hub answered HTTP ${response.status} for ${url}: try again later, or set HF_ENDPOINT to a mirror`);
  const header = response.headers.get("x-linked-size") ?? response.headers.get("content-length");
  const size = header === null ? NaN : Number(header);
  if (!Number.isFinite(size) || size < 0) throw new ModelLoadError(`the hub did not say how big ${file} is (${url} has no Content-Length)`);
  return size;
}

/**
 * How much `modelId` at `dtype` downloads into `cacheDir`: nothing when it is cached, else each file's size
 * from the hub. Throws `ModelLoadError` (with the cause) when the hub is unreachable or lacks a file.
 * @example const plan = await planDownload("Xenova/bart-large-mnli", "q8", defaultCacheDir());
 */
export async function planDownload(modelId: string, dtype: ModelDtype, cacheDir: string, env: NodeJS.ProcessEnv = process.env): Promise<DownloadPlan> {
  const folder = join(cacheDir, modelId);
  const files = modelFilesFor(dtype);
  if (missingModelFiles(folder, dtype).length === 0) {
    const sizes = files.map((file) => ({ file, bytes: statSync(join(folder, file)).size }));
    return { modelId, dtype, folder, cached: true, files: sizes, totalBytes: sizes.reduce((sum, f) => sum + f.bytes, 0) };
  }
  const base = `${hubEndpoint(env)}${modelId}/resolve/main/`;
  const sizes = await Promise.all(files.map(async (file) => ({ file, bytes: await remoteSize(base + file, file) })));
  return { modelId, dtype, folder, cached: false, files: sizes, totalBytes: sizes.reduce((sum, f) => sum + f.bytes, 0) };
}
