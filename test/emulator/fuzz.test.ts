/**
 * A bounded fuzz of local mode: a fixed list of hostile requests (methods, request targets, headers,
 * bodies, encodings, traversal keys), signed and unsigned, sent on raw sockets. None may get a 5xx or
 * go unanswered, and the emulator must still serve the SDK afterwards.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { ListModelsCommand } from "@aws-sdk/client-sagemaker";
import { LOCAL_CREDENTIALS } from "../../src/aws/localAccount";
import { amzDate, authorizationHeader, sha256Hex } from "../../src/aws/sigV4";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";

interface HostileRequest {
  method: string;
  target: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sign for this service ("sagemaker" or "s3"); unsigned when absent. */
  sign?: string;
}

/** Writes one request on a fresh socket; resolves with the status code (0: the server closed without answering). */
function send(port: number, request: HostileRequest): Promise<number> {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, "utf8");
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, "x-amz-date": amzDate(new Date()), ...request.headers };
  if (request.sign === "s3") headers["x-amz-content-sha256"] ??= sha256Hex(body);
  if (request.sign) {
    headers.authorization = authorizationHeader(
      { method: request.method, target: request.target, headers: Object.entries(headers), payloadHash: request.sign === "s3" ? headers["x-amz-content-sha256"] : sha256Hex(body) },
      LOCAL_CREDENTIALS,
      "us-east-1",
      request.sign,
    );
  }
  if (!("transfer-encoding" in headers)) headers["content-length"] = String(body.length);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("")}connection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    // Written, not ended: the server closes after its answer (connection: close), as it would for any client.
    const socket = connect(port, "127.0.0.1", () => socket.write(Buffer.concat([Buffer.from(head, "latin1"), body])));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 20 s to ${request.method} ${request.target.slice(0, 80)}`));
    }, 20_000);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("close", () => {
      clearTimeout(timer);
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(Buffer.concat(chunks).toString("latin1"));
      resolve(match ? Number(match[1]) : 0);
    });
    socket.on("error", () => undefined); // a reset still ends in "close"
  });
}

const control = (operation: string, body: string | Buffer, extra: Record<string, string> = {}): HostileRequest => ({
  method: "POST",
  target: "/",
  headers: { "x-amz-target": operation, "content-type": "application/x-amz-json-1.1", ...extra },
  body,
  sign: "sagemaker",
});

const HOSTILE: HostileRequest[] = [
  // Methods and request targets.
  ...["GET", "PUT", "DELETE", "POST", "PATCH", "OPTIONS", "TRACE", "HEAD"].map((method) => ({ method, target: "/" })),
  ...["//[", "/%", "/%zz/x", "/..", "/../../etc/passwd", "/data/..%2f..%2fetc%2fpasswd", "*", "/endpoints/%ff/invocations", "/endpoints//invocations", "/ping?x=%zz", `/${"a".repeat(8000)}`, "/?list-type=2"].flatMap(
    (target) => [
      { method: "GET", target },
      { method: "GET", target, sign: "s3" },
      { method: "PUT", target, body: "x", sign: "s3" },
      { method: "POST", target, body: "{}", sign: "sagemaker" },
    ],
  ),
  // S3: traversal keys and prefixes, bad paging values, bad bucket names, a body that is not what was signed.
  ...["../x", "..%2F..%2Fx", "%2e%2e/%2e%2e/x", "a/./b", "a%5C..%5C..%5Cx", "nul%00", "%C0%AE%C0%AE/x", "a//b", "%"].flatMap((key) => [
    { method: "PUT", target: `/fuzz/${key}`, body: "data", sign: "s3" },
    { method: "GET", target: `/fuzz/${key}`, sign: "s3" },
    { method: "DELETE", target: `/fuzz/${key}`, sign: "s3" },
  ]),
  ...["prefix=../../../", "prefix=%00", "max-keys=-1", "max-keys=abc", "max-keys=99999999999", "continuation-token=%00", "continuation-token=cDo", "start-after=%FF", "encoding-type=gzip", "delimiter=%00"].map(
    (query) => ({ method: "GET", target: `/fuzz?list-type=2&${query}`, sign: "s3" }),
  ),
  { method: "PUT", target: "/UPPER", sign: "s3" },
  { method: "PUT", target: "/fuzz/mismatch", body: "what was sent", headers: { "x-amz-content-sha256": sha256Hex("something else") }, sign: "s3" },
  { method: "PUT", target: "/fuzz/endless-line", body: "a".repeat(100_000), headers: { "content-encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" }, sign: "s3" },
  { method: "PUT", target: "/fuzz/negative", body: "-5\r\nhello\r\n0\r\n\r\n", headers: { "content-encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" }, sign: "s3" },
  { method: "PUT", target: "/fuzz/chunked", body: "zz\r\nnot a chunk\r\n", headers: { "content-encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" }, sign: "s3" },
  // Control plane: operation names, bodies, types, encodings.
  ...["SageMaker.valueOf", "SageMaker.__proto__", "SageMaker.constructor", "SageMaker.", "", "Other.ListModels", "SageMaker.ListModels\u0000"].map((target) => control(target, "{}")),
  ...["null", "[]", "1e999", '"x"', "{", "[".repeat(100_000), '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '{"MaxResults":1e999}', '{"NextToken":"-1"}', '{"NameContains":{"$ne":1}}'].map((body) =>
    control("SageMaker.ListModels", body),
  ),
  control("SageMaker.ListModels", Buffer.from([0x7b, 0xff, 0x7d])),
  control("SageMaker.ListModels", "x".repeat(1024 * 1024 + 10)),
  control("SageMaker.CreateEndpointConfig", '{"EndpointConfigName":"c","ProductionVariants":[{}]}'),
  control("SageMaker.CreateEndpointConfig", '{"EndpointConfigName":"c","ProductionVariants":[null]}'),
  control("SageMaker.CreateModel", '{"ModelName":"m","PrimaryContainer":{"Environment":{"HF_MODEL_ID":"/etc"}}}'),
  control("SageMaker.CreateModel", '{"ModelName":"m","PrimaryContainer":{"ModelDataUrl":"file:///etc/shadow"}}'),
  control("SageMaker.CreateModel", '{"ModelName":"../../x","PrimaryContainer":{}}'),
  control("SageMaker.DescribeModel", '{"ModelName":"__proto__"}'),
  control("SageMaker.CreateTransformJob", '{"TransformJobName":"t","ModelName":"m","TransformInput":{"DataSource":{"S3DataSource":{"S3Uri":"file:///etc/"}}},"TransformOutput":{"S3OutputPath":"s3://b/o/"}}'),
  control("SageMaker.CreateTransformJob", '{"TransformJobName":"t","ModelName":"m","TransformInput":{"DataSource":{"S3DataSource":{"S3Uri":"s3://"}}},"TransformOutput":{"S3OutputPath":"s3:///"}}'),
  control("SageMaker.ListModels", "{}", { "content-encoding": "gzip" }),
  { ...control("SageMaker.ListModels", "2\r\n{}\r\n0\r\n\r\n"), headers: { "x-amz-target": "SageMaker.ListModels", "transfer-encoding": "chunked" } },
  // Runtime: bodies, encodings, unknown endpoints.
  ...[Buffer.from([0xc3, 0x28]), Buffer.from("null"), Buffer.from("[".repeat(100_000))].map((body) => ({
    method: "POST",
    target: "/endpoints/fuzz-missing/invocations",
    headers: { "content-type": "application/json" },
    body,
    sign: "sagemaker",
  })),
  { method: "POST", target: "/endpoints/fuzz-missing/invocations", body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20), sign: "sagemaker" },
  // Headers: foreign hosts, broken signatures.
  { method: "GET", target: "/ping", headers: { host: "evil.example" } },
  { method: "POST", target: "/", headers: { "x-amz-target": "SageMaker.ListModels", authorization: "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=00" }, body: "{}" },
  { method: "POST", target: "/", headers: { "x-amz-target": "SageMaker.ListModels", authorization: "garbage" }, body: "{}" },
  { method: "GET", target: "/fuzz?list-type=2", headers: { authorization: "AWS4-HMAC-SHA256 Credential=local/x/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=zz" } },
];

describe("local mode under hostile requests", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
    await fixture.clients.s3.send(new CreateBucketCommand({ Bucket: "fuzz" }));
    await fixture.clients.s3.send(new PutObjectCommand({ Bucket: "fuzz", Key: "kept", Body: "kept" }));
  });
  after(() => fixture.stop());

  it(`answers each of ${HOSTILE.length} hostile requests with a status below 500`, async () => {
    const failures: string[] = [];
    for (const request of HOSTILE) {
      const status = await send(fixture.local.port, request);
      if (status === 0 || status >= 500) failures.push(`${status} for ${request.method} ${request.target.slice(0, 60)} ${JSON.stringify(request.headers ?? {}).slice(0, 120)} ${String(request.body ?? "").slice(0, 60)}`);
    }
    assert.deepEqual(failures, [], fixture.logs.join("\n"));
  });

  it("still serves the SDK afterwards, with its data intact and nothing written outside the bucket", async () => {
    const { s3, sagemaker } = fixture.clients;
    const ping = await fetch(`${fixture.local.url}/ping`);
    assert.equal(ping.status, 200);
    assert.deepEqual((await sagemaker.send(new ListModelsCommand({}))).Models, []);
    const kept = await s3.send(new GetObjectCommand({ Bucket: "fuzz", Key: "kept" }));
    assert.equal(await kept.Body!.transformToString(), "kept");
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "fuzz", EncodingType: "url" }));
    for (const object of listed.Contents ?? []) assert.ok(!decodeURIComponent(object.Key!).startsWith("/"), object.Key);
  });
});
