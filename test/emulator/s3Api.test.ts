/** Local mode's S3 with the unmodified @aws-sdk/client-s3 (path-style). */
import assert from "node:assert/strict";
import { createReadStream, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { sha256Hex } from "../../src/aws/sigV4";
import { signedFetch, startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";

describe("local S3", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
    await fixture.clients.s3.send(new CreateBucketCommand({ Bucket: "data" }));
  });
  after(() => fixture.stop());

  it("stores objects as files under <dataDir>/s3/<bucket>/<key> and reads them back", async () => {
    await fixture.clients.s3.send(new PutObjectCommand({ Bucket: "data", Key: "in/a.jsonl", Body: '{"inputs": "x"}\n' }));
    const object = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: "data", Key: "in/a.jsonl" }));
    assert.equal(await object.Body!.transformToString(), '{"inputs": "x"}\n');
    assert.equal(statSync(join(fixture.dataDir, "s3", "data", "in", "a.jsonl")).size, 16);
    const head = await fixture.clients.s3.send(new HeadObjectCommand({ Bucket: "data", Key: "in/a.jsonl" }));
    assert.equal(head.ContentLength, 16);
  });

  it("streams a file upload (aws-chunked with checksum trailer) byte for byte", async () => {
    const path = join(fixture.dataDir, "upload.bin");
    const content = Buffer.alloc(300_000, 0);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7) % 251;
    writeFileSync(path, content);
    await fixture.clients.s3.send(new PutObjectCommand({ Bucket: "data", Key: "big/upload.bin", Body: createReadStream(path), ContentLength: content.length }));
    const object = await fixture.clients.s3.send(new GetObjectCommand({ Bucket: "data", Key: "big/upload.bin" }));
    assert.ok(Buffer.from(await object.Body!.transformToByteArray()).equals(content));
  });

  it("lists keys by prefix with paging and common prefixes", async () => {
    for (const key of ["list/1", "list/2", "list/3", "list/sub/4"]) await fixture.clients.s3.send(new PutObjectCommand({ Bucket: "data", Key: key, Body: key }));
    const page1 = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: "data", Prefix: "list/", MaxKeys: 2 }));
    assert.deepEqual(page1.Contents?.map((o) => o.Key), ["list/1", "list/2"]);
    assert.equal(page1.IsTruncated, true);
    const page2 = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: "data", Prefix: "list/", ContinuationToken: page1.NextContinuationToken }));
    assert.deepEqual(page2.Contents?.map((o) => o.Key), ["list/3", "list/sub/4"]);
    const folders = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: "data", Prefix: "list/", Delimiter: "/" }));
    assert.deepEqual(folders.CommonPrefixes?.map((p) => p.Prefix), ["list/sub/"]);
  });

  it("answers missing keys and buckets with S3's typed errors", async () => {
    await assert.rejects(fixture.clients.s3.send(new GetObjectCommand({ Bucket: "data", Key: "nope" })), NoSuchKey);
    await assert.rejects(fixture.clients.s3.send(new HeadObjectCommand({ Bucket: "data", Key: "nope" })), NotFound);
    await assert.rejects(fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: "no-bucket" })), NoSuchBucket);
    await fixture.clients.s3.send(new DeleteObjectCommand({ Bucket: "data", Key: "in/a.jsonl" }));
    await assert.rejects(fixture.clients.s3.send(new GetObjectCommand({ Bucket: "data", Key: "in/a.jsonl" })), NoSuchKey);
  });

  it("keeps keys with .., ., //, backslashes, %2e and NUL inside their bucket, under their exact key", async () => {
    const { s3 } = fixture.clients;
    await s3.send(new CreateBucketCommand({ Bucket: "other" }));
    await s3.send(new PutObjectCommand({ Bucket: "other", Key: "y", Body: "other's own" }));
    const keys = ["../x", "../other/y", "./a", ".", "..", "a//b", "/lead", "trail/", "back\\slash", "..\\..\\win", "%2e%2e/enc", "nul\u0000byte", "ünï/cødé"];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: "data", Key: key, Body: `body of ${JSON.stringify(key)}` }));
    for (const key of keys) {
      const object = await s3.send(new GetObjectCommand({ Bucket: "data", Key: key }));
      assert.equal(await object.Body!.transformToString(), `body of ${JSON.stringify(key)}`, key);
    }
    // Nothing left the bucket: the other bucket and the data dir hold only what they held.
    const other = await s3.send(new GetObjectCommand({ Bucket: "other", Key: "y" }));
    assert.equal(await other.Body!.transformToString(), "other's own");
    assert.deepEqual(readdirSync(join(fixture.dataDir, "s3")).sort(), ["data", "other"]);
    assert.deepEqual(readdirSync(join(fixture.dataDir, "s3", "other")), ["y"]);
    // Listing returns the exact keys (URL-encoded on request, as S3 does for keys XML cannot carry).
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "data", EncodingType: "url" }));
    const listedKeys = (listed.Contents ?? []).map((o) => decodeURIComponent(o.Key!));
    for (const key of keys) assert.ok(listedKeys.includes(key), `listed ${JSON.stringify(key)}`);
    const dotted = await s3.send(new ListObjectsV2Command({ Bucket: "data", Prefix: "../" }));
    assert.deepEqual(dotted.Contents?.map((o) => o.Key), ["../other/y", "../x"]);
    for (const key of keys) await s3.send(new DeleteObjectCommand({ Bucket: "data", Key: key }));
    for (const key of keys) await assert.rejects(s3.send(new GetObjectCommand({ Bucket: "data", Key: key })), NoSuchKey, key);
  });

  it("treats a prefix as plain text: ../../ lists nothing outside the bucket", async () => {
    for (const prefix of ["../../../", "../../../etc/", "/", "..", "%2e%2e/"]) {
      const listed = await fixture.clients.s3.send(new ListObjectsV2Command({ Bucket: "data", Prefix: prefix }));
      assert.deepEqual(listed.Contents ?? [], [], prefix);
      assert.deepEqual(listed.CommonPrefixes ?? [], [], prefix);
    }
  });

  it("pages a listing with MaxKeys and opaque continuation tokens, rolling up common prefixes", async () => {
    const { s3 } = fixture.clients;
    await s3.send(new CreateBucketCommand({ Bucket: "paged" }));
    const keys = Array.from({ length: 25 }, (_, i) => `p/${String(i).padStart(2, "0")}`).concat(["p/dir/1", "p/dir/2", "p/dir/3", "q"]);
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: "paged", Key: key, Body: key }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: "paged", Prefix: "p/", MaxKeys: 7, ContinuationToken: token }));
      assert.ok((page.KeyCount ?? 0) <= 7);
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    assert.deepEqual(seen, keys.filter((key) => key.startsWith("p/")).sort());
    assert.equal(pages, 4);
    const rolled: string[] = [];
    token = undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: "paged", Prefix: "p/", Delimiter: "/", MaxKeys: 25, ContinuationToken: token }));
      rolled.push(...(page.Contents ?? []).map((o) => o.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      token = page.NextContinuationToken;
    } while (token);
    assert.equal(rolled.length, 26);
    assert.ok(rolled.includes("p/dir/"));
    await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: "paged", ContinuationToken: "not a token" })), (error: Error) => error.name === "InvalidArgument");
  });

  it("refuses bucket names S3 refuses, and keys over 1024 bytes, with S3's errors", async () => {
    for (const bucket of ["ab", "UPPER", "a..b", "192.168.1.1", "xn--bucket", "bucket-s3alias", "-dash", "under_score"]) {
      await assert.rejects(fixture.clients.s3.send(new CreateBucketCommand({ Bucket: bucket })), (error: Error) => error.name === "InvalidBucketName", bucket);
    }
    await assert.rejects(fixture.clients.s3.send(new PutObjectCommand({ Bucket: "data", Key: "k".repeat(1025), Body: "x" })), (error: Error) => error.name === "KeyTooLongError");
  });

  it("keeps no object whose body is not the one its x-amz-content-sha256 names", async () => {
    const response = await signedFetch(fixture.local.url, {
      method: "PUT",
      target: "/data/tampered",
      service: "s3",
      headers: { "x-amz-content-sha256": sha256Hex("the body that was signed") },
      body: "another body",
    });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    await assert.rejects(fixture.clients.s3.send(new GetObjectCommand({ Bucket: "data", Key: "tampered" })), NoSuchKey);
  });

  it("refuses a malformed aws-chunked body (endless size line, negative size) and keeps nothing of it", async () => {
    for (const [key, body] of [["endless", "a".repeat(100_000)], ["negative", "-5\r\nhello\r\n0\r\n\r\n"]]) {
      const response = await signedFetch(fixture.local.url, {
        method: "PUT",
        target: `/data/${key}`,
        service: "s3",
        headers: { "content-encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" },
        body,
      });
      assert.equal(response.status, 400, key);
      assert.match(await response.text(), /<Code>IncompleteBody<\/Code>.*malformed aws-chunked body/s, key);
      await assert.rejects(fixture.clients.s3.send(new GetObjectCommand({ Bucket: "data", Key: key })), NoSuchKey, key);
    }
  });
});
