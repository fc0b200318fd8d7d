/**
 * What a local model *is*: a sha256 over the content of its weight, tokenizer and config files. A file's
 * size and modification time do not identify it (new weights of the same size can carry the old time),
 * so every file is hashed; the hash is memoized by (path, size, mtime, ctime, inode) in a small JSON
 * file, so a re-run stats the files and hashes nothing. Rewriting a file changes its ctime or inode,
 * which no tool can set back, so a memo never outlives the bytes it describes.
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomically } from "../io/atomicFile";
import { weightsFile, type ModelDtype } from "./resolve";

/** The files transformers.js reads besides the weights; each one changes what a model computes. */
const DESCRIPTION_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

interface MemoEntry {
  size: string;
  mtime: string;
  ctime: string;
  ino: string;
  sha256: string;
}

/** Counts hashing work, so tests can see that a memoized fingerprint reads no file. */
export const fingerprintStats = { filesHashed: 0, bytesHashed: 0 };

/** The files of `dir` that make up the model at `dtype`: description files and the weights (with external data). */
export function modelFiles(dir: string, dtype: ModelDtype): string[] {
  const weights = weightsFile(dtype);
  const candidates = [...DESCRIPTION_FILES, weights, `${weights}_data`, `${weights}.data`];
  return candidates.filter((file) => existsSync(join(dir, file)));
}

function sha256OfFile(path: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  const fd = openSync(path, "r");
  try {
    let read: number;
    while ((read = readSync(fd, buffer, 0, buffer.length, null)) > 0) {
      hash.update(buffer.subarray(0, read));
      fingerprintStats.bytesHashed += read;
    }
  } finally {
    closeSync(fd);
  }
  fingerprintStats.filesHashed++;
  return hash.digest("hex");
}

function readMemo(memoFile: string): Record<string, MemoEntry> {
  try {
    const parsed = JSON.parse(readFileSync(memoFile, "utf8")) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, MemoEntry>) : {};
  } catch {
    return {}; // missing or damaged: hash again
  }
}

/**
 * The content fingerprint (sha256, hex) of the model in `dir` at `dtype`. `memoFile` keeps file hashes
 * between runs; without it every file is hashed.
 * @example const fingerprint = modelFingerprint("models/tiny-bert-nli", "fp32", ".cache/fingerprints.json");
 */
export function modelFingerprint(dir: string, dtype: ModelDtype, memoFile?: string): string {
  const root = resolve(dir);
  const memo = memoFile ? readMemo(memoFile) : {};
  let changed = false;
  const fingerprint = createHash("sha256");
  for (const file of modelFiles(root, dtype)) {
    const path = join(root, file);
    const stats = statSync(path, { bigint: true });
    const seen = { size: String(stats.size), mtime: String(stats.mtimeNs), ctime: String(stats.ctimeNs), ino: String(stats.ino) };
    const known = Object.hasOwn(memo, path) ? memo[path] : undefined;
    let sha256 = known && known.size === seen.size && known.mtime === seen.mtime && known.ctime === seen.ctime && known.ino === seen.ino ? known.sha256 : undefined;
    if (!sha256) {
      sha256 = sha256OfFile(path);
      memo[path] = { ...seen, sha256 };
      changed = true;
    }
    fingerprint.update(`${file}\u0000${sha256}\u0000`);
  }
  if (memoFile && changed) {
    try {
      writeFileAtomically(memoFile, JSON.stringify(memo));
    } catch {
      // A read-only cache only costs hashing again next time.
    }
  }
  return fingerprint.digest("hex");
}
