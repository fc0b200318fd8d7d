/** SageMaker's error and body shapes, checked by the real AWS SDK client reading them off a real HTTP server. */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { DescribeModelCommand, ResourceInUse, ResourceNotFound, SageMakerClient, SageMakerServiceException } from "@aws-sdk/client-sagemaker";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../src/aws/localAccount";
import { alreadyExists, awsJsonBody, errorResponse, invalidField, notFound, SageMakerApiError } from "../../src/emulator/apiErrors";

describe("SageMakerApiError", () => {
  it("carries the status AWS sends with each type: 403 for authentication, 500 for internal, else 400", () => {
    const status = (type: ConstructorParameters<typeof SageMakerApiError>[0]) => new SageMakerApiError(type, "x").status;
    assert.equal(status("ValidationException"), 400);
    assert.equal(status("ResourceNotFound"), 400);
    assert.equal(status("ResourceInUse"), 400);
    assert.equal(status("SerializationException"), 400);
    assert.equal(status("InternalFailure"), 500);
    for (const type of ["MissingAuthenticationTokenException", "UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException"] as const) {
      assert.equal(status(type), 403, type);
    }
    assert.equal(new SageMakerApiError("ResourceLimitExceeded", "x", 429).status, 429);
    const error = new SageMakerApiError("ResourceInUse", "busy");
    assert.ok(error instanceof Error);
    assert.equal(error.name, "ResourceInUse");
    assert.equal(error.message, "busy");
  });

  it("words missing, duplicate and invalid resources as SageMaker does", () => {
    const arn = "arn:aws:sagemaker:us-east-1:000000000000:endpoint/e1";
    assert.equal(notFound("endpoint", arn).message, `Could not find endpoint "${arn}".`);
    assert.equal(notFound("endpoint", arn).type, "ValidationException");
    assert.equal(alreadyExists("endpoint configuration", arn).message, `Cannot create already existing endpoint configuration "${arn}".`);
    assert.equal(
      invalidField("maxResults", 0, "Member must have value between 1 and 100").message,
      "1 validation error detected: Value 0 at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100",
    );
    assert.match(invalidField("tags.1.member.key", undefined, "Member must not be null").message, /^1 validation error detected: Value null at 'tags\.1\.member\.key'/);
    assert.match(invalidField("modelName", 'a"b', "c").message, /Value "a\\"b" at 'modelName'/);
  });
});

describe("errorResponse and awsJsonBody", () => {
  it("shape an error as awsJson1_1: status, x-amzn-errortype header, {__type, message} body", () => {
    const response = errorResponse(new SageMakerApiError("InvalidSignatureException", "The request signature we calculated does not match"));
    assert.equal(response.status, 403);
    assert.deepEqual(response.headers, { "Content-Type": "application/x-amz-json-1.1", "x-amzn-errortype": "InvalidSignatureException" });
    assert.deepEqual(JSON.parse(response.body), { __type: "InvalidSignatureException", message: "The request signature we calculated does not match" });
  });

  it("write Dates, nested ones too, as epoch seconds and leave other values alone", () => {
    const body = awsJsonBody({ CreationTime: new Date(1_700_000_000_500), Variants: [{ LastModified: new Date(0), Name: "AllTraffic", Weight: 1.5 }], Missing: undefined });
    assert.deepEqual(JSON.parse(body), { CreationTime: 1_700_000_000.5, Variants: [{ LastModified: 0, Name: "AllTraffic", Weight: 1.5 }] });
  });
});

describe("what the AWS SDK makes of them", () => {
  let server: Server;
  let client: SageMakerClient;
  /** The response the server sends to the next call. */
  let next: { status: number; headers: Record<string, string>; body: string };

  before(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(next.status, next.headers).end(next.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    client = new SageMakerClient({ endpoint: `http://127.0.0.1:${port}`, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const describeModel = () => client.send(new DescribeModelCommand({ ModelName: "m1" }));

  it("raises ValidationException with the message, for notFound and invalidField", async () => {
    next = errorResponse(notFound("model", "arn:aws:sagemaker:us-east-1:000000000000:model/m1"));
    await assert.rejects(describeModel(), (error: unknown) => {
      assert.ok(error instanceof SageMakerServiceException);
      assert.equal(error.name, "ValidationException");
      assert.equal(error.message, 'Could not find model "arn:aws:sagemaker:us-east-1:000000000000:model/m1".');
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
  });

  it("raises the SDK's own ResourceNotFound and ResourceInUse classes", async () => {
    next = errorResponse(new SageMakerApiError("ResourceNotFound", "no such job"));
    await assert.rejects(describeModel(), (error: unknown) => error instanceof ResourceNotFound && error.message === "no such job");
    next = errorResponse(new SageMakerApiError("ResourceInUse", "endpoint is Creating"));
    await assert.rejects(describeModel(), (error: unknown) => error instanceof ResourceInUse && error.message === "endpoint is Creating");
  });

  it("reads an awsJsonBody's epoch seconds back as the same Date", async () => {
    const created = new Date(Date.UTC(2025, 2, 4, 5, 6, 7, 250));
    next = { status: 200, headers: { "Content-Type": "application/x-amz-json-1.1" }, body: awsJsonBody({ ModelName: "m1", ModelArn: "arn:aws:sagemaker:us-east-1:000000000000:model/m1", CreationTime: created }) };
    const output = await describeModel();
    assert.equal(output.ModelName, "m1");
    assert.ok(output.CreationTime instanceof Date);
    assert.equal(output.CreationTime.getTime(), created.getTime());
  });
});
