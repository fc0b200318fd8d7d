/**
 * The HTTP side of `zero-shot serve`: SageMaker's container routes (`GET /ping`, `POST /invocations`,
 * `GET /execution-parameters`) and the runtime API (`POST /endpoints/{name}/invocations`) on one
 * node:http server. It keeps the container contract under abuse: a refused body is drained before the
 * 413 so every client reads it (and one announced with `Expect: 100-continue` is refused before it is
 * sent), a foreign `Host` gets 403, the work of a client that hangs up is dropped, and `close()` answers
 * every request of the connections already accepted before it stops.
 */
import { MODEL_WARNING_HEADER } from "../models/generate/marker";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Server as NetServer, type AddressInfo, type Socket } from "node:net";
import type { ZeroShotClassifier } from "../classification/classifier";
import { readBoundedBody } from "../io/boundedBody";
import { isAllowedHost } from "./hostCheck";
import { answerInvocation, containerError, CUSTOM_ATTRIBUTES_HEADER, MAX_PAYLOAD_BYTES, payloadTooLarge, type InvocationRequest, type InvocationResponse } from "./invocations";
import { answerRuntimeInvocation, endpointNotFound, matchRuntimeInvocationPath, runtimeError, runtimePayloadTooLarge, serviceUnavailable } from "./runtimeApi";

/** What `GET /execution-parameters` tells batch transform. */
export interface ExecutionParameters {
  MaxConcurrentTransforms: number;
  BatchStrategy: "SINGLE_RECORD" | "MULTI_RECORD";
  MaxPayloadInMB: number;
}

export const DEFAULT_EXECUTION_PARAMETERS: ExecutionParameters = {
  // Concurrent records share forward passes through the micro-batcher.
  MaxConcurrentTransforms: 4,
  // A JSON payload per record: records cannot be concatenated into one body.
  BatchStrategy: "SINGLE_RECORD",
  MaxPayloadInMB: 6,
};

export interface InferenceServerOptions {
  /** Answers `POST /invocations`, and every endpoint name when `endpoints` is not given. */
  classifier: ZeroShotClassifier;
  /** Default 127.0.0.1: reachable from this machine only. */
  host?: string;
  /** Default 8080, SageMaker's container port; 0 picks a free port. */
  port?: number;
  /** The classifier of a runtime-API endpoint name; `undefined` answers `ValidationError`. Default: every name is `classifier`. */
  endpoints?: (name: string) => ZeroShotClassifier | undefined;
  /** Endpoint names listed in the `ValidationError` of an unknown name. */
  endpointNames?: () => readonly string[];
  /** Invocations being answered at once before new ones get 503 (the SDK retries those). Default 256. */
  maxPendingInvocations?: number;
  /** Request bytes held by invocations being answered before new ones get 503: bounds the server's memory. Default 256 MiB. */
  maxPendingBytes?: number;
  executionParameters?: Partial<ExecutionParameters>;
  /** How long `close()` waits for requests in flight before cutting connections (ms). Default 60000, SageMaker's model timeout. */
  drainTimeoutMs?: number;
  /** Sent as the `X-Zero-Shot-Model-Warning` header of every answer, e.g. a random test model's warning; the JSON body keeps its shape. */
  modelWarning?: string;
  /** Receives one line per failed request (never shown to clients). Default: stderr. */
  log?: (line: string) => void;
  /** Host names answered besides loopback names and `host` (`--allow-host`); others get 403. */
  allowedHosts?: readonly string[];
  /** Most bytes of an over-limit body read and thrown away so its 413 reaches the client; past this the connection is cut. Default 32 MiB. */
  discardLimitBytes?: number;
  /** After `close()`, how long a connection accepted before it may still send its request (ms). Default 2000. */
  closeGraceMs?: number;
}

export interface InferenceServer {
  /** `http://host:port`: the `endpoint` to give the AWS SDK client. */
  url: string;
  port: number;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /** Open client connections (accepted and not yet closed). */
  readonly connections: number;
  /** Stops accepting connections and resolves once every request in flight is answered. */
  close(): Promise<void>;
}

/**
 * Starts the server; resolves once it listens.
 * @example
 * const server = await startInferenceServer({ classifier, port: 0 });
 * const client = new SageMakerRuntimeClient({ endpoint: server.url, region: "us-east-1", credentials });
 */
