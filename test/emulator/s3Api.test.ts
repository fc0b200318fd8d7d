/** Local mode's S3 with the unmodified @aws-sdk/client-s3 (path-style). */
import assert from "node:assert/strict";
import { createReadStream, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";

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
});
