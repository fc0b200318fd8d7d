/**
 * readBoundedBody on a real HTTP server on 127.0.0.1, with raw node:http clients so each test controls
 * Content-Length, chunking and `Expect: 100-continue`: a body within the limit arrives whole; an
 * over-limit body is drained (so the client reads the 413) up to the discard bound and cut beyond it; an
 * over-limit body announced with 100-continue is refused before it is sent.
 */
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { declaredLength, readBoundedBody, type BodyOutcome } from "../../src/io/boundedBody";

const LIMITS = { maxBytes: 1000, discardBytes: 4000 };

interface Seen {
  outcome: BodyOutcome;
  declared: number | undefined;
  continued: boolean;
}

describe("readBoundedBody", () => {
  let server: Server;
  let port: number;
  /** The server side of the next request, resolved when readBoundedBody settles. */
  let nextSeen: (seen: Seen) => void = () => {};
  /** Resolved when the server has the next request's headers. */
  let nextArrived: () => void = () => {};

  const handle = (request: IncomingMessage, response: ServerResponse, awaitingContinue: boolean) => {
    nextArrived();
    let continued = false;
    const declared = declaredLength(request);
    void readBoundedBody(request, { ...LIMITS, awaitingContinue }, () => {
      continued = true;
      response.writeContinue();
    }).then((outcome) => {
      nextSeen({ outcome, declared, continued });
      if (outcome.kind === "gone") return;
      if (outcome.kind === "body") {
        response.writeHead(200).end(`got ${outcome.body.toString("latin1")}`);
        return;
      }
      response.writeHead(413, outcome.drained ? {} : { connection: "close" }).end("payload too large");
      if (!outcome.drained) response.on("finish", () => request.socket.destroy());
    });
  };

  before(async () => {
    server = createServer((request, response) => handle(request, response, false));
    server.on("checkContinue", (request, response) => handle(request, response, true));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Arms the server for one request; returns the promises of its arrival and its outcome. */
  const expectRequest = () => {
    const arrived = new Promise<void>((resolve) => (nextArrived = resolve));
    const seen = new Promise<Seen>((resolve) => (nextSeen = resolve));
    return { arrived, seen };
  };

  const open = (headers: Record<string, string | number>): { request: ClientRequest; answer: Promise<{ status: number; text: string }> } => {
    const request = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/invocations", headers: { connection: "close", ...headers } });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode!, text: Buffer.concat(chunks).toString() }));
      });
      request.on("error", reject);
    });
    answer.catch(() => {}); // a test that cuts the connection does not await the answer
    return { request, answer };
  };

  it("gives the whole body when it is within the limit, with or without a Content-Length", async () => {
    const body = "x".repeat(LIMITS.maxBytes);
    let server = expectRequest();
    let client = open({ "content-length": body.length });
    client.request.end(body);
    assert.deepEqual(await client.answer, { status: 200, text: `got ${body}` });
    assert.equal((await server.seen).declared, LIMITS.maxBytes);

    server = expectRequest();
    client = open({ "transfer-encoding": "chunked" });
    client.request.write("héllo ");
    client.request.end("wörld");
    assert.equal((await client.answer).status, 200);
    const seen = await server.seen;
    assert.equal(seen.declared, undefined);
    assert.equal(seen.outcome.kind === "body" && seen.outcome.body.toString("utf8"), "héllo wörld");
  });

  it("reads an over-limit body within the discard bound to its end, so the client gets the 413", async () => {
    const server = expectRequest();
    const client = open({ "content-length": 3000 });
    client.request.end(Buffer.alloc(3000, 1));
    assert.deepEqual(await client.answer, { status: 413, text: "payload too large" });
    assert.deepEqual((await server.seen).outcome, { kind: "tooLarge", bytes: 3000, drained: true });
  });

  it("counts an over-limit chunked body and reports its size once drained", async () => {
    const server = expectRequest();
    const client = open({ "transfer-encoding": "chunked" });
    for (let i = 0; i < 5; i++) client.request.write(Buffer.alloc(500, 2));
    client.request.end();
    assert.equal((await client.answer).status, 413);
    assert.deepEqual((await server.seen).outcome, { kind: "tooLarge", bytes: 2500, drained: true });
  });

  it("stops at once when the declared length passes the discard bound, and says the connection must be cut", async () => {
    const server = expectRequest();
    const client = open({ "content-length": 1_000_000 });
    client.request.on("error", () => {}); // the server cuts the connection: a reset is expected here
    client.request.flushHeaders();
    assert.deepEqual((await server.seen).outcome, { kind: "tooLarge", bytes: 1_000_000, drained: false });
    client.request.destroy();
  });

  it("stops reading a chunked body once it passes the discard bound", async () => {
    const server = expectRequest();
    const client = open({ "transfer-encoding": "chunked" });
    client.request.on("error", () => {});
    client.request.write(Buffer.alloc(LIMITS.discardBytes + 1, 3));
    assert.deepEqual((await server.seen).outcome, { kind: "tooLarge", bytes: undefined, drained: false });
    client.request.destroy();
  });

  it("refuses an over-limit body announced with Expect: 100-continue before the client sends it", async () => {
    const server = expectRequest();
    const client = open({ "content-length": 5000, expect: "100-continue" });
    let sent = false;
    client.request.on("continue", () => {
      sent = true;
      client.request.end(Buffer.alloc(5000));
    });
    client.request.flushHeaders();
    assert.equal((await client.answer).status, 413);
    const seen = await server.seen;
    assert.deepEqual(seen.outcome, { kind: "tooLarge", bytes: 5000, drained: true });
    assert.equal(seen.continued, false);
    assert.equal(sent, false, "the client was never told to send");
  });

  it("sends 100 Continue for an acceptable body and then reads it", async () => {
    const server = expectRequest();
    const client = open({ "content-length": 4, expect: "100-continue" });
    client.request.on("continue", () => client.request.end("ping"));
    client.request.flushHeaders();
    assert.deepEqual(await client.answer, { status: 200, text: "got ping" });
    assert.equal((await server.seen).continued, true);
  });

  it("reports a client that goes away mid-body as gone", async () => {
    const server = expectRequest();
    const client = open({ "content-length": 500 });
    client.request.on("error", () => {});
    client.request.write(Buffer.alloc(100, 4));
    await server.arrived;
    client.request.destroy();
    assert.deepEqual((await server.seen).outcome, { kind: "gone" });
  });
});
