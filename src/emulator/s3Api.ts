/**
 * A minimal S3 for local mode, path-style (`/bucket/key`), enough for the workflow's uploads and
 * downloads with the unmodified `@aws-sdk/client-s3` (`forcePathStyle: true`): CreateBucket, HeadBucket,
 * PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2. Objects are files in the object store
 * (named by an encoding of the key: see objectStore.ts); bodies stream to and from disk, so size does
 * not cost memory, and listings read the disk a folder at a time, asynchronously, only as far as a page
 * needs. Errors are S3's XML errors.
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm, rmdir, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { SigV4Result } from "../aws/sigV4";
import { bucketNameProblem, keyProblem, type ListCursor, type ObjectStore } from "./objectStore";
import { decodePathPart, type RequestTarget } from "./requestTarget";
import { escapeXml } from "../io/xml";
import { InputError } from "../errors";

/** The longest chunk-size or trailer line an aws-chunked body may have. */
const MAX_CHUNK_LINE_BYTES = 8 * 1024;

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

function etagOf(size: number, mtimeMs: number): string {
  return `"${createHash("md5").update(`${size}:${mtimeMs}`).digest("hex")}"`;
}

/** S3's XML error answer (headers only for HEAD). */
export function sendS3Error(res: ServerResponse, method: string, status: number, code: string, message: string, resource: string): void {
  res.statusCode = status;
  if (method === "HEAD") {
    res.end();
    return;
  }
  res.setHeader("Content-Type", "application/xml");
  res.end(`${XML_HEADER}<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><Resource>${escapeXml(resource)}</Resource></Error>`);
}

/**
 * Decodes `Content-Encoding: aws-chunked` (what the SDK sends for streamed uploads with checksums):
 * `<hex size>[;chunk-signature=...]\r\n<data>\r\n` ... `0\r\n<trailers>\r\n\r\n`.
 */
class AwsChunkedDecoder extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: "size" | "data" | "data-end" | "trailers" = "size";

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      this.drain();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private drain(): void {
    for (;;) {
      if (this.state === "size" || this.state === "data-end" || this.state === "trailers") {
        const newline = this.buffer.indexOf("\r\n");
        if (newline < 0) {
          // A size or trailer line is short: one that runs on is not aws-chunked (and must not grow without bound).
          if (this.buffer.length > MAX_CHUNK_LINE_BYTES) throw new InputError("malformed aws-chunked body: a chunk header line is too long");
          return;
        }
        const line = this.buffer.subarray(0, newline).toString("latin1");
        this.buffer = this.buffer.subarray(newline + 2);
        if (this.state === "data-end") {
          this.state = "size";
          continue;
        }
        if (this.state === "trailers") continue; // checksum trailers: not verified here
        const sizeText = line.split(";")[0];
        const size = /^[0-9a-fA-F]{1,12}$/.test(sizeText) ? parseInt(sizeText, 16) : NaN;
        if (!Number.isFinite(size)) throw new InputError(`malformed aws-chunked body: chunk size line ${JSON.stringify(line.slice(0, 40))}`);
        if (size === 0) {
          this.state = "trailers";
          continue;
        }
        this.remaining = size;
        this.state = "data";
      }
      if (this.state === "data") {
        if (this.buffer.length === 0) return;
        const take = Math.min(this.remaining, this.buffer.length);
        this.push(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        this.remaining -= take;
        if (this.remaining > 0) return;
        this.state = "data-end";
      }
    }
  }
}

