/** SigV4 against AWS's published test vectors and against the signer inside the AWS SDK. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HttpRequest, SourceData } from "@smithy/types";
import {
  authorizationHeader,
  canonicalRequest,
  EMPTY_PAYLOAD_SHA256,
  sha256Hex,
  stringToSign,
  verifySigV4,
  type SignableRequest,
} from "../../src/aws/sigV4";

/** The aws-sig-v4 test suite's credentials, region, service and time. */
const SUITE = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const SUITE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const suiteHeaders = [["Host", "example.amazonaws.com"], ["X-Amz-Date", "20150830T123600Z"]] as const;
const secretOf = (credentials: typeof SUITE) => (id: string) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined);

const bytes = (data: SourceData): string | Uint8Array => (typeof data === "string" ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));

/** node:crypto in the shape the SDK's signer takes for its hash (HMAC when given a key). */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

function withAuthorization(request: SignableRequest, authorization: string): SignableRequest {
  return { ...request, headers: [...request.headers, ["Authorization", authorization]] };
}

describe("SigV4", () => {
  it("builds get-vanilla's canonical request, string to sign and signature", () => {
    const request: SignableRequest = { method: "GET", target: "/", headers: suiteHeaders, payloadHash: EMPTY_PAYLOAD_SHA256 };
    const canonical = canonicalRequest(request, ["host", "x-amz-date"], "service");
    assert.equal(canonical, "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert.equal(
      stringToSign("20150830T123600Z", { date: "20150830", region: "us-east-1", service: "service" }, canonical),
      "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
    );
    assert.equal(
      authorizationHeader(request, SUITE, "us-east-1", "service"),
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("matches the suite's query-order, post and UTF-8 path vectors", () => {
    const cases = [
      { method: "GET", target: "/?Param2=value2&Param1=value1", signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
      { method: "POST", target: "/", signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
      { method: "GET", target: "/\u1234", signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85" },
    ];
    for (const { method, target, signature } of cases) {
      const request: SignableRequest = { method, target, headers: suiteHeaders, payloadHash: EMPTY_PAYLOAD_SHA256 };
      const header = authorizationHeader(request, SUITE, "us-east-1", "service");
      assert.equal(header.slice(-64), signature, target);
      assert.deepEqual(verifySigV4(withAuthorization(request, header), secretOf(SUITE), SUITE_TIME), {
        ok: true,
        accessKeyId: "AKIDEXAMPLE",
        scope: { date: "20150830", region: "us-east-1", service: "service" },
      });
    }
  });

  it("matches the S3 documentation's GetObject example (single-encoded path, signed range)", () => {
    const s3 = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
    const request: SignableRequest = {
      method: "GET",
      target: "/test.txt",
      headers: [["Host", "examplebucket.s3.amazonaws.com"], ["Range", "bytes=0-9"], ["x-amz-content-sha256", EMPTY_PAYLOAD_SHA256], ["x-amz-date", "20130524T000000Z"]],
      payloadHash: EMPTY_PAYLOAD_SHA256,
    };
    assert.equal(
      authorizationHeader(request, s3, "us-east-1", "s3"),
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });

  it("says why a request fails: unsigned, unknown key, wrong secret, tampered body, stale time", () => {
    const body = '{"ModelName":"m"}';
    const request: SignableRequest = { method: "POST", target: "/", headers: suiteHeaders, payloadHash: sha256Hex(body) };
    const header = authorizationHeader(request, SUITE, "us-east-1", "sagemaker");
    assert.equal(verifySigV4(request, secretOf(SUITE), SUITE_TIME).ok, false);
    assert.equal((verifySigV4(request, secretOf(SUITE), SUITE_TIME) as { kind: string }).kind, "missing");
    const kind = (req: SignableRequest, secrets = secretOf(SUITE), now = SUITE_TIME) => {
      const result = verifySigV4(req, secrets, now);
      return result.ok ? "ok" : result.kind;
    };
    assert.equal(kind(withAuthorization(request, header)), "ok");
    assert.equal(kind(withAuthorization(request, header), () => undefined), "unknown-key");
    assert.equal(kind(withAuthorization(request, header), () => "another secret"), "mismatch");
    assert.equal(kind(withAuthorization({ ...request, payloadHash: sha256Hex('{"ModelName":"x"}') }, header)), "mismatch");
    assert.equal(kind(withAuthorization({ ...request, target: "/?a=b" }, header)), "mismatch");
    assert.equal(kind(withAuthorization(request, header), secretOf(SUITE), SUITE_TIME + 16 * 60 * 1000), "expired");
    assert.equal(kind(withAuthorization(request, "AWS4-HMAC-SHA256 Credential=x")), "malformed");
    assert.equal(kind(withAuthorization(request, header.replace("host;x-amz-date", "x-amz-date"))), "malformed");
    assert.equal(kind(withAuthorization(request, header.replace("/us-east-1/", "/<script>/"))), "malformed");
  });

  it("verifies what the AWS SDK's own signer produces, for S3 and for other services", async () => {
    const credentials = { accessKeyId: "local", secretAccessKey: "local" };
    const cases: Array<{ service: string; path: string; query: Record<string, string>; body: string }> = [
      { service: "sagemaker", path: "/endpoints/my%20endpoint/invocations", query: {}, body: '{"inputs":"x"}' },
      { service: "s3", path: "/bucket/a%20b/..%2F/%2Ec", query: { "list-type": "2", prefix: "a b/../" }, body: "" },
      { service: "sagemaker", path: "/", query: {}, body: "{}" },
    ];
    for (const { service, path, query, body } of cases) {
      const signer = new SignatureV4({ credentials, region: "eu-west-1", service, sha256: NodeSha256, uriEscapePath: service !== "s3", applyChecksum: false });
      const request: HttpRequest = { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 8787, path, query, headers: { host: "127.0.0.1:8787", "content-type": "application/json" }, body };
      const signed = await signer.sign(request, { signingDate: new Date(SUITE_TIME) });
      const search = new URLSearchParams(query).toString().replace(/\+/g, "%20");
      const result = verifySigV4(
        {
          method: "POST",
          target: search ? `${path}?${search}` : path,
          headers: Object.entries(signed.headers),
          payloadHash: signed.headers["x-amz-content-sha256"] ?? sha256Hex(body),
        },
        (id) => (id === "local" ? "local" : undefined),
        SUITE_TIME,
      );
      assert.equal(result.ok, true, `${service} ${path}: ${JSON.stringify(result)}`);
    }
  });
});
