/**
 * Where the emulator keeps S3 objects: `s3://bucket/key` is the file `<dataDir>/s3/bucket/key`. Transform
 * jobs and the emulator's S3 API share this mapping, so what a client uploads with `@aws-sdk/client-s3`
 * is what a job reads, and `file://` locations work too (as in the SageMaker Python SDK's local mode).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, relative, resolve, sep } from "node:path";
import { parseS3Uri } from "../aws/s3Uri";
import { SageMakerApiError } from "./apiErrors";

/** S3's bucket naming rule, so a local bucket could exist on AWS too. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class ObjectStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, "s3");
  }

  isValidBucketName(bucket: string): boolean {
    return BUCKET_NAME.test(bucket) && !bucket.includes("..");
  }

  bucketPath(bucket: string): string {
    if (!this.isValidBucketName(bucket)) {
      throw new SageMakerApiError("ValidationException", `${JSON.stringify(bucket)} is not a valid S3 bucket name: use 3-63 lower-case letters, digits, dots and hyphens`);
    }
    return join(this.root, bucket);
  }

  /** The file of an object; a key that would leave the bucket's directory (`..`) is refused. */
  objectPath(bucket: string, key: string): string {
    const base = this.bucketPath(bucket);
    const path = resolve(base, key);
    if (key === "" || !path.startsWith(base + sep)) {
      throw new SageMakerApiError("ValidationException", `S3 key ${JSON.stringify(key)} is not usable here: keys may not be empty or climb out of the bucket with ".."`);
    }
    return path;
  }

  /** Keys under `prefix` in a bucket, sorted as S3 lists them. */
  listKeys(bucket: string, prefix: string): string[] {
    const base = this.bucketPath(bucket);
    if (!existsSync(base)) return [];
    // Walk only the directory the prefix points into: a prefix "in/da" starts at "in/".
    const startDir = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const keys: string[] = [];
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile() && !entry.name.endsWith(".tmp")) {
          const key = relative(base, path).split(sep).join("/");
          if (key.startsWith(prefix)) keys.push(key);
        }
      }
    };
    walk(join(base, startDir));
    return keys.sort();
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
 * file or a directory), in key order.
 */
export function listDataFiles(uri: string, objects: ObjectStore): DataFile[] {
  if (uri.startsWith("file://")) {
    const path = fileURLToPath(uri);
    if (!existsSync(path)) throw new SageMakerApiError("ValidationException", `No such file or directory: ${uri}`);
    if (statSync(path).isFile()) return [{ uri, path, relativeName: path.split(sep).pop() as string }];
    const files: DataFile[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) {
          const relativeName = relative(path, full).split(sep).join("/");
          files.push({ uri: `file://${full}`, path: full, relativeName });
        }
      }
    };
    walk(path);
    return files;
  }
  const { bucket, key: prefix } = parseS3Uri(uri);
  const directory = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/") + 1) : "";
  return objects.listKeys(bucket, prefix).map((key) => ({
    uri: `s3://${bucket}/${key}`,
    path: objects.objectPath(bucket, key),
    relativeName: key.slice(directory.length),
  }));
}

/** The local file behind an output location (`s3://bucket/prefix` or `file://dir`) plus a relative name. */
export function outputPath(outputUri: string, relativeName: string, objects: ObjectStore): { uri: string; path: string } {
  if (outputUri.startsWith("file://")) {
    const path = join(fileURLToPath(outputUri), relativeName);
    return { uri: `file://${path}`, path };
  }
  const { bucket, key } = parseS3Uri(outputUri);
  const fullKey = key === "" ? relativeName : `${key.replace(/\/+$/, "")}/${relativeName}`;
  return { uri: `s3://${bucket}/${fullKey}`, path: objects.objectPath(bucket, fullKey) };
}
