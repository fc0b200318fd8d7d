/**
 * Every bad control-plane request gets a 4xx in SageMaker's error shape before any handler runs: never
 * a 500, never a call run on a body it did not send.
 */
import assert from "node:assert/strict";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateEndpointConfigCommand, CreateModelCommand, CreateTransformJobCommand, ListModelsCommand, SageMakerServiceException } from "@aws-sdk/client-sagemaker";
import { jsonDepth, parseJsonObject } from "../../src/emulator/requestShape";
import { signedFetch, startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

describe("control-plane request checks", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
    await fixture.clients.sagemaker.send(new CreateModelCommand({ ModelName: "present", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: tinyBert() } } }));
  });
  after(() => fixture.stop());

  /** Sends a signed control-plane call with a raw body; returns status and the `{__type, message}` answer. */
  async function call(operation: string, body: string | Buffer): Promise<{ status: number; type: string; message: string }> {
    const response = await signedFetch(fixture.local.url, { headers: { "x-amz-target": `SageMaker.${operation}`, "content-type": "application/x-amz-json-1.1" }, body });
    const answer = (await response.json()) as { __type?: string; message?: string };
    return { status: response.status, type: answer.__type ?? "(none)", message: answer.message ?? "" };
  }

  it("refuses bodies that are not a JSON object with SerializationException", async () => {
    for (const body of ["null", "[]", "5", '"text"', "true", "{", "{} {}"]) {
      const answer = await call("ListModels", body);
      assert.equal(answer.status, 400, body);
      assert.equal(answer.type, "SerializationException", body);
    }
  });

  it("refuses JSON nested 100,000 deep by counting brackets, before parsing", async () => {
    for (const body of ["[".repeat(100_000), `{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`, `{"ModelName":${'{"x":'.repeat(70)}1${"}".repeat(70)}}`]) {
      const answer = await call("ListModels", body);
      assert.equal(answer.status, 400);
      assert.equal(answer.type, "SerializationException");
      assert.match(answer.message, /deeper than 64 levels/);
    }
    assert.equal(jsonDepth('{"s":"[[[[{{{{"}'), 1);
    assert.equal(jsonDepth('{"s":"\\"[[["}'), 1);
  });

  it("refuses bytes that are not UTF-8 instead of replacing them", async () => {
    const answer = await call("DescribeModel", Buffer.concat([Buffer.from('{"ModelName":"pres'), Buffer.from([0xff, 0xfe]), Buffer.from('ent"}')]));
    assert.equal(answer.status, 400);
    assert.equal(answer.type, "SerializationException");
    assert.match(answer.message, /not valid UTF-8/);
    assert.throws(() => parseJsonObject(Buffer.from([0x7b, 0xc3, 0x7d])), /UTF-8/);
  });

  it("answers an oversized body with 413 and does not run the call", async () => {
    const body = JSON.stringify({ NameContains: "x".repeat(1024 * 1024) });
    const answer = await call("ListModels", body);
    assert.equal(answer.status, 413);
    assert.equal(answer.type, "ValidationException");
    assert.doesNotMatch(JSON.stringify(answer), /"Models"/);
  });

  it("refuses members of the wrong type anywhere in the request, naming the member", async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ["CreateModel", { ModelName: "m", PrimaryContainer: "not an object" }, /PrimaryContainer must be an object, not string/],
      ["CreateModel", { ModelName: "m", Containers: "x" }, /Containers must be a list, not string/],
      ["CreateModel", { ModelName: "m", Containers: [null] }, /Containers\[0\] must be an object, not null/],
      ["CreateModel", { ModelName: "m", PrimaryContainer: { Environment: { HF_MODEL_ID: 5 } } }, /Environment\.HF_MODEL_ID must be a string, not number/],
      ["CreateModel", { ModelName: "m", PrimaryContainer: { Environment: ["x"] } }, /Environment must be a map/],
      ["CreateModel", { ModelName: 7 }, /ModelName must be a string, not number/],
      ["CreateModel", { ModelName: "m", Surprise: true }, /Surprise is not a field of CreateModelInput/],
      ["CreateEndpointConfig", { EndpointConfigName: "c", ProductionVariants: {} }, /ProductionVariants must be a list, not an object/],
      ["ListModels", { MaxResults: "ten" }, /MaxResults must be a number, not string/],
      ["ListModels", { NextToken: 3 }, /NextToken must be a string, not number/],
      ["ListModels", { MaxResults: null }, /MaxResults must be a number, not null/],
    ];
    for (const [operation, input, message] of cases) {
      const answer = await call(operation, JSON.stringify(input));
      assert.equal(answer.status, 400, `${operation} ${JSON.stringify(input)}`);
      assert.equal(answer.type, "SerializationException", `${operation} ${JSON.stringify(input)}`);
      assert.match(answer.message, message);
    }
  });

  it("refuses values the SDK can send but SageMaker rejects with ValidationException", async () => {
    const { sagemaker } = fixture.clients;
    const validation = (pattern: RegExp) => (error: unknown) => {
      assert.ok(error instanceof SageMakerServiceException);
      assert.equal(error.name, "ValidationException");
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.match(error.message, pattern);
      return true;
    };
    await assert.rejects(sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: "c", ProductionVariants: [{} as never] })), validation(/productionVariants\.1\.member\.modelName/));
    await assert.rejects(sagemaker.send(new CreateModelCommand({ ModelName: "no-container" })), validation(/PrimaryContainer/));
    await assert.rejects(sagemaker.send(new ListModelsCommand({ MaxResults: 0 })), validation(/maxResults.*between 1 and 100/));
    await assert.rejects(sagemaker.send(new ListModelsCommand({ MaxResults: 1000 })), validation(/maxResults/));
    await assert.rejects(sagemaker.send(new ListModelsCommand({ NextToken: "abc" })), validation(/nextToken/));
    await assert.rejects(sagemaker.send(new ListModelsCommand({ NextToken: "999999" })), validation(/nextToken/));
    await assert.rejects(sagemaker.send(new ListModelsCommand({ SortBy: "Size" as never })), validation(/sortBy/));
  });

  it("refuses a model folder or file:// location outside the allowed folders, saying how to allow it", async () => {
    const { sagemaker } = fixture.clients;
    for (const container of [{ Environment: { HF_MODEL_ID: "/etc" } }, { ModelDataUrl: "file:///etc/" }, { ModelDataUrl: "/etc" }]) {
      await assert.rejects(sagemaker.send(new CreateModelCommand({ ModelName: "outside", PrimaryContainer: { Image: "local", ...container } })), (error: Error) => {
        assert.equal(error.name, "ValidationException");
        assert.match(error.message, /outside the folders local mode may read and write/);
        assert.match(error.message, /--allow-files \//);
        return true;
      });
    }
    const transform = (input: string, output: string) =>
      sagemaker.send(
        new CreateTransformJobCommand({
          TransformJobName: `files-${Math.random().toString(36).slice(2, 8)}`,
          ModelName: "present",
          TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: input } }, SplitType: "Line" },
          TransformOutput: { S3OutputPath: output },
          TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
        }),
      );
    const outside = (error: Error) => error.name === "ValidationException" && /outside the folders local mode may read and write/.test(error.message) && !/root:/.test(error.message);
    await assert.rejects(transform("file:///etc/passwd", `file://${fixture.dataDir}/out/`), outside);
    await assert.rejects(transform(`file://${fixture.dataDir}/in/`, "file:///tmp/elsewhere/"), outside);
    await assert.rejects(transform(`file://${fixture.dataDir}/../`, `file://${fixture.dataDir}/out/`), outside);
    symlinkSync("/etc", join(fixture.dataDir, "link-out"));
    await assert.rejects(transform(`file://${fixture.dataDir}/link-out/`, `file://${fixture.dataDir}/out/`), outside);
    await assert.rejects(transform("s3://Bad_Bucket/in/", `file://${fixture.dataDir}/out/`), (error: Error) => error.name === "ValidationException" && /not a valid S3 bucket name/.test(error.message));
  });
});
