/**
 * `serve` keeps SageMaker's container contract under abuse: oversized bodies (every client reads its
 * 413), a busy model (/ping still answers), clients that hang up (their work is dropped), close()
 * (connections already accepted are answered), foreign Host headers (403), model faults (500).
 * Raw sockets where a client library cannot express the request; the real AWS SDK and fetch elsewhere.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient, ValidationError } from "@aws-sdk/client-sagemaker-runtime";
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import type { WorkerNliScorer } from "../../src/backends/worker/workerNliScorer";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import { MAX_PAYLOAD_BYTES } from "../../src/server/invocations";
import { startInferenceServer, type InferenceServer } from "../../src/server/httpServer";
import { MicroBatchingScorer } from "../../src/scorers/microBatchingScorer";
import { tinyBert } from "../helpers/models";
import { until, WorkerGate } from "../helpers/workerGate";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const payload = (text: string, labels = ["Health", "Finance"]) => JSON.stringify({ inputs: text, parameters: { candidate_labels: labels } });

interface RawResponse {
  status: number;
  head: string;
  body: string;
  /** The server closed the connection after the response. */
  closed: boolean;
}

/** Reads one HTTP response from a raw socket: resolves once its body is complete (Content-Length) or the socket ends. */
function readResponse(socket: Socket): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const finish = (closed: boolean) => {
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("error", onError);
      const text = data.toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head: text.slice(0, split), body: text.slice(split + 4), closed });
    };
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const text = data.toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      if (split < 0) return;
      if (/^HTTP\/1\.1 100 /.test(text)) {
        // An interim response: keep it in `head` only if a final one follows; the caller decides what to send.
        resolve({ status: 100, head: text.slice(0, split), body: "", closed: false });
        data = data.subarray(split + 4);
        socket.off("data", onData);
        socket.off("end", onEnd);
        socket.off("error", onError);
        return;
      }
      const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, split));
      if (length && data.length - (split + 4) >= Number(length[1])) finish(/\r\nconnection: close/i.test(text.slice(0, split)));
    };
    const onEnd = () => finish(true);
    const onError = (error: Error) => (data.length > 0 ? finish(true) : reject(error));
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("error", onError);
  });
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Writes a body in 64 KiB pieces, waiting for the socket to drain, as a real client does. */
async function writeAll(socket: Socket, body: Buffer, chunked = false): Promise<void> {
  for (let offset = 0; offset < body.length; offset += 65536) {
    const piece = body.subarray(offset, offset + 65536);
    const data = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece;
    if (!socket.write(data)) await new Promise((resolve) => socket.once("drain", resolve));
  }
  if (chunked) socket.write("0\r\n\r\n");
}

const curlPath = () => ["/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"].find((path) => existsSync(path));

/** Runs a program without blocking this process's event loop (the server under test lives in it). */
function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

const oversized = () => Buffer.from(payload("x".repeat(MAX_PAYLOAD_BYTES + 1024 * 1024)));

