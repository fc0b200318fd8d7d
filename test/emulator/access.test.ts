/**
 * Only the user gets into local mode: requests must name this machine in Host (no DNS rebinding) and be
 * signed (AWS SigV4) with the emulator's credentials; the unmodified AWS SDK clients sign and pass.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, ListObjectsV2Command, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { ListModelsCommand, SageMakerClient, SageMakerServiceException } from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, SageMakerRuntimeClient, SageMakerRuntimeServiceException } from "@aws-sdk/client-sagemaker-runtime";
import { LOCAL_CREDENTIALS } from "../../src/aws/localAccount";
import { amzDate } from "../../src/aws/sigV4";
import { ACCESS_KEY_ID_ENV, SECRET_ACCESS_KEY_ENV } from "../../src/emulator/access";
import { startLocalSageMaker } from "../../src/emulator/server";
import { InputError } from "../../src/errors";
import { destroyClients, sageMakerClients } from "../../src/workflow/clients";
import { signedFetch, startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";

/** Sends raw bytes on a socket and returns the whole answer (the server closes after one request). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
  });
}

describe("local mode access", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
  });
  after(() => fixture.stop());

  const clientsWith = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
    const config = { endpoint: fixture.local.url, region: "us-east-1", credentials, maxAttempts: 1 };
    return { sagemaker: new SageMakerClient(config), runtime: new SageMakerRuntimeClient(config), s3: new S3Client({ ...config, forcePathStyle: true }) };
  };

  it("accepts the unmodified AWS SDK clients signing with local/local", async () => {
    const { sagemaker, s3 } = fixture.clients;
    assert.deepEqual(fixture.local.credentials, LOCAL_CREDENTIALS);
    assert.deepEqual((await sagemaker.send(new ListModelsCommand({}))).Models, []);
    await s3.send(new CreateBucketCommand({ Bucket: "signed" }));
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: "signed" }))).KeyCount, 0);
  });

  it("answers a wrong secret with InvalidSignatureException / SignatureDoesNotMatch", async () => {
    const wrong = clientsWith({ accessKeyId: "local", secretAccessKey: "not-the-secret" });
    try {
      await assert.rejects(wrong.sagemaker.send(new ListModelsCommand({})), (error: unknown) => {
        assert.ok(error instanceof SageMakerServiceException);
        assert.equal(error.name, "InvalidSignatureException");
        assert.equal(error.$metadata.httpStatusCode, 403);
        assert.match(error.message, /signature we calculated does not match/);
        return true;
      });
      await assert.rejects(wrong.runtime.send(new InvokeEndpointCommand({ EndpointName: "any", Body: "{}", ContentType: "application/json" })), (error: unknown) => {
        assert.ok(error instanceof SageMakerRuntimeServiceException);
        assert.equal(error.name, "InvalidSignatureException");
        return true;
      });
      await assert.rejects(wrong.s3.send(new ListObjectsV2Command({ Bucket: "signed" })), (error: unknown) => {
        assert.ok(error instanceof S3ServiceException);
        assert.equal(error.name, "SignatureDoesNotMatch");
        assert.equal(error.$metadata.httpStatusCode, 403);
        return true;
      });
    } finally {
      for (const client of Object.values(wrong)) client.destroy();
    }
  });

  it("answers an unknown access key id with UnrecognizedClientException / InvalidAccessKeyId", async () => {
    const stranger = clientsWith({ accessKeyId: "AKIASTRANGER", secretAccessKey: "local" });
    try {
      await assert.rejects(stranger.sagemaker.send(new ListModelsCommand({})), (error: Error) => error.name === "UnrecognizedClientException");
      await assert.rejects(stranger.s3.send(new ListObjectsV2Command({ Bucket: "signed" })), (error: Error) => error.name === "InvalidAccessKeyId");
    } finally {
      for (const client of Object.values(stranger)) client.destroy();
    }
  });

  it("refuses unsigned and stale requests in each API's own error shape", async () => {
    const unsigned = await fetch(fixture.local.url, { method: "POST", headers: { "x-amz-target": "SageMaker.ListModels", "content-type": "application/x-amz-json-1.1" }, body: "{}" });
    assert.equal(unsigned.status, 403);
    assert.equal(((await unsigned.json()) as { __type: string }).__type, "MissingAuthenticationTokenException");
    const unsignedS3 = await fetch(`${fixture.local.url}/signed?list-type=2`);
    assert.equal(unsignedS3.status, 403);
    assert.match(await unsignedS3.text(), /<Code>AccessDenied<\/Code>/);
    const unsignedRuntime = await fetch(`${fixture.local.url}/endpoints/e/invocations`, { method: "POST", body: "{}" });
    assert.equal(unsignedRuntime.status, 403);
    assert.equal(unsignedRuntime.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
    const stale = await signedFetch(fixture.local.url, {
      headers: { "x-amz-target": "SageMaker.ListModels", "content-type": "application/x-amz-json-1.1", "x-amz-date": amzDate(new Date(Date.now() - 20 * 60 * 1000)) },
      body: "{}",
    });
    assert.equal(stale.status, 403);
    const body = (await stale.json()) as { __type: string; message: string };
    assert.equal(body.__type, "InvalidSignatureException");
    assert.match(body.message, /^Signature expired/);
  });

  it("refuses a Host that is not this machine (DNS rebinding), even when signed", async () => {
    const port = fixture.local.port;
    const control = await rawRequest(port, `POST / HTTP/1.1\r\nHost: attacker.example:${port}\r\nX-Amz-Target: SageMaker.ListModels\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    assert.match(control, /^HTTP\/1\.1 403 /);
    assert.match(control, /"__type":"AccessDeniedException"/);
    assert.match(control, /DNS rebinding/);
    const s3 = await rawRequest(port, `GET /signed?list-type=2 HTTP/1.1\r\nHost: rebound.attacker.example\r\nConnection: close\r\n\r\n`);
    assert.match(s3, /^HTTP\/1\.1 403 /);
    assert.match(s3, /<Code>AccessDenied<\/Code>/);
    const noHost = await rawRequest(port, `GET /ping HTTP/1.0\r\n\r\n`);
    assert.match(noHost, /^HTTP\/1\.1 403 /);
    // A correctly signed request for another host name is refused too: the signature does not make the Host ours.
    const signed = await signedFetch(fixture.local.url, { headers: { host: "attacker.example", "x-amz-target": "SageMaker.ListModels" }, body: "{}" });
    assert.equal(signed.status, 403);
    for (const host of ["localhost", `127.0.0.1:${port}`, `[::1]:${port}`, "127.1.2.3"]) {
      const ping = await rawRequest(port, `GET /ping HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      assert.match(ping, /^HTTP\/1\.1 200 /, host);
    }
  });

  it("needs the user's own credentials to listen beyond loopback, and then accepts only those", async () => {
    await assert.rejects(startLocalSageMaker({ host: "0.0.0.0", port: 0, dataDir: fixture.dataDir }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /public default credentials local\/local/);
      return true;
    });
    await assert.rejects(startLocalSageMaker({ host: "0.0.0.0", port: 0, dataDir: fixture.dataDir, credentials: { ...LOCAL_CREDENTIALS } }), InputError);
    const credentials = { accessKeyId: "AKIALOCALTEST", secretAccessKey: "a secret of the user's" };
    const local = await startLocalSageMaker({ host: "0.0.0.0", port: 0, dataDir: fixture.dataDir, credentials });
    const url = `http://127.0.0.1:${local.port}`;
    const own = sageMakerClients({ mode: "local", endpoint: url, credentials });
    const defaults = sageMakerClients({ mode: "local", endpoint: url });
    try {
      assert.ok(Array.isArray((await own.sagemaker.send(new ListModelsCommand({}))).Models));
      await assert.rejects(defaults.sagemaker.send(new ListModelsCommand({})), (error: Error) => error.name === "UnrecognizedClientException");
    } finally {
      destroyClients(own);
      destroyClients(defaults);
      await local.close();
    }
  });

  it("takes its credentials from the environment", async () => {
    process.env[ACCESS_KEY_ID_ENV] = "AKIAFROMENV";
    process.env[SECRET_ACCESS_KEY_ENV] = "env secret";
    let local;
    try {
      local = await startLocalSageMaker({ port: 0, dataDir: fixture.dataDir });
    } finally {
      delete process.env[ACCESS_KEY_ID_ENV];
      delete process.env[SECRET_ACCESS_KEY_ENV];
    }
    const clients = sageMakerClients({ mode: "local", endpoint: local.url, credentials: { accessKeyId: "AKIAFROMENV", secretAccessKey: "env secret" } });
    try {
      assert.equal(local.credentials.accessKeyId, "AKIAFROMENV");
      assert.ok(Array.isArray((await clients.sagemaker.send(new ListModelsCommand({}))).Models));
    } finally {
      destroyClients(clients);
      await local.close();
    }
  });
});