export async function startInferenceServer(options: InferenceServerOptions): Promise<InferenceServer> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const endpoints = options.endpoints ?? (() => options.classifier);
  const maxPending = options.maxPendingInvocations ?? 256;
  const discardLimit = Math.max(options.discardLimitBytes ?? 32 * 1024 * 1024, MAX_PAYLOAD_BYTES);
  const executionParameters = { ...DEFAULT_EXECUTION_PARAMETERS, ...options.executionParameters };
  const hostPolicy = { listenHost: host, allowedHosts: options.allowedHosts };
  let inFlight = 0;
  let pendingInvocations = 0;
  let pendingBytes = 0;
  const maxPendingBytes = options.maxPendingBytes ?? 256 * 1024 * 1024;
  let closing = false;
  /** Every open connection, with the number of requests it is being answered for. */
  const sockets = new Map<Socket, number>();
  /** Answers not written yet: on `close()` they get `Connection: close`. */
  const unanswered = new Set<ServerResponse>();

  const server = createServer();
  server.on("connection", (socket: Socket) => {
    sockets.set(socket, 0);
    socket.once("close", () => sockets.delete(socket));
    if (closing) scheduleGraceClose(socket);
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => handle(request, response, false));
  // With this listener node leaves `100 Continue` to us: sent only for a body that may be accepted.
  server.on("checkContinue", (request: IncomingMessage, response: ServerResponse) => handle(request, response, true));

  function handle(request: IncomingMessage, response: ServerResponse, awaitingContinue: boolean): void {
    inFlight += 1;
    const socket = request.socket;
    sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
    unanswered.add(response);
    response.once("close", () => {
      inFlight -= 1;
      unanswered.delete(response);
      if (!sockets.has(socket)) return;
      const active = Math.max(0, (sockets.get(socket) ?? 1) - 1);
      sockets.set(socket, active);
      // Kept alive by an answer that went out before close(): give it the same grace as the others.
      if (closing && active === 0 && !socket.destroyed) scheduleGraceClose(socket);
    });
    if (closing) response.setHeader("Connection", "close");
    route(request, response, awaitingContinue).catch((error) => {
      log(`zero-shot serve: ${request.method} ${request.url} failed: ${(error as Error)?.stack ?? error}`);
      if (!response.headersSent) send(response, containerError(500, "the server failed to answer this request; see its log"), { close: true });
      else response.destroy();
    });
  }

  /**
   * Answers without using the body. A body being sent is read and thrown away (the connection stays
   * usable); one announced with `Expect: 100-continue` is never asked for, so that connection closes.
   */
  function answerEarly(request: IncomingMessage, response: ServerResponse, answer: InvocationResponse, awaitingContinue: boolean): void {
    if (!awaitingContinue) request.resume();
    send(response, answer, { close: awaitingContinue });
  }

  async function route(request: IncomingMessage, response: ServerResponse, awaitingContinue: boolean): Promise<void> {
    const method = request.method ?? "GET";
    let pathname: string;
    try {
      pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    } catch {
      return answerEarly(request, response, containerError(400, `the request target ${JSON.stringify(request.url)} is not a path: use /ping or /invocations`), awaitingContinue);
    }
    const endpointName = matchRuntimeInvocationPath(pathname);
    const runtime = endpointName !== undefined;
    if (!isAllowedHost(header(request, "host"), hostPolicy)) {
      const message =
        `Host ${JSON.stringify(header(request, "host"))} is not a name of this server: it answers localhost, loopback addresses and ${host} ` +
        `(a foreign Host is how a web page reaches a local server through DNS rebinding); to allow a name, start it with --allow-host NAME`;
      return answerEarly(request, response, runtime ? runtimeError("AccessDeniedException", 403, message) : containerError(403, message), awaitingContinue);
    }
    if (pathname === "/ping") {
      if (method !== "GET" && method !== "HEAD") return methodNotAllowed(request, response, "GET, HEAD", awaitingContinue);
      request.resume();
      response.writeHead(200, { "Content-Length": "0" }).end();
      return;
    }
    if (pathname === "/execution-parameters") {
      if (method !== "GET") return methodNotAllowed(request, response, "GET", awaitingContinue);
      request.resume();
      send(response, { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(executionParameters) });
      return;
    }
    if (pathname !== "/invocations" && !runtime) {
      const message = `no route ${method} ${pathname}: this server answers GET /ping, POST /invocations, GET /execution-parameters and POST /endpoints/{name}/invocations`;
      return answerEarly(request, response, containerError(404, message), awaitingContinue);
    }
    if (method !== "POST") return methodNotAllowed(request, response, "POST", awaitingContinue);
    const customAttributes = header(request, CUSTOM_ATTRIBUTES_HEADER);
    const endpointClassifier = runtime ? endpoints(endpointName) : undefined;
    if (runtime && !endpointClassifier) return answerEarly(request, response, endpointNotFound(endpointName, options.endpointNames?.()), awaitingContinue);
    if (pendingInvocations >= maxPending) {
      const message = `the server is answering ${pendingInvocations} invocations already: retry with backoff (the AWS SDK does)`;
      return answerEarly(request, response, runtime ? serviceUnavailable(message) : containerError(503, message, customAttributes), awaitingContinue);
    }

    const outcome = await readBoundedBody(request, { maxBytes: MAX_PAYLOAD_BYTES, discardBytes: discardLimit, awaitingContinue }, () => response.writeContinue());
    if (outcome.kind === "gone") return;
    if (outcome.kind === "tooLarge") {
      send(response, runtime ? runtimePayloadTooLarge(outcome.bytes) : payloadTooLarge(outcome.bytes, customAttributes), { close: true });
      return;
    }
    if (pendingBytes + outcome.body.length > maxPendingBytes) {
      const message = `the server holds ${pendingBytes} bytes of requests being answered already: retry with backoff (the AWS SDK does)`;
      send(response, runtime ? serviceUnavailable(message) : containerError(503, message, customAttributes));
      return;
    }
    // Dropped from the model's queue if the client hangs up before its answer is sent.
    const abandoned = new AbortController();
    response.once("close", () => {
      if (!response.writableFinished) abandoned.abort();
    });
    const invocation: InvocationRequest = {
      body: outcome.body,
      contentType: header(request, "content-type"),
      accept: header(request, "accept"),
      customAttributes,
      signal: abandoned.signal,
    };
    pendingInvocations += 1;
    pendingBytes += outcome.body.length;
    let answer: InvocationResponse;
    try {
      answer = runtime ? await answerRuntimeInvocation(endpointClassifier, endpointName, invocation) : await answerInvocation(options.classifier, invocation);
    } finally {
      pendingInvocations -= 1;
      pendingBytes -= outcome.body.length;
    }
    if (abandoned.signal.aborted) return; // nobody to answer
    if (answer.status >= 500 || answer.body.includes('"ErrorCode":"SERVER_ERROR_FROM_MODEL"')) log(`zero-shot serve: ${method} ${pathname} answered ${answer.status}: ${answer.body}`);
    send(response, options.modelWarning ? { ...answer, headers: { ...answer.headers, [MODEL_WARNING_HEADER]: options.modelWarning } } : answer);
  }

  function methodNotAllowed(request: IncomingMessage, response: ServerResponse, allowed: string, awaitingContinue: boolean): void {
    const answer = containerError(405, `${request.method} is not allowed here: use ${allowed}`);
    answerEarly(request, response, { ...answer, headers: { ...answer.headers, Allow: allowed } }, awaitingContinue);
  }

  /** After `close()`: a connection with nothing to answer gets `closeGraceMs` to send its request, then is ended. */
  function scheduleGraceClose(socket: Socket): void {
    const timer = setTimeout(() => {
      if ((sockets.get(socket) ?? 0) === 0) socket.end();
    }, options.closeGraceMs ?? 2000);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // A client that stops sending must not hold a connection (and a drain) forever.
  server.headersTimeout = 60_000;
  server.requestTimeout = 120_000;
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    get inFlight() {
      return inFlight;
    },
    get connections() {
      return sockets.size;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        // Stop accepting, but keep the connections already accepted: node's http close() would cut
        // the idle ones, and a request their client is about to send would be reset.
        NetServer.prototype.close.call(server, () => {
          clearTimeout(timeout);
          resolve();
        });
        for (const [socket, active] of sockets) {
          if (active === 0) scheduleGraceClose(socket);
        }
        // Answers still to be written close their connection after them.
        for (const response of unanswered) if (!response.headersSent) response.setHeader("Connection", "close");
        const timeout = setTimeout(() => {
          for (const socket of sockets.keys()) socket.destroy();
        }, options.drainTimeoutMs ?? 60_000);
        timeout.unref();
      });
      return closed;
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

function send(response: ServerResponse, answer: InvocationResponse, options: { close?: boolean } = {}): void {
  const headers: Record<string, string> = { ...answer.headers, "Content-Length": String(Buffer.byteLength(answer.body)) };
  if (options.close) headers.Connection = "close";
  response.writeHead(answer.status, headers).end(answer.body);
}
