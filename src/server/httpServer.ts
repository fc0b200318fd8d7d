/**
 * The HTTP side of `zero-shot serve`: SageMaker's container routes (`GET /ping`, `POST /invocations`,
 * `GET /execution-parameters`) and the runtime API (`POST /endpoints/{name}/invocations`) on one
 * node:http server. Bodies are capped while they stream in; `close()` stops accepting and lets the
 * requests in flight finish.
 */
import { MODEL_WARNING_HEADER } from "../models/generate/marker";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ZeroShotClassifier } from "../classification/classifier";
import { answerInvocation, containerError, CUSTOM_ATTRIBUTES_HEADER, MAX_PAYLOAD_BYTES, payloadTooLarge, type InvocationRequest, type InvocationResponse } from "./invocations";
import { readBody } from "../io/requestBody";
import { answerRuntimeInvocation, matchRuntimeInvocationPath, runtimePayloadTooLarge, serviceUnavailable, endpointNotFound } from "./runtimeApi";

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
  executionParameters?: Partial<ExecutionParameters>;
  /** How long `close()` waits for requests in flight before cutting connections (ms). Default 60000, SageMaker's model timeout. */
  drainTimeoutMs?: number;
  /** Sent as the `X-Zero-Shot-Model-Warning` header of every answer, e.g. a random test model's warning; the JSON body keeps its shape. */
  modelWarning?: string;
  /** Receives one line per failed request (never shown to clients). Default: stderr. */
  log?: (line: string) => void;
}

export interface InferenceServer {
  /** `http://host:port`: the `endpoint` to give the AWS SDK client. */
  url: string;
  port: number;
  /** Requests being answered right now. */
  readonly inFlight: number;
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
  const executionParameters = { ...DEFAULT_EXECUTION_PARAMETERS, ...options.executionParameters };
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  const server = createServer((request, response) => {
    inFlight += 1;
    response.on("close", () => {
      inFlight -= 1;
      if (closing) {
        server.closeIdleConnections();
        if (inFlight === 0) drained?.();
      }
    });
    if (closing) response.setHeader("Connection", "close");
    route(request, response).catch((error) => {
      log(`zero-shot serve: ${request.method} ${request.url} failed: ${(error as Error)?.stack ?? error}`);
      if (!response.headersSent) send(response, containerError(500, "the server failed to answer this request; see its log"));
      else response.destroy();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    const method = request.method ?? "GET";
    if (pathname === "/ping") {
      if (method !== "GET" && method !== "HEAD") return methodNotAllowed(request, response, "GET");
      response.writeHead(200, { "Content-Length": "0" }).end();
      return;
    }
    if (pathname === "/execution-parameters") {
      if (method !== "GET") return methodNotAllowed(request, response, "GET");
      send(response, { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(executionParameters) });
      return;
    }
    const endpointName = matchRuntimeInvocationPath(pathname);
    if (pathname !== "/invocations" && endpointName === undefined) {
      request.resume();
      send(
        response,
        containerError(404, `no route ${method} ${pathname}: this server answers GET /ping, POST /invocations, GET /execution-parameters and POST /endpoints/{name}/invocations`),
      );
      return;
    }
    if (method !== "POST") return methodNotAllowed(request, response, "POST");
    const runtime = endpointName !== undefined;
    const customAttributes = header(request, CUSTOM_ATTRIBUTES_HEADER);
    const endpointClassifier = runtime ? endpoints(endpointName) : undefined;
    if (runtime) {
      if (!endpointClassifier) {
        request.resume();
        return send(response, endpointNotFound(endpointName, options.endpointNames?.()));
      }
    }
    const tooLarge = (bytes?: number) => (runtime ? runtimePayloadTooLarge(bytes) : payloadTooLarge(bytes, customAttributes));
    const body = await readBody(request, MAX_PAYLOAD_BYTES);
    if (body === undefined) {
      const declared = Number(request.headers["content-length"]);
      return send(response, tooLarge(Number.isFinite(declared) ? declared : undefined), { close: true });
    }
    if (pendingInvocations >= maxPending) {
      const message = `the server is answering ${pendingInvocations} invocations already: retry with backoff (the AWS SDK does)`;
      return send(response, runtime ? serviceUnavailable(message) : containerError(503, message, customAttributes));
    }
    const invocation: InvocationRequest = {
      body,
      contentType: header(request, "content-type"),
      accept: header(request, "accept"),
      customAttributes,
    };
    pendingInvocations += 1;
    let answer: InvocationResponse;
    try {
      answer = runtime
        ? await answerRuntimeInvocation(endpointClassifier, endpointName, invocation)
        : await answerInvocation(options.classifier, invocation);
    } finally {
      pendingInvocations -= 1;
    }
    if (answer.status >= 500 || answer.body.includes('"ErrorCode":"SERVER_ERROR_FROM_MODEL"')) log(`zero-shot serve: ${method} ${pathname} answered ${answer.status}: ${answer.body}`);
    send(response, options.modelWarning ? { ...answer, headers: { ...answer.headers, [MODEL_WARNING_HEADER]: options.modelWarning } } : answer);
  }
  let pendingInvocations = 0;

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
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        const allDrained = new Promise<void>((done) => {
          drained = done;
          if (inFlight === 0) done();
        });
        const timeout = setTimeout(() => server.closeAllConnections(), options.drainTimeoutMs ?? 60_000);
        timeout.unref();
        server.close(() => {
          clearTimeout(timeout);
          resolve();
        });
        server.closeIdleConnections();
        void allDrained.then(() => server.closeIdleConnections());
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

function methodNotAllowed(request: IncomingMessage, response: ServerResponse, allowed: string): void {
  request.resume();
  const answer = containerError(405, `${request.method} is not allowed here: use ${allowed}`);
  send(response, { ...answer, headers: { ...answer.headers, Allow: allowed } });
}