describe("serve under abuse: oversized bodies", () => {
  let server: InferenceServer;
  let client: SageMakerRuntimeClient;
  before(async () => {
    const classifier = new ZeroShotClassifier(new MicroBatchingScorer(await LocalNliModel.load(tinyBert())));
    server = await startInferenceServer({ classifier, port: 0, log: () => undefined });
    client = new SageMakerRuntimeClient({ endpoint: server.url, region: "us-east-1", credentials, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  it("gives the AWS SDK its ValidationError (413) every time, never a broken pipe", async () => {
    const body = oversized();
    for (let attempt = 0; attempt < 5; attempt++) {
      const error = await client.send(new InvokeEndpointCommand({ EndpointName: "zero-shot", ContentType: "application/json", Body: body })).then(
        () => assert.fail("a 7 MiB body must be refused"),
        (caught: unknown) => caught as ValidationError,
      );
      assert.ok(error instanceof ValidationError, `attempt ${attempt}: ${(error as Error).name}: ${(error as Error).message}`);
      assert.equal(error.$metadata.httpStatusCode, 413);
      assert.match(error.message, /over the 6291456-byte \(6 MiB\) limit/);
    }
  });

  it("gives fetch the container's 413 JSON error every time", async () => {
    const body = oversized();
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await fetch(`${server.url}/invocations`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
      assert.equal(response.status, 413);
      assert.deepEqual(Object.keys((await response.json()) as object), ["code", "type", "message"]);
    }
  });

  for (const chunked of [false, true]) {
    it(`answers a raw client 413 after it sent the whole body (${chunked ? "chunked" : "Content-Length"}), then closes`, async () => {
      const body = oversized();
      const socket = await openSocket(server.port);
      const framing = chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${body.length}`;
      socket.write(`POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`);
      const response = readResponse(socket);
      await writeAll(socket, body, chunked);
      const { status, body: answer, closed } = await response;
      assert.equal(status, 413);
      assert.equal(JSON.parse(answer).type, "RequestEntityTooLargeException");
      assert.ok(closed, "Connection: close");
      socket.destroy();
    });
  }

  it("refuses a body announced with Expect: 100-continue before the client sends it", async () => {
    const socket = await openSocket(server.port);
    socket.write(`POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${MAX_PAYLOAD_BYTES + 1}\r\nExpect: 100-continue\r\n\r\n`);
    const { status, head, body, closed } = await readResponse(socket);
    assert.equal(status, 413, head);
    assert.match(JSON.parse(body).message, /the body is 6291457 bytes, over the 6291456-byte \(6 MiB\) limit/);
    assert.ok(closed);
    socket.destroy();
  });

  it("sends 100 Continue for an acceptable body announced with Expect, then answers it", async () => {
    const body = Buffer.from(payload("I will run a marathon"));
    const socket = await openSocket(server.port);
    socket.write(`POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
    assert.equal((await readResponse(socket)).status, 100);
    const final = readResponse(socket);
    socket.write(body);
    const { status, body: answer } = await final;
    assert.equal(status, 200);
    assert.equal(JSON.parse(answer).sequence, "I will run a marathon");
    socket.destroy();
  });

  it("gives curl the 413, with and without Expect: 100-continue", { skip: !curlPath() && "curl is not installed" }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "serve-413-"));
    const file = join(dir, "big.json");
    writeFileSync(file, oversized());
    try {
      // curl sends Expect: 100-continue for a body this large; `-H Expect:` turns it off.
      for (const extra of [[], ["-H", "Expect:"]]) {
        const { code, stdout } = await run(curlPath()!, ["-sS", "-o", "-", "-w", "\n%{http_code}", "-H", "Content-Type: application/json", "--data-binary", `@${file}`, ...extra, `${server.url}/invocations`]);
        assert.equal(code, 0, `curl ${extra.join(" ")} failed`);
        const [body, status] = stdout.split("\n");
        assert.equal(status, "413", extra.join(" "));
        assert.equal(JSON.parse(body).type, "RequestEntityTooLargeException");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers a declared body far past what it will read with 413 at once, and cuts the connection", async () => {
    const socket = await openSocket(server.port);
    socket.write(`POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${1024 ** 4}\r\n\r\n`);
    const { status, closed } = await readResponse(socket);
    assert.equal(status, 413);
    assert.ok(closed);
    socket.destroy();
    assert.equal((await fetch(`${server.url}/ping`)).status, 200);
  });

  it("answers a body that is not UTF-8 with 400 instead of classifying replaced characters", async () => {
    const body = Buffer.concat([Buffer.from('{"inputs": "caf'), Buffer.from([0xe9]), Buffer.from('", "parameters": {"candidate_labels": ["A", "B"]}}')]);
    const response = await fetch(`${server.url}/invocations`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /not valid UTF-8/);
  });
});

describe("serve under abuse: Host check", () => {
  let server: InferenceServer;
  before(async () => {
    const classifier = new ZeroShotClassifier(await LocalNliModel.load(tinyBert()));
    server = await startInferenceServer({ classifier, port: 0, log: () => undefined, allowedHosts: ["models.internal"] });
  });
  after(() => server.close());

  const get = (path: string, host: string, method = "GET", body?: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: server.port, path, method, headers: { Host: host, "Content-Type": "application/json" } }, (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });

  it("answers loopback names and addresses, and the names the user allows", async () => {
    for (const host of ["localhost", `localhost:${server.port}`, `127.0.0.1:${server.port}`, "[::1]:8080", "models.internal:8080"]) {
      assert.equal((await get("/ping", host)).status, 200, host);
    }
  });

  it("refuses any other Host with 403 in the container's JSON error shape (DNS rebinding)", async () => {
    const answer = await get("/invocations", `attacker.example:${server.port}`, "POST", payload("x"));
    assert.equal(answer.status, 403);
    const error = JSON.parse(answer.body);
    assert.deepEqual([error.code, error.type], [403, "ForbiddenException"]);
    assert.match(error.message, /Host "attacker\.example:\d+" is not a name of this server.*--allow-host NAME/);
    assert.equal((await get("/ping", "127.0.0.1.nip.io")).status, 403);
  });

  it("refuses a foreign Host on the runtime API with an error the AWS SDK names", async () => {
    const answer = await get("/endpoints/zero-shot/invocations", "rebind.example", "POST", payload("x"));
    assert.equal(answer.status, 403);
    assert.equal(answer.headers["x-amzn-errortype"], "AccessDeniedException");
    assert.match(JSON.parse(answer.body).Message, /DNS rebinding/);
  });
});

describe("serve under abuse: a busy model, clients that hang up, model faults (model in a gated worker thread)", () => {
  let gate: WorkerGate;
  let scorer: WorkerNliScorer;
  let batcher: MicroBatchingScorer;
  let servers: { batching: InferenceServer; plain: InferenceServer };
  let local: ZeroShotClassifier;
  before(async () => {
    gate = new WorkerGate();
    scorer = await gate.start(tinyBert());
    batcher = new MicroBatchingScorer(scorer);
    local = new ZeroShotClassifier(await LocalNliModel.load(tinyBert()));
    servers = {
      batching: await startInferenceServer({ classifier: new ZeroShotClassifier(batcher), port: 0, log: () => undefined }),
      plain: await startInferenceServer({ classifier: new ZeroShotClassifier(scorer), port: 0, log: () => undefined }),
    };
  });
  after(async () => {
    gate.open();
    await Promise.all([servers.batching.close(), servers.plain.close()]);
    await scorer.dispose();
  });

  const invoke = (server: InferenceServer, body: string) => fetch(`${server.url}/invocations`, { method: "POST", headers: { "Content-Type": "application/json" }, body });

  it("answers /ping while the model is busy with a 5.9 MiB text: the invocation is still pending after every ping", async () => {
    const text = Array.from({ length: 6_000_000 / 6 }, (_, i) => `w${i % 9999}`.padEnd(6, " ")).join("").slice(0, 5.9 * 1024 * 1024 - 200);
    const body = payload(text, ["Health", "Finance", "Travel"]);
    assert.ok(Buffer.byteLength(body) < MAX_PAYLOAD_BYTES);
    gate.hold();
    const reached = gate.jobsReached;
    let answered = false;
    const invocation = invoke(servers.batching, body).then(async (response) => {
      answered = true;
      return { status: response.status, body: (await response.json()) as { sequence: string; labels: string[] } };
    });
    await gate.reached(reached + 1);
    for (let i = 0; i < 30; i++) {
      const response = await fetch(`${servers.batching.url}/ping`);
      assert.equal(response.status, 200);
    }
    // The model holds the invocation until the gate opens: 30 answers meanwhile mean the event loop is free (no time bound needed).
    assert.equal(answered, false, "every ping was answered while the model was still scoring");
    gate.open();
    const { status, body: result } = await invocation;
    assert.equal(status, 200);
    assert.equal(result.sequence.length, text.length);
    assert.deepEqual([...result.labels].sort(), ["Finance", "Health", "Travel"]);
  });

  for (const mode of ["batching", "plain"] as const) {
    it(`drops the queued work of a client that hung up: the model never scores its pairs (${mode === "batching" ? "micro-batching" : "no batching"})`, async () => {
      const server = servers[mode];
      gate.hold();
      const reached = gate.jobsReached;
      const pairsBefore = gate.pairsSeen;
      const holding = invoke(server, payload("the request that keeps the model busy", ["A", "B"]));
      await gate.reached(reached + 1);
      // A second client sends its request while the model is busy, then hangs up.
      const socket = await openSocket(server.port);
      const body = payload("a request whose client hung up", ["C", "D", "E"]);
      socket.write(`POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const queued = () => (mode === "batching" ? batcher.queuedPairs === 3 : scorer.queuedJobs === 1);
      await until(queued, "the hung-up request is queued");
      socket.destroy();
      await until(() => (mode === "batching" ? batcher.queuedPairs === 0 : scorer.queuedJobs === 0), "the hung-up request leaves the queue");
      gate.open();
      const response = await holding;
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), (await local.classify("the request that keeps the model busy", ["A", "B"]))[0]);
      // One more request runs after it, so anything still queued would have reached the model by now.
      assert.equal((await invoke(server, payload("after", ["A"]))).status, 200);
      assert.equal(gate.pairsSeen - pairsBefore, 2 + 1, "the 3 pairs of the hung-up request were never scored");
    });
  }

  it("answers a model fault with 500 (container) and ModelError with OriginalStatusCode 500 (runtime API), then keeps serving", async () => {
    const crash = await invoke(servers.plain, payload("CRASH_WORKER please"));
    assert.equal(crash.status, 500);
    const error = (await crash.json()) as { type: string; message: string };
    assert.equal(error.type, "InternalServerException");
    assert.match(error.message, /^the model failed on this request \(InferenceError\): the model's worker thread stopped \(exit code 3\).*the next request starts a new one/);
    const client = new SageMakerRuntimeClient({ endpoint: servers.plain.url, region: "us-east-1", credentials, maxAttempts: 1 });
    try {
      const sdkError = await client.send(new InvokeEndpointCommand({ EndpointName: "zero-shot", ContentType: "application/json", Body: new TextEncoder().encode(payload("CRASH_WORKER again")) })).then(
        () => assert.fail("the model crashed"),
        (caught: unknown) => caught as ModelError,
      );
      assert.ok(sdkError instanceof ModelError, String(sdkError));
      assert.equal(sdkError.OriginalStatusCode, 500);
      assert.match(JSON.parse(sdkError.OriginalMessage!).message, /worker thread stopped/);
      const output = await client.send(new InvokeEndpointCommand({ EndpointName: "zero-shot", ContentType: "application/json", Body: new TextEncoder().encode(payload("fine again")) }));
      assert.deepEqual(JSON.parse(new TextDecoder().decode(output.Body)), (await local.classify("fine again", ["Health", "Finance"]))[0]);
    } finally {
      client.destroy();
    }
  });

  it("bounds the bytes of requests it holds: past maxPendingBytes a request gets 503 (the SDK retries), not more memory", async () => {
    const bounded = await startInferenceServer({ classifier: new ZeroShotClassifier(batcher), port: 0, log: () => undefined, maxPendingBytes: 4096 });
    try {
      gate.hold();
      const reached = gate.jobsReached;
      const held = invoke(bounded, payload("a".repeat(3000)));
      await gate.reached(reached + 1);
      const refused = await invoke(bounded, payload("b".repeat(2000)));
      assert.equal(refused.status, 503);
      assert.match(((await refused.json()) as { message: string }).message, /holds 30\d\d bytes of requests being answered already: retry with backoff/);
      gate.open();
      assert.equal((await held).status, 200);
      assert.equal((await invoke(bounded, payload("b".repeat(2000)))).status, 200, "room again once the first is answered");
    } finally {
      gate.open();
      await bounded.close();
    }
  });

  it("answers a bad payload with 400, not blamed on the model", async () => {
    const response = await invoke(servers.batching, JSON.stringify({ inputs: "x", parameters: { candidate_labels: [] } }));
    assert.equal(response.status, 400);
  });
});

describe("serve under abuse: close() answers the connections it already accepted", () => {
  it("answers a request sent after close() on a connection opened before it, with Connection: close", async () => {
    const classifier = new ZeroShotClassifier(await LocalNliModel.load(tinyBert()));
    const server = await startInferenceServer({ classifier, port: 0, log: () => undefined, closeGraceMs: 5000 });
    const early = await openSocket(server.port);
    const idle = await openSocket(server.port);
    await until(() => server.connections === 2, "the server accepted both connections");
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await assert.rejects(openSocket(server.port), "no new connections");
    const body = payload("sent after close()");
    early.write(`POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const response = await readResponse(early);
    assert.equal(response.status, 200);
    assert.match(response.head, /\r\nConnection: close/i);
    assert.deepEqual(JSON.parse(response.body), (await classifier.classify("sent after close()", ["Health", "Finance"]))[0]);
    assert.equal(closed, false, "close() waits for the idle connection's grace");
    idle.destroy();
    await closing;
    await until(() => server.connections === 0, "every connection is closed");
  });

  it("ends a connection that sends nothing once the grace has passed", async () => {
    const classifier = new ZeroShotClassifier(await LocalNliModel.load(tinyBert()));
    const server = await startInferenceServer({ classifier, port: 0, log: () => undefined, closeGraceMs: 50 });
    const silent = await openSocket(server.port);
    await until(() => server.connections === 1, "the server accepted the connection");
    const ended = new Promise((resolve) => silent.once("end", resolve));
    await server.close();
    await ended;
    silent.destroy();
  });
});
