import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CreateTransformJobRequest } from "@aws-sdk/client-sagemaker";
import { TRANSFORM_DEFAULT_MAX_PAYLOAD_MB } from "../../src/aws/sagemaker";
import { SageMakerApiError } from "../../src/emulator/apiErrors";
import { requireName, validateTransformJob } from "../../src/emulator/validation";

function validationError(pattern: RegExp) {
  return (error: unknown) => error instanceof SageMakerApiError && error.type === "ValidationException" && error.status === 400 && pattern.test(error.message);
}

describe("requireName", () => {
  it("accepts SageMaker names: 1-63 letters and digits, single or repeated hyphens inside", () => {
    for (const name of ["a", "m1", "zero-shot-20250101120000000", "a--b", "A".repeat(63)]) assert.equal(requireName(name, "ModelName"), name);
  });

  it("refuses anything else, naming the field in SageMaker's camelCase", () => {
    for (const name of ["", "-a", "a-", "a_b", "a.b", "a b", "A".repeat(64), "../x"]) {
      assert.throws(
        () => requireName(name, "EndpointName"),
        validationError(new RegExp(`^1 validation error detected: Value ${JSON.stringify(name).replace(/[.]/g, "\\.")} at 'endpointName' failed to satisfy constraint: Member must satisfy regular expression pattern: \\^\\[a-zA-Z0-9\\]\\(-\\*\\[a-zA-Z0-9\\]\\)\\{0,62\\}$`)),
        name,
      );
    }
    assert.throws(() => requireName(5, "ModelName"), validationError(/Value 5 at 'modelName'/));
    assert.throws(() => requireName(undefined, "TransformJobName"), validationError(/Value null at 'transformJobName'/));
  });
});

/** A job local mode can run, with `change` applied. */
function job(change: (request: CreateTransformJobRequest) => void = () => {}): CreateTransformJobRequest {
  const request: CreateTransformJobRequest = {
    TransformJobName: "j",
    ModelName: "m",
    TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "s3://bucket/in/" } }, ContentType: "application/json", SplitType: "Line" },
    TransformOutput: { S3OutputPath: "s3://bucket/out/", AssembleWith: "Line" },
    TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
  };
  change(request);
  return request;
}

describe("validateTransformJob", () => {
  it("fills in SageMaker's defaults: S3Prefix, SingleRecord, 6 MB payloads", () => {
    const valid = validateTransformJob(
      job((r) => {
        r.TransformInput = { DataSource: { S3DataSource: { S3Uri: "file:///data/in" } } } as CreateTransformJobRequest["TransformInput"];
        r.TransformOutput = { S3OutputPath: "file:///data/out" };
      }),
    );
    assert.equal(valid.TransformInput.DataSource?.S3DataSource?.S3DataType, "S3Prefix");
    assert.equal(valid.TransformInput.DataSource?.S3DataSource?.S3Uri, "file:///data/in");
    assert.equal(valid.TransformOutput.S3OutputPath, "file:///data/out");
    assert.equal(valid.BatchStrategy, "SingleRecord");
    assert.equal(valid.MaxPayloadInMB, TRANSFORM_DEFAULT_MAX_PAYLOAD_MB);
  });

  it("keeps the settings the request gave", () => {
    const valid = validateTransformJob(job((r) => (r.MaxPayloadInMB = 1)));
    assert.equal(valid.MaxPayloadInMB, 1);
    assert.equal(valid.TransformInput.SplitType, "Line");
    assert.equal(valid.TransformInput.ContentType, "application/json");
    assert.equal(valid.TransformOutput.AssembleWith, "Line");
    assert.doesNotThrow(() => validateTransformJob(job((r) => (r.DataProcessing = { JoinSource: "None" }))));
    assert.doesNotThrow(() => validateTransformJob(job((r) => (r.MaxPayloadInMB = 100))));
  });

  it("refuses locations that are not s3:// (or file://)", () => {
    assert.throws(
      () => validateTransformJob(job((r) => (r.TransformInput!.DataSource!.S3DataSource!.S3Uri = "https://bucket.s3.amazonaws.com/in/"))),
      validationError(/^1 validation error detected: Value "https:\/\/bucket\.s3\.amazonaws\.com\/in\/" at 'transformInput\.dataSource\.s3DataSource\.s3Uri'/),
    );
    assert.throws(() => validateTransformJob(job((r) => (r.TransformInput!.DataSource = undefined))), validationError(/Value null at 'transformInput\.dataSource\.s3DataSource\.s3Uri'/));
    assert.throws(() => validateTransformJob(job((r) => (r.TransformOutput!.S3OutputPath = "/tmp/out"))), validationError(/Value "\/tmp\/out" at 'transformOutput\.s3OutputPath'/));
  });

  it("refuses what local mode cannot honour, saying what it can do instead", () => {
    const refusals: [(r: CreateTransformJobRequest) => void, RegExp][] = [
      [(r) => (r.TransformInput!.DataSource!.S3DataSource!.S3DataType = "ManifestFile"), /^local mode reads S3DataType=S3Prefix only, not ManifestFile$/],
      [(r) => (r.TransformInput!.SplitType = "RecordIO"), /SplitType=Line .* or None, not RecordIO$/],
      [(r) => (r.BatchStrategy = "MultiRecord"), /BatchStrategy=SingleRecord only .*not MultiRecord$/],
      [(r) => (r.TransformInput!.CompressionType = "Gzip"), /uncompressed input only/],
      [(r) => (r.TransformOutput!.AssembleWith = "Block" as "Line"), /Value "Block" at 'transformOutput\.assembleWith' .*\[None, Line\]$/],
      [(r) => (r.MaxPayloadInMB = 101), /Value 101 at 'maxPayloadInMB' .*between 0 and 100$/],
      [(r) => (r.MaxPayloadInMB = -1), /Value -1 at 'maxPayloadInMB'/],
      [(r) => (r.MaxPayloadInMB = 1.5), /Value 1\.5 at 'maxPayloadInMB'/],
      [(r) => (r.MaxPayloadInMB = "6" as unknown as number), /Value "6" at 'maxPayloadInMB'/],
      [(r) => (r.DataProcessing = { InputFilter: "$.text" }), /does not apply DataProcessing filters or JoinSource/],
      [(r) => (r.DataProcessing = { OutputFilter: "$" }), /does not apply DataProcessing/],
      [(r) => (r.DataProcessing = { JoinSource: "Input" }), /join answers to inputs on the client$/],
    ];
    for (const [change, pattern] of refusals) assert.throws(() => validateTransformJob(job(change)), validationError(pattern), String(pattern));
  });
});