/** S3's answer to a request whose signature does not pass. */
export function s3AuthError(result: Exclude<SigV4Result, { ok: true }>): { status: number; code: string; message: string } {
  switch (result.kind) {
    case "missing":
      return { status: 403, code: "AccessDenied", message: `Access Denied: ${result.message}` };
    case "malformed":
      return { status: 400, code: "AuthorizationHeaderMalformed", message: result.message };
    case "unknown-key":
      return { status: 403, code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records (local mode's credentials are the ones it was started with)." };
    case "expired":
      return { status: 403, code: "RequestTimeTooSkewed", message: result.message };
    case "mismatch":
      return { status: 403, code: "SignatureDoesNotMatch", message: result.message };
  }
}

/** Passes bytes through while hashing them, to check `x-amz-content-sha256` once the body is in. */
class Sha256Meter extends Transform {
  readonly hash = createHash("sha256");
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

/** Handles one signed S3 request; `target.path` is `/bucket` or `/bucket/key`, still percent-encoded. */
export async function handleS3Request(objects: ObjectStore, req: IncomingMessage, res: ServerResponse, target: RequestTarget): Promise<void> {
  const method = req.method ?? "GET";
  const resource = target.path;
  const slash = target.path.indexOf("/", 1);
  const bucket = decodePathPart(slash < 0 ? target.path.slice(1) : target.path.slice(1, slash));
  const key = slash < 0 ? "" : decodePathPart(target.path.slice(slash + 1));
  if (bucket === undefined || key === undefined) {
    req.resume();
    return sendS3Error(res, method, 400, "InvalidURI", "Couldn't parse the specified URI: its percent-encoding is malformed", resource);
  }
  const bucketProblem = bucket === "" ? "no bucket named" : bucketNameProblem(bucket);
  if (bucketProblem) {
    req.resume();
    return sendS3Error(res, method, 400, "InvalidBucketName", `The specified bucket is not valid (${bucketProblem}): local mode serves path-style requests (forcePathStyle: true) to /bucket/key`, resource);
  }
  const bucketDir = objects.bucketPath(bucket);
  if (key === "") return handleBucket(objects, req, res, target, bucket, bucketDir);

  const problem = keyProblem(key);
  if (problem) {
    req.resume();
    const tooLong = Buffer.byteLength(key, "utf8") > 1024;
    return sendS3Error(res, method, 400, tooLong ? "KeyTooLongError" : "InvalidArgument", `The key cannot be stored: ${problem}`, resource);
  }
  if (!existsSync(bucketDir)) {
    req.resume();
    return sendS3Error(res, method, 404, "NoSuchBucket", `The specified bucket does not exist: create it first (CreateBucketCommand)`, resource);
  }
  if (method === "PUT") {
    let file: string;
    try {
      file = await objects.prepareObjectFile(bucket, key);
    } catch {
      req.resume();
      return sendS3Error(res, method, 409, "OperationAborted", "local mode could not make the folders for this key (something else stands where one belongs): try again, or choose another key", resource);
    }
    return putObject(req, res, file, resource);
  }
  const path = await objects.objectFile(bucket, key);
  req.resume();
  if (method === "DELETE") {
    await rm(path, { force: true });
    await removeEmptyFolders(dirname(path), bucketDir);
    res.statusCode = 204;
    res.end();
    return;
  }
  if (method !== "GET" && method !== "HEAD") {
    return sendS3Error(res, method, 405, "MethodNotAllowed", `${method} on an object is not supported by local mode's S3`, resource);
  }
  const stats = await stat(path).catch(() => undefined);
  if (!stats || !stats.isFile()) return sendS3Error(res, method, 404, "NoSuchKey", `The specified key does not exist.`, resource);
  res.statusCode = 200;
  res.setHeader("Content-Type", "application/octet-stream");
  res.setHeader("Content-Length", String(stats.size));
  res.setHeader("ETag", etagOf(stats.size, stats.mtimeMs));
  res.setHeader("Last-Modified", stats.mtime.toUTCString());
  if (method === "HEAD") {
    res.end();
    return;
  }
  await pipeline(createReadStream(path), res);
}

/** Deleting the last key under a prefix removes the folders that only held it, as S3 has no folders. */
async function removeEmptyFolders(dir: string, bucketDir: string): Promise<void> {
  for (let current = dir; current.startsWith(bucketDir + "/") || current.startsWith(bucketDir + "\\"); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or gone): stop
    }
  }
}

async function putObject(req: IncomingMessage, res: ServerResponse, path: string, resource: string): Promise<void> {
  // The temporary name is one the key encoding never produces, so listings never show it.
  const temporary = join(dirname(path), `%tmp-${randomUUID()}`);
  const declared = String(req.headers["x-amz-content-sha256"] ?? "");
  const chunked = /aws-chunked/i.test(String(req.headers["content-encoding"] ?? "")) || declared.startsWith("STREAMING-");
  const meter = new Sha256Meter();
  try {
    await (chunked ? pipeline(req, new AwsChunkedDecoder(), meter, createWriteStream(temporary)) : pipeline(req, meter, createWriteStream(temporary)));
    if (/^[0-9a-f]{64}$/.test(declared) && meter.hash.digest("hex") !== declared) {
      await rm(temporary, { force: true });
      return sendS3Error(res, "PUT", 400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", resource);
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    return sendS3Error(res, "PUT", 400, "IncompleteBody", `the upload did not complete: ${(error as Error).message}`, resource);
  }
  const stats = await stat(path);
  res.setHeader("ETag", etagOf(stats.size, stats.mtimeMs));
  res.statusCode = 200;
  res.end();
}

/** A ListObjectsV2 continuation token: opaque to clients, the last key (or rolled-up prefix) of the page. */
function encodeToken(cursor: { after: string; rolledUp: boolean }): string {
  return Buffer.from(`${cursor.rolledUp ? "p" : "k"}:${cursor.after}`, "utf8").toString("base64url");
}

function decodeToken(token: string): ListCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const text = Buffer.from(token, "base64url").toString("utf8");
  if (text.startsWith("k:")) return { startAfter: text.slice(2) };
  if (text.startsWith("p:") && text.length > 2) return { startAfter: text.slice(2), skipPrefix: text.slice(2) };
  return undefined;
}

async function handleBucket(objects: ObjectStore, req: IncomingMessage, res: ServerResponse, target: RequestTarget, bucket: string, bucketDir: string): Promise<void> {
  const method = req.method ?? "GET";
  req.resume();
  const resource = `/${bucket}`;
  if (method === "PUT") {
    if (existsSync(bucketDir)) {
      return sendS3Error(res, method, 409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", resource);
    }
    await mkdir(bucketDir, { recursive: true });
    res.setHeader("Location", `/${bucket}`);
    res.statusCode = 200;
    res.end();
    return;
  }
  if (!existsSync(bucketDir)) return sendS3Error(res, method, 404, "NoSuchBucket", "The specified bucket does not exist.", resource);
  if (method === "HEAD") {
    res.statusCode = 200;
    res.end();
    return;
  }
  if (method !== "GET") return sendS3Error(res, method, 405, "MethodNotAllowed", `${method} on a bucket is not supported by local mode's S3`, resource);

  const query = target.query;
  const prefix = query.get("prefix") ?? "";
  const delimiter = query.get("delimiter") ?? "";
  const urlEncoded = query.get("encoding-type") === "url";
  if (query.has("encoding-type") && !urlEncoded) return sendS3Error(res, method, 400, "InvalidArgument", "Invalid Encoding Method specified in Request: use encoding-type=url", resource);
  const maxKeysText = query.get("max-keys");
  if (maxKeysText !== null && !/^\d{1,9}$/.test(maxKeysText)) return sendS3Error(res, method, 400, "InvalidArgument", "Provided max-keys not an integer or within integer range", resource);
  const maxKeys = Math.min(1000, maxKeysText === null ? 1000 : Number(maxKeysText));
  const token = query.get("continuation-token");
  let cursor: ListCursor = { startAfter: query.get("start-after") ?? undefined };
  if (token !== null) {
    const decoded = decodeToken(token);
    if (!decoded) return sendS3Error(res, method, 400, "InvalidArgument", "The continuation token provided is incorrect", resource);
    cursor = decoded;
  }
  const show = (text: string) => escapeXml(urlEncoded ? encodeURIComponent(text).replace(/%2F/g, "/") : text);

  const contents: string[] = [];
  const commonPrefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let last: { after: string; rolledUp: boolean } | undefined;
  const walk = objects.listObjects(bucket, prefix, cursor);
  for await (const { key, path } of walk) {
    const rest = key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    if (count >= maxKeys) {
      truncated = true;
      break;
    }
    if (cut >= 0) {
      const common = prefix + rest.slice(0, cut + delimiter.length);
      commonPrefixes.push(`<CommonPrefixes><Prefix>${show(common)}</Prefix></CommonPrefixes>`);
      cursor.skipPrefix = common; // the walk skips the rest of this prefix
      last = { after: common, rolledUp: true };
    } else {
      const stats = await stat(path).catch(() => undefined);
      if (!stats) continue; // deleted meanwhile
      contents.push(
        `<Contents><Key>${show(key)}</Key><LastModified>${stats.mtime.toISOString()}</LastModified>` +
          `<ETag>${escapeXml(etagOf(stats.size, stats.mtimeMs))}</ETag><Size>${stats.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      );
      last = { after: key, rolledUp: false };
    }
    count++;
  }
  await walk.return(undefined);
  res.statusCode = 200;
  res.setHeader("Content-Type", "application/xml");
  res.end(
    `${XML_HEADER}<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(bucket)}</Name>` +
      `<Prefix>${show(prefix)}</Prefix><KeyCount>${count}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
      (delimiter ? `<Delimiter>${show(delimiter)}</Delimiter>` : "") +
      (urlEncoded ? `<EncodingType>url</EncodingType>` : "") +
      `<IsTruncated>${truncated}</IsTruncated>` +
      (token !== null ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : "") +
      (truncated && last ? `<NextContinuationToken>${encodeToken(last)}</NextContinuationToken>` : "") +
      contents.join("") +
      commonPrefixes.join("") +
      `</ListBucketResult>`,
  );
}
