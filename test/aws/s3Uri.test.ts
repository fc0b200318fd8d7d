import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatS3Uri, joinS3Uri, parseS3Uri } from "../../src/aws/s3Uri";
import { InputError } from "../../src/errors";

describe("parseS3Uri", () => {
  it("splits bucket and key, the key without its leading slash and possibly empty", () => {
    assert.deepEqual(parseS3Uri("s3://my-bucket/zero-shot/input.jsonl"), { bucket: "my-bucket", key: "zero-shot/input.jsonl" });
    assert.deepEqual(parseS3Uri("s3://my-bucket/zero-shot/"), { bucket: "my-bucket", key: "zero-shot/" });
    assert.deepEqual(parseS3Uri("s3://my-bucket"), { bucket: "my-bucket", key: "" });
    assert.deepEqual(parseS3Uri("s3://my-bucket/"), { bucket: "my-bucket", key: "" });
  });

  it("keeps a key as the opaque string S3 stores, dots and doubled slashes included", () => {
    assert.deepEqual(parseS3Uri("s3://b/../x//y"), { bucket: "b", key: "../x//y" });
  });

  it("refuses what is not s3://bucket/..., showing the expected form", () => {
    for (const uri of ["my-bucket/key", "https://my-bucket.s3.amazonaws.com/key", "s3://", "s3:///key", "S3:/bucket"]) {
      assert.throws(
        () => parseS3Uri(uri),
        (error: unknown) => error instanceof InputError && error.message === `${JSON.stringify(uri)} is not an S3 location: write it as s3://bucket/prefix (e.g. s3://my-bucket/zero-shot/)`,
        uri,
      );
    }
  });
});

describe("joinS3Uri and formatS3Uri", () => {
  it("join with exactly one slash between the parts", () => {
    assert.equal(joinS3Uri("s3://b/zero-shot/", "/input/", "requests.jsonl"), "s3://b/zero-shot/input/requests.jsonl");
    assert.equal(joinS3Uri("s3://b", "x"), "s3://b/x");
    assert.equal(joinS3Uri("s3://b/p"), "s3://b/p");
  });

  it("formatS3Uri is parseS3Uri's inverse", () => {
    for (const uri of ["s3://b/zero-shot/out/requests.jsonl.out", "s3://b/"]) assert.equal(formatS3Uri(parseS3Uri(uri)), uri);
  });
});
