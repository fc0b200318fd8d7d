/**
 * A minimal S3 for local mode, path-style (`/bucket/key`), enough for the workflow's uploads and
 * downloads with the unmodified `@aws-sdk/client-s3` (`forcePathStyle: true`): CreateBucket, HeadBucket,
 * PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2. Objects are files in the object store;
 * bodies stream to and from disk, so size does not cost memory.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ObjectStore } from "./objectStore";

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] as string);
}

function etagOf(size: number, mtimeMs: number): string {
  return `"${createHash("md5").update(`${size}:${mtimeMs}`).digest("hex")}"`;
}

function sendError(res: ServerResponse, method: string, status: number, code: string, message: string, resource: string): void {
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
        if (newline < 0) return;
        const line = this.buffer.subarray(0, newline).toString("latin1");
        this.buffer = this.buffer.subarray(newline + 2);
        if (this.state === "data-end") {
          this.state = "size";
          continue;
        }
        if (this.state === "trailers") continue; // checksum trailers: not verified here
        const size = parseInt(line.split(";")[0], 16);
        if (!Number.isFinite(size)) throw new Error(`malformed aws-chunked body: chunk size line ${JSON.stringify(line.slice(0, 40))}`);
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

/** Handles one S3 request; `pathname` is `/bucket` or `/bucket/key`. */
export async function handleS3Request(objects: ObjectStore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? "GET";
  const parts = url.pathname.split("/").slice(1);
  const bucket = decodeURIComponent(parts[0] ?? "");
  const key = parts.slice(1).map(decodeURIComponent).join("/");
  const resource = url.pathname;
  if (!bucket || !objects.isValidBucketName(bucket)) {
    req.resume();
    return sendError(res, method, 400, "InvalidBucketName", `The specified bucket ${JSON.stringify(bucket)} is not valid: local mode serves path-style requests (forcePathStyle: true) to /bucket/key`, resource);
  }
  const bucketDir = objects.bucketPath(bucket);
  if (key === "") return handleBucket(objects, req, res, url, bucket, bucketDir);

  if (method !== "PUT" && !existsSync(bucketDir)) {
    req.resume();
    return sendError(res, method, 404, "NoSuchBucket", `The specified bucket does not exist: create it first (CreateBucketCommand)`, resource);
  }
  const path = objects.objectPath(bucket, key);
  if (method === "PUT") {
    if (!existsSync(bucketDir)) {
      req.resume();
      return sendError(res, method, 404, "NoSuchBucket", `The specified bucket does not exist: create it first (CreateBucketCommand)`, resource);
    }
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    const chunked = /aws-chunked/i.test(String(req.headers["content-encoding"] ?? "")) || String(req.headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");
    try {
      await (chunked ? pipeline(req, new AwsChunkedDecoder(), createWriteStream(temporary)) : pipeline(req, createWriteStream(temporary)));
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      return sendError(res, method, 400, "IncompleteBody", `the upload did not complete: ${(error as Error).message}`, resource);
    }
    const stats = statSync(path);
    res.setHeader("ETag", etagOf(stats.size, stats.mtimeMs));
    res.statusCode = 200;
    res.end();
    return;
  }
  req.resume();
  if (method === "DELETE") {
    rmSync(path, { force: true });
    res.statusCode = 204;
    res.end();
    return;
  }
  if (method !== "GET" && method !== "HEAD") {
    return sendError(res, method, 405, "MethodNotAllowed", `${method} on an object is not supported by local mode's S3`, resource);
  }
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return sendError(res, method, 404, "NoSuchKey", `The specified key does not exist.`, resource);
  }
  if (!stats.isFile()) return sendError(res, method, 404, "NoSuchKey", `The specified key does not exist.`, resource);
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

async function handleBucket(objects: ObjectStore, req: IncomingMessage, res: ServerResponse, url: URL, bucket: string, bucketDir: string): Promise<void> {
  const method = req.method ?? "GET";
  req.resume();
  const resource = `/${bucket}`;
  if (method === "PUT") {
    if (existsSync(bucketDir)) {
      return sendError(res, method, 409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", resource);
    }
    mkdirSync(bucketDir, { recursive: true });
    res.setHeader("Location", `/${bucket}`);
    res.statusCode = 200;
    res.end();
    return;
  }
  if (!existsSync(bucketDir)) return sendError(res, method, 404, "NoSuchBucket", "The specified bucket does not exist.", resource);
  if (method === "HEAD") {
    res.statusCode = 200;
    res.end();
    return;
  }
  if (method !== "GET") return sendError(res, method, 405, "MethodNotAllowed", `${method} on a bucket is not supported by local mode's S3`, resource);

  const prefix = url.searchParams.get("prefix") ?? "";
  const delimiter = url.searchParams.get("delimiter") ?? "";
  const maxKeys = Math.max(0, Math.min(1000, Number(url.searchParams.get("max-keys") ?? 1000) || 1000));
  const after = url.searchParams.get("continuation-token") ?? url.searchParams.get("start-after") ?? "";
  const contents: string[] = [];
  const commonPrefixes = new Set<string>();
  let count = 0;
  let truncated = false;
  let lastKey = "";
  for (const key of objects.listKeys(bucket, prefix)) {
    if (after && key <= after) continue;
    if (count >= maxKeys) {
      truncated = true;
      break;
    }
    const rest = key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    if (cut >= 0) {
      const common = prefix + rest.slice(0, cut + delimiter.length);
      if (!commonPrefixes.has(common)) {
        commonPrefixes.add(common);
        count++;
      }
    } else {
      const stats = statSync(objects.objectPath(bucket, key));
      contents.push(
        `<Contents><Key>${escapeXml(key)}</Key><LastModified>${stats.mtime.toISOString()}</LastModified>` +
          `<ETag>${escapeXml(etagOf(stats.size, stats.mtimeMs))}</ETag><Size>${stats.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      );
      count++;
    }
    lastKey = key;
  }
  res.statusCode = 200;
  res.setHeader("Content-Type", "application/xml");
  res.end(
    `${XML_HEADER}<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(bucket)}</Name>` +
      `<Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${count}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
      (delimiter ? `<Delimiter>${escapeXml(delimiter)}</Delimiter>` : "") +
      `<IsTruncated>${truncated}</IsTruncated>` +
      (truncated ? `<NextContinuationToken>${escapeXml(lastKey)}</NextContinuationToken>` : "") +
      contents.join("") +
      [...commonPrefixes].map((common) => `<CommonPrefixes><Prefix>${escapeXml(common)}</Prefix></CommonPrefixes>`).join("") +
      `</ListBucketResult>`,
  );
}
