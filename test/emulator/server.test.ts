/**
 * The emulator's HTTP front door, through real requests on 127.0.0.1: what `startLocalSageMaker`
 * returns, how a request is routed (ping, control plane, runtime, S3, unparseable), the control plane's
 * body limit and error mapping, the runtime's answer for an endpoint that is not InService, where files
 * may be read by default, and that close() stops it. No model is loaded: the endpoint here fails at once.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import { delimiter, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { LOCAL_CREDENTIALS } from "../../src/aws/localAccount";
import { amzDate, authorizationHeader, sha256Hex } from "../../src/aws/sigV4";
import { ALLOW_FILES_ENV, CONTROL_PLANE_MAX_BODY_BYTES, defaultLocalDataDir } from "../../src/emulator/server";
import { signedFetch, startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tempDirs } from "../helpers/tempDirs";

/** One raw HTTP/1.1 request (for targets fetch() cannot send); resolves with the status line and body. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolveText, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(`${head}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString("utf8")));
    socket.on("end", () => resolveText(text));
    socket.on("error", reject);
  });
}

describe("startLocalSageMaker", () => {
  let fixture: LocalSageMakerFixture;
  const saved = { allow: process.env[ALLOW_FILES_ENV], dir: process.env.ZERO_SHOT_LOCAL_SAGEMAKER_DIR };
  const tempDir = tempDirs("server-");
  const allowed = tempDir("server-allowed-");
  const other = tempDir("server-other-");
  before(async () => {
    for (const dir of [allowed, other]) mkdirSync(join(dir, "model"));
    process.env[ALLOW_FILES_ENV] = [tempDir("server-unused-"), allowed].join(delimiter);
    fixture = await startLocalFixture({ allowFiles: undefined }); // the folders come from the environment
  });
  after(async () => {
    await fixture.stop();
    for (const [name, value] of [[ALLOW_FILES_ENV, saved.allow], ["ZERO_SHOT_LOCAL_SAGEMAKER_DIR", saved.dir]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("returns its loopback URL and port, its data directory and the credentials requests are signed with", () => {
    assert.equal(fixture.local.url, `http://127.0.0.1:${fixture.local.port}`);
    assert.ok(fixture.local.port > 0);
    assert.equal(fixture.local.dataDir, fixture.dataDir);
    assert.deepEqual(fixture.local.credentials, LOCAL_CREDENTIALS);
  });

  it("answers /ping unsigned with an empty 200, and every response carries a request id", async () => {
    const ping = await fetch(`${fixture.local.url}/ping`);
    assert.equal(ping.status, 200);
    assert.equal(await ping.text(), "");
    assert.match(ping.headers.get("x-amzn-requestid") ?? "", /^[0-9a-f-]{36}$/);
    const refused = await fetch(`${fixture.local.url}/some-bucket/key`);
    assert.match(refused.headers.get("x-amzn-requestid") ?? "", /^[0-9a-f-]{36}$/);
  });

  it("answers a target that is no path with S3's InvalidURI, and an unsigned S3 request with AccessDenied", async () => {
    const response = await rawRequest(fixture.local.port, "OPTIONS * HTTP/1.1");
    assert.match(response, /^HTTP\/1\.1 400 /);
    assert.match(response, /<Code>InvalidURI<\/Code>/);
    assert.match(response, /Couldn&apos;t parse the specified URI: send a path such as \/bucket\/key/);
    const unsigned = await fetch(`${fixture.local.url}/some-bucket/key`);
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /<Code>AccessDenied<\/Code>.*sign the request \(AWS Signature V4\) with local mode&apos;s credentials/s);
  });

  it("refuses a control-plane body over its limit with 413 before running anything", async () => {
    const response = await signedFetch(fixture.local.url, {
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "SageMaker.CreateModel" },
      body: JSON.stringify({ ModelName: "huge", PrimaryContainer: { Image: "x".repeat(CONTROL_PLANE_MAX_BODY_BYTES) } }),
    });
    assert.equal(response.status, 413);
    assert.equal(response.headers.get("x-amzn-errortype"), "ValidationException");
    assert.deepEqual(await response.json(), { __type: "ValidationException", message: "the request body is over local mode's 1048576-byte limit for control-plane calls" });
  });

  it("answers a body announced far over the limit with 413 and closes the connection, without reading it", async () => {
    // A signed request (its signature covers an empty payload, so only the body's size is wrong) announcing 100 MiB, of which 1 KiB is sent.
    const port = fixture.local.port;
    const headers: Record<string, string> = {
      host: `127.0.0.1:${port}`,
      "x-amz-date": amzDate(new Date()),
      "x-amz-target": "SageMaker.CreateModel",
      "content-type": "application/x-amz-json-1.1",
      "content-length": String(100 * 1024 * 1024),
    };
    headers.authorization = authorizationHeader({ method: "POST", target: "/", headers: Object.entries(headers), payloadHash: sha256Hex("") }, LOCAL_CREDENTIALS, "us-east-1", "sagemaker");
    const answer = await new Promise<string>((resolveText, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(`POST / HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`);
        socket.write(Buffer.alloc(1024, 120));
      });
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString("utf8")));
      socket.on("end", () => resolveText(text)); // the server closed the connection
      socket.on("error", reject);
    });
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /\r\nconnection: close\r\n/i);
    assert.match(answer, /over local mode's 1048576-byte limit for control-plane calls/);
  });

  it("answers a chunked control-plane body that outgrows the limit with 413 once it is sent, and survives a client that hangs up mid-body", async () => {
    const port = fixture.local.port;
    const signedHead = (extra: Record<string, string>) => {
      const headers: Record<string, string> = { host: `127.0.0.1:${port}`, "x-amz-date": amzDate(new Date()), "x-amz-target": "SageMaker.ListModels", "content-type": "application/x-amz-json-1.1", ...extra };
      headers.authorization = authorizationHeader({ method: "POST", target: "/", headers: Object.entries(headers), payloadHash: sha256Hex("") }, LOCAL_CREDENTIALS, "us-east-1", "sagemaker");
      return `POST / HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`;
    };
    // 2 MiB in 64 KiB chunks, no Content-Length: over the 1 MiB limit, under what is read and thrown away.
    const chunked = await new Promise<string>((resolveText, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(signedHead({ "transfer-encoding": "chunked", connection: "close" }));
        const chunk = Buffer.alloc(64 * 1024, 120);
        for (let i = 0; i < 32; i++) socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
        socket.write("0\r\n\r\n");
      });
      let text = "";
      socket.on("data", (data) => (text += data.toString("utf8")));
      socket.on("end", () => resolveText(text));
      socket.on("error", reject);
    });
    assert.match(chunked, /^HTTP\/1\.1 413 /);
    assert.match(chunked, /over local mode's 1048576-byte limit for control-plane calls/);

    // A client that announces 1,000 bytes, sends 10 and hangs up: nothing fails, and the next call is answered.
    await new Promise<void>((resolveSent) => {
      const socket = connect(port, "127.0.0.1", () => socket.write(`${signedHead({ "content-length": "1000" })}{"Max`, () => {
        socket.destroy();
        resolveSent();
      }));
    });
    const listed = await signedFetch(fixture.local.url, { headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "SageMaker.ListModels" }, body: "{}" });
    assert.equal(listed.status, 200);
    assert.equal(fixture.logs.some((line) => /failed/.test(line)), false, fixture.logs.join("\n"));
  });

  it("answers a container local mode may not read as the caller's ValidationException (400), not an internal failure", async () => {
    const response = await signedFetch(fixture.local.url, {
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "SageMaker.CreateModel" },
      body: JSON.stringify({ ModelName: "outside", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: "/etc" } } }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { __type: string; message: string };
    assert.equal(body.__type, "ValidationException");
    assert.match(body.message, /^HF_MODEL_ID \/etc is outside the folders local mode may read and write/);
  });

  it("refuses to invoke an endpoint that is not InService, saying what to do", async () => {
    const { sagemaker, runtime } = fixture.clients;
    await sagemaker.send(new CreateModelCommand({ ModelName: "generator", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: "gpt2", HF_TASK: "text-generation" } } }));
    await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: "generator", ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "generator", InitialInstanceCount: 1, InstanceType: "ml.m5.xlarge" }] }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: "generator", EndpointConfigName: "generator" }));
    let described = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: "generator" }));
    while (described.EndpointStatus === "Creating") described = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: "generator" }));
    assert.equal(described.EndpointStatus, "Failed");
    assert.equal(described.FailureReason, 'HF_TASK is "text-generation": local mode serves HF_TASK=zero-shot-classification models only');
    await assert.rejects(runtime.send(new InvokeEndpointCommand({ EndpointName: "generator", ContentType: "application/json", Body: JSON.stringify({ inputs: "x" }) })), (error: Error) => {
      assert.equal(error.name, "ValidationError");
      assert.equal(error.message, "Endpoint generator is Failed, not InService: wait for InService (DescribeEndpoint), or read its FailureReason");
      return true;
    });
  });

  it("keeps its data in ZERO_SHOT_LOCAL_SAGEMAKER_DIR by default, when set", () => {
    process.env.ZERO_SHOT_LOCAL_SAGEMAKER_DIR = "/srv/local-sagemaker";
    assert.equal(defaultLocalDataDir(), "/srv/local-sagemaker");
  });

  it("reads model folders from the folders listed in ZERO_SHOT_LOCAL_SAGEMAKER_ALLOW_FILES, and no others", async () => {
    const { sagemaker } = fixture.clients;
    await sagemaker.send(new CreateModelCommand({ ModelName: "allowed", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: join(allowed, "model") } } }));
    await assert.rejects(
      sagemaker.send(new CreateModelCommand({ ModelName: "other", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: join(other, "model") } } })),
      /is outside the folders local mode may read and write/,
    );
  });

  it("stops listening on close()", async () => {
    await fixture.local.close();
    await assert.rejects(fetch(`${fixture.local.url}/ping`), /fetch failed/);
  });
});
