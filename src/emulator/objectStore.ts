/**
 * Where the emulator keeps S3 objects, and which local files it may touch.
 *
 * `s3://bucket/key` is a file under `<dataDir>/s3/bucket/`, named by an ENCODING of the key, never by
 * resolving it as a path: each `/`-separated part of the key keeps letters, digits and `._-=+,@~()` and
 * percent-encodes every other byte (`%2F`, `%5C`, `%00` ...); a part that is `.` or `..` is written
 * `%2E`/`%2E%2E`, an empty part (`a//b`, `folder/`) is `%`. So `in/data.jsonl` is the file
 * `in/data.jsonl`, a model uploaded under a prefix is an ordinary model directory, and a key such as
 * `../other/x` stays inside its bucket, under that exact key. When a key is also the prefix of other
 * keys (`a` and `a/b`), its object is the file `%%` inside the folder `a` (a name the encoding never
 * writes otherwise). Transform jobs and the S3 API share this
 * mapping, so what a client uploads is what a job reads.
 *
 * `file://` locations (transform input and output, model directories) are allowed only under the data
 * directory and the folders the user names (`--allow-files DIR`); anything else is a ValidationException
 * that says how to allow it.
 */
import { existsSync, realpathSync, statSync } from "node:fs";
import { lstat, mkdir, readdir, rename, stat } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseS3Uri } from "../aws/s3Uri";
import { SageMakerApiError } from "./apiErrors";

/** The file, inside a key's folder, of the object whose key is that folder's own key. */
export const FOLDER_OBJECT = "%%";

/** S3 keys are at most 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/** A file name may not be longer than this on the file systems local mode runs on. */
const MAX_NAME_BYTES = 255;

const SAFE_CHARACTER = /[A-Za-z0-9._\-=+,@~()]/;
const ENCODED_NAME = /^(?:[A-Za-z0-9._\-=+,@~()]|%[0-9A-F]{2})+$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The file or folder name of one part of a key. */
export function encodeKeyPart(part: string): string {
  if (part === "") return "%";
  let name = "";
  for (const character of part) {
    name += SAFE_CHARACTER.test(character)
      ? character
      : [...Buffer.from(character, "utf8")].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
  return name === "." ? "%2E" : name === ".." ? "%2E%2E" : name;
}

/** The key part a file or folder name stands for; `undefined` for names this encoding never writes (temporary files ...). */
export function decodeKeyPart(name: string): string | undefined {
  if (name === "%") return "";
  if (!ENCODED_NAME.test(name)) return undefined;
  try {
    const part = utf8.decode(Buffer.from(name.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1"));
    return encodeKeyPart(part) === name ? part : undefined;
  } catch {
    return undefined;
  }
}

/** Compares keys as S3 orders them: by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** A prefix that `listObjects` skips whole (the rolled-up common prefix of a delimiter listing). */
export interface ListCursor {
  /** List keys after this one (byte order). */
  startAfter?: string;
  /** Skip every key that starts with this. */
  skipPrefix?: string;
}

/** One object found by a listing. */
export interface ListedObject {
  key: string;
  path: string;
}

/** S3's rules for bucket names (general purpose buckets), so a local bucket could exist on AWS too. */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return "a bucket name has 3 to 63 characters";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) return "a bucket name has lower-case letters, digits, dots and hyphens, and starts and ends with a letter or digit";
  if (bucket.includes("..")) return "a bucket name has no two dots in a row";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return "a bucket name is not an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(bucket) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(bucket)) return "that prefix or suffix is reserved by S3";
  return undefined;
}

/** Why a key cannot be stored, or `undefined` when it can. */
export function keyProblem(key: string): string | undefined {
  if (key === "") return "the key is empty";
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) return `the key is over ${MAX_KEY_BYTES} bytes`;
  if (key.split("/").some((part) => encodeKeyPart(part).length > MAX_NAME_BYTES)) {
    return `a part of the key between slashes is too long for a file name here (${MAX_NAME_BYTES} bytes once encoded): use shorter parts`;
  }
  return undefined;
}

export class ObjectStore {
  readonly root: string;
  /** Folders `file://` locations may name: the data directory and the user's, with symbolic links resolved. */
  readonly fileRoots: readonly string[];

