/**
 * Fetches a dataset file from its pinned URL (or copies a local one), checks its sha256 and stores it
 * atomically: it is written to a temporary file and renamed, so an interrupted fetch never leaves a
 * partial file where a finished one is expected.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DatasetError, InputError } from "../errors";
import { writeFileAtomically } from "../io/atomicFile";
import { RESOLUTIONS_DEFAULT_PATH, RESOLUTIONS_SHA256, RESOLUTIONS_URL } from "./resolutions";

/** Where a dataset comes from and where it goes. */
export interface FetchDatasetOptions {
  /** A local copy to use instead of downloading. */
  from?: string;
  /** Where to store the file. Default `data/New-years-resolutions-DFE.csv`. */
  out?: string;
  /** Default: the pinned resolutions URL. */
  url?: string;
  /** The expected sha256 (hex); `null` skips the check. Default: the resolutions file's. */
  sha256?: string | null;
  /** Fetch or copy again even when `out` already holds the expected file. */
  force?: boolean;
}

/** What `fetchDataset` did. */
export interface FetchedDataset {
  path: string;
  sha256: string;
  bytes: number;
  /** `download` from the URL, `copy` of `from`, or `present`: `out` already held the file. */
  how: "download" | "copy" | "present";
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Stores the dataset at `out` after checking its sha256.
 * @example await fetchDataset({ from: "../shared/data/new-years-resolutions/New-years-resolutions-DFE.csv" });
 */
export async function fetchDataset(options: FetchDatasetOptions = {}): Promise<FetchedDataset> {
  const out = resolve(options.out ?? RESOLUTIONS_DEFAULT_PATH);
  const url = options.url ?? RESOLUTIONS_URL;
  const expected = options.sha256 === undefined ? RESOLUTIONS_SHA256 : options.sha256;
  if (!options.force && options.from === undefined && existsSync(out)) {
    const present = readFileSync(out);
    const sha256 = sha256Hex(present);
    if (expected === null || sha256 === expected) return { path: out, sha256, bytes: present.length, how: "present" };
  }
  let bytes: Uint8Array;
  let source: string;
  if (options.from !== undefined) {
    source = resolve(options.from);
    if (!existsSync(source)) throw new InputError(`--from ${options.from}: no such file; give the path of a local copy of the dataset`);
    bytes = readFileSync(source);
  } else {
    source = url;
    bytes = await download(url);
  }
  const sha256 = sha256Hex(bytes);
  if (expected !== null && sha256 !== expected) {
    throw new DatasetError(
      `${source} has sha256 ${sha256}, not the expected ${expected}: it is not the pinned dataset file ` +
        `(a different version, a truncated download or an HTML error page); fetch it again or pass --from with the original file`,
    );
  }
  writeFileAtomically(out, bytes);
  return { path: out, sha256, bytes: bytes.length, how: options.from !== undefined ? "copy" : "download" };
}

async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new DatasetError(
      `could not download ${url} (${(error as Error).message}${(error as { cause?: Error }).cause ? `: ${(error as { cause: Error }).cause.message}` : ""}): ` +
        `check your connection, or download the file elsewhere and pass --from PATH`,
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new DatasetError(`downloading ${url} failed with HTTP ${response.status} ${response.statusText}: check the URL, or pass --from PATH with a local copy`);
  }
  return new Uint8Array(await response.arrayBuffer());
}