  constructor(dataDir: string, allowFiles: readonly string[] = []) {
    this.root = resolve(dataDir, "s3");
    this.fileRoots = [dataDir, ...allowFiles].map((dir) => realPathOf(resolve(dir)));
  }

  isValidBucketName(bucket: string): boolean {
    return bucketNameProblem(bucket) === undefined;
  }

  bucketPath(bucket: string): string {
    const problem = bucketNameProblem(bucket);
    if (problem) throw new SageMakerApiError("ValidationException", `${JSON.stringify(bucket)} is not a valid S3 bucket name: ${problem}`);
    return join(this.root, bucket);
  }

  /** The file of an object (or, for a key prefix such as `models/tiny`, its folder). */
  objectPath(bucket: string, key: string): string {
    const base = this.bucketPath(bucket);
    const problem = keyProblem(key);
    if (problem) throw new SageMakerApiError("ValidationException", `S3 key ${JSON.stringify(key)} is not usable: ${problem}`);
    return join(base, ...key.split("/").map(encodeKeyPart));
  }

  /** The file that holds an object now: its own path, or `%%` inside it when the key is also a folder. */
  async objectFile(bucket: string, key: string): Promise<string> {
    const path = this.objectPath(bucket, key);
    return (await stat(path).catch(() => undefined))?.isDirectory() ? join(path, FOLDER_OBJECT) : path;
  }

  /**
   * Where to write an object: creates its folders, moving an object whose key is now also a prefix
   * (`a` when `a/b` arrives) into its folder as `%%`.
   */
  async prepareObjectFile(bucket: string, key: string): Promise<string> {
    const base = this.bucketPath(bucket);
    const path = this.objectPath(bucket, key);
    let folder = base;
    for (const name of relative(base, dirname(path)).split(sep).filter((part) => part !== "")) {
      folder = join(folder, name);
      const stats = await lstat(folder).catch(() => undefined);
      if (stats?.isFile()) {
        const moving = join(dirname(folder), `%tmp-${randomUUID()}`);
        await rename(folder, moving);
        await mkdir(folder);
        await rename(moving, join(folder, FOLDER_OBJECT));
      } else if (!stats) await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
      else if (!stats.isDirectory()) throw new SageMakerApiError("ValidationException", `the S3 store holds something other than a folder where key ${JSON.stringify(key)} needs one`);
    }
    return (await stat(path).catch(() => undefined))?.isDirectory() ? join(path, FOLDER_OBJECT) : path;
  }

  /**
   * The objects of a bucket whose keys start with `prefix`, in S3's order, read a folder at a time
   * (asynchronously) and only as far as the caller iterates; folders that cannot hold a wanted key are
   * never opened.
   */
  async *listObjects(bucket: string, prefix: string, cursor: ListCursor = {}): AsyncGenerator<ListedObject> {
    const base = this.bucketPath(bucket);
    const startAfter = cursor.startAfter ?? "";
    async function* walk(dir: string, keyPrefix: string): AsyncGenerator<ListedObject> {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      const items: Array<{ sortKey: string; name: string; isDirectory: boolean }> = [];
      for (const entry of entries) {
        const part = decodeKeyPart(entry.name);
        if (part === undefined) continue;
        if (entry.isDirectory()) {
          items.push({ sortKey: `${keyPrefix}${part}/`, name: entry.name, isDirectory: true });
          const folderObject = join(dir, entry.name, FOLDER_OBJECT);
          if ((await stat(folderObject).catch(() => undefined))?.isFile()) items.push({ sortKey: keyPrefix + part, name: join(entry.name, FOLDER_OBJECT), isDirectory: false });
        }
        else if (entry.isFile()) items.push({ sortKey: keyPrefix + part, name: entry.name, isDirectory: false });
      }
      items.sort((a, b) => compareKeys(a.sortKey, b.sortKey));
      for (const item of items) {
        const skip = cursor.skipPrefix;
        if (item.isDirectory) {
          // Every key below starts with item.sortKey: skip the folder when none of them can be wanted.
          if (!item.sortKey.startsWith(prefix) && !prefix.startsWith(item.sortKey)) continue;
          if (startAfter && compareKeys(item.sortKey, startAfter) < 0 && !startAfter.startsWith(item.sortKey)) continue;
          if (skip && item.sortKey.startsWith(skip)) continue;
          yield* walk(join(dir, item.name), item.sortKey);
        } else {
          const key = item.sortKey;
          if (!key.startsWith(prefix) || (startAfter && compareKeys(key, startAfter) <= 0) || (skip && key.startsWith(skip))) continue;
          yield { key, path: join(dir, item.name) };
        }
      }
    }
    yield* walk(base, "");
  }

  /**
   * The local path a `file://` location names, if it lies under an allowed folder (symbolic links
   * resolved); else a ValidationException saying how to allow it. Never reads the file.
   */
  filePath(uri: string, field: string): string {
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      throw new SageMakerApiError("ValidationException", `${field} ${JSON.stringify(uri)} is not a file:// URL of an absolute path`);
    }
    return this.allowedPath(path, `${field} ${uri}`);
  }

  /** `path` (absolute) if it lies under an allowed folder, else a ValidationException naming `what`. */
  allowedPath(path: string, what: string): string {
    const real = realPathOf(path);
    if (this.fileRoots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep))) return path;
    throw new SageMakerApiError(
      "ValidationException",
      `${what} is outside the folders local mode may read and write (its data directory, its model folders and any --allow-files folders): ` +
        `start local mode with --allow-files ${dirname(path)} (allowFiles: [...] in code) to allow it, or upload the data to its S3`,
    );
  }
}

/** The real path of `path`, or of its deepest existing ancestor joined with the rest (for paths not created yet). */
function realPathOf(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.push(existing.slice(parent.length).replace(/^[\\/]+/, ""));
      existing = parent;
    }
  }
}

/** One input file of a transform job: where it is and how its output is named. */
export interface DataFile {
  /** How the file is named in messages (its s3:// or file:// URI). */
  uri: string;
  path: string;
  /** Path relative to the location's directory: `data.jsonl` for `s3://b/in/data.jsonl`. */
  relativeName: string;
}

/**
 * The files of an input location (`s3://bucket/prefix` through the object store, or `file://path`, a
 * file or a directory under an allowed folder), in key order. Symbolic links are not followed.
 */
export async function listDataFiles(uri: string, objects: ObjectStore): Promise<DataFile[]> {
  if (uri.startsWith("file://")) {
    const path = objects.filePath(uri, "the input");
    if (!existsSync(path)) throw new SageMakerApiError("ValidationException", `No such file or directory: ${uri}`);
    if (statSync(path).isFile()) return [{ uri, path, relativeName: path.split(sep).pop() as string }];
    const files: DataFile[] = [];
    const walk = async (dir: string) => {
      const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) files.push({ uri: `file://${full}`, path: full, relativeName: relative(path, full).split(sep).join("/") });
      }
    };
    await walk(path);
    return files;
  }
  const { bucket, key: prefix } = parseS3Uri(uri);
  const directory = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/") + 1) : "";
  const files: DataFile[] = [];
  for await (const { key, path } of objects.listObjects(bucket, prefix)) {
    if (key.endsWith("/")) continue; // a "folder" marker object holds no records
    files.push({ uri: `s3://${bucket}/${key}`, path, relativeName: key.slice(directory.length) });
  }
  return files;
}

/** The local file behind an output location (`s3://bucket/prefix` or an allowed `file://dir`) plus a relative name. */
export function outputPath(outputUri: string, relativeName: string, objects: ObjectStore): { uri: string; path: string } {
  if (outputUri.startsWith("file://")) {
    const directory = objects.filePath(outputUri, "the output");
    const path = join(directory, relativeName);
    if (isAbsolute(relativeName) || relative(directory, path).startsWith("..")) {
      throw new SageMakerApiError("ValidationException", `the output name ${JSON.stringify(relativeName)} would leave ${outputUri}`);
    }
    return { uri: `file://${path}`, path };
  }
  const { bucket, key } = parseS3Uri(outputUri);
  const fullKey = key === "" ? relativeName : `${key.replace(/\/+$/, "")}/${relativeName}`;
  return { uri: `s3://${bucket}/${fullKey}`, path: objects.objectPath(bucket, fullKey) };
}
