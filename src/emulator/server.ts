/**
 * Local mode: one HTTP server on 127.0.0.1 that speaks the SageMaker control plane (awsJson1_1,
 * `POST /` with `x-amz-target: SageMaker.<Operation>`), the SageMaker runtime
 * (`POST /endpoints/{name}/invocations`) and a path-style S3, so the unmodified
 * `@aws-sdk/client-sagemaker`, `-sagemaker-runtime` and `-s3` clients work against it: point their
 * `endpoint` here and give them the emulator's credentials (`local`/`local` by default).
 *
 * Every request must name this machine in `Host` and carry a valid AWS Signature V4; every bad request
 * gets a 4xx in the error shape of the API it called.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { delimiter, join, resolve } from "node:path";
import { defaultCacheDir, type LocalModelOptions } from "../backends/local/localNliModel";
import { servingWorkers, type WorkerScorerOptions } from "../backends/worker/workerNliScorer";
import { parseAuthorization, sha256Hex, verifySigV4, type Credentials, type SigV4Result } from "../aws/sigV4";
import { InputError, ZeroShotError } from "../errors";
import { readBoundedBody } from "../io/boundedBody";
import { containerError, isJsonMediaType, MAX_PAYLOAD_BYTES } from "../server/invocations";
import { answerRuntimeInvocation, endpointNotFound, fromContainerResponse, matchRuntimeInvocationPath, runtimeError, runtimePayloadTooLarge } from "../server/runtimeApi";
import { HostCheck, resolveCredentials } from "./access";
import { awsJsonBody, errorResponse, SageMakerApiError } from "./apiErrors";
import { LocalControlPlane } from "./controlPlane";
import { ModelHost, ModelHostError } from "./modelHost";
import { JumpStartModels } from "./jumpStartModels";
import { ObjectStore } from "./objectStore";
import { checkInputShape, parseJsonObject } from "./requestShape";
import { parseRequestTarget, type RequestTarget } from "./requestTarget";
import { handleS3Request, s3AuthError, sendS3Error } from "./s3Api";
import { userCacheDir } from "../io/cacheHome";

/** Folders model directories and file:// locations may name, when `allowFiles` is not given (separated like PATH). */
export const ALLOW_FILES_ENV = "ZERO_SHOT_LOCAL_SAGEMAKER_ALLOW_FILES";

/** Control-plane requests are small (a CreateModel is a few KiB); a bigger body is refused with 413, never run. */
export const CONTROL_PLANE_MAX_BODY_BYTES = 1024 * 1024;

export interface LocalSageMakerOptions {
  /** Default 0: any free port (read it from the result). */
  port?: number;
  /** Default 127.0.0.1. Any other address needs `credentials` (or the environment's). */
  host?: string;
  /** Where resources, S3 objects and job journals live; reuse it to resume jobs. Default `~/.cache/zero-shot-ts/local-sagemaker`. */
  dataDir?: string;
  /** How endpoints and jobs load models (offline, cache directory ...). */
  modelOptions?: LocalModelOptions;
  /**
   * What serves each JumpStart model id: a hub id or a model directory, e.g.
   * `{ "huggingface-zstc-facebook-bart-large-mnli": "models/tiny-bert-nli" }`. Default: the Hugging Face
   * model the bundled snapshot names as the id's source.
   */
  jumpStartModels?: Record<string, string>;
  /** Receives the emulator's log lines (endpoint states, job progress). Default: none. */
  log?: (message: string) => void;
  /**
   * The credentials requests must be signed with. Default: `ZERO_SHOT_LOCAL_SAGEMAKER_ACCESS_KEY_ID` /
   * `ZERO_SHOT_LOCAL_SAGEMAKER_SECRET_ACCESS_KEY`, else `local`/`local` (loopback addresses only).
   */
  credentials?: Credentials;
  /**
   * Folders that `file://` locations and model directories (`HF_MODEL_ID` as a path) may name, besides
   * the data directory, the model download cache and the generated test models (`npm run models`, test
   * models). Default: `ZERO_SHOT_LOCAL_SAGEMAKER_ALLOW_FILES` (separated like PATH), else none.
   */
  allowFiles?: readonly string[];
  /** More `Host` names that reach this server (besides loopback names and `host`), e.g. behind a proxy. */
  allowedHosts?: readonly string[];
  /**
   * How often a running transform job saves its progress (answers written and synced, journal updated), in
   * milliseconds; also every 512 records. Default 250. Lower loses less work to a crash and costs a disk
   * sync per checkpoint; 0 saves after every record.
   */
  transformCheckpointMs?: number;
  /**
   * The script each model's worker thread runs (default: the project's NLI worker) and data for its hooks: a
   * script that wraps `runNliWorker` (tests use one that holds the model busy on a gate they control).
   */
  modelWorker?: Pick<WorkerScorerOptions, "workerScript" | "hooks">;
  /**
   * Copies of each model that score requests side by side, as `zero-shot serve --workers N`: with N > 1,
   * N single-threaded copies plus one using every core for a request that finds them all idle (N+1
   * copies in memory). Default 1: one copy using every core.
   */
  modelWorkers?: number;
}

export interface LocalSageMaker {
  /** `http://127.0.0.1:PORT`: the `endpoint` for all three SDK clients. */
  url: string;
  port: number;
  dataDir: string;
  /** What the SDK clients sign with (pass them to `sageMakerClients({ mode: "local", credentials })`). */
  credentials: Credentials;
  /** Stops the server; running transform jobs checkpoint and resume on the next start with the same dataDir. */
  close(): Promise<void>;
}

export function defaultLocalDataDir(): string {
  return process.env.ZERO_SHOT_LOCAL_SAGEMAKER_DIR ?? userCacheDir("local-sagemaker");
}

type Route = "control-plane" | "runtime" | "ping" | "s3" | "unknown";

function send(res: ServerResponse, response: { status: number; headers: Record<string, string>; body: string }): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}

/** Most bytes of an over-limit body read and thrown away so the 413 reaches the client; past it the connection is cut. */
const DISCARD_BYTES = 32 * 1024 * 1024;

/**
 * A request body up to `limit` bytes, or `undefined` when it is larger (read and thrown away up to
 * DISCARD_BYTES so the refusal reaches the client; past that the answer closes the connection) or the
 * client went away.
 */
async function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | undefined> {
  const outcome = await readBoundedBody(req, { maxBytes: limit, discardBytes: Math.max(DISCARD_BYTES, limit) }, () => undefined);
  if (outcome.kind === "body") return outcome.body;
  if (outcome.kind === "tooLarge" && !outcome.drained) res.setHeader("Connection", "close");
  return undefined;
}

/** One header's value (repeated headers joined by commas). */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Node's `rawHeaders` as name/value pairs, in arrival order, for the signature check. */
function headerPairs(req: IncomingMessage): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  return pairs;
}

/** Which API a request is for: S3 by its signature's service, the others by method and path. */
function routeOf(req: IncomingMessage, target: RequestTarget): Route {
  const parsed = parseAuthorization(header(req, "authorization") ?? "");
  if (parsed?.scope.service === "s3") return "s3";
  if (req.method === "POST" && target.path === "/" && req.headers["x-amz-target"] !== undefined) return "control-plane";
  if (req.method === "POST" && matchRuntimeInvocationPath(target.path) !== undefined) return "runtime";
  if (target.path === "/ping" && (req.method === "GET" || req.method === "HEAD")) return "ping";
  // Signed for SageMaker but no SageMaker route: say so in SageMaker's shape, not S3's.
  return parsed && parsed.scope.service !== "s3" ? "unknown" : "s3";
}

/** A control-plane error answer for a failed signature check, as SageMaker words it. */
function controlPlaneAuthError(result: Exclude<SigV4Result, { ok: true }>): SageMakerApiError {
  switch (result.kind) {
    case "missing":
      return new SageMakerApiError("MissingAuthenticationTokenException", `Missing Authentication Token: ${result.message}`);
    case "unknown-key":
      return new SageMakerApiError("UnrecognizedClientException", `${result.message} (access key id ${JSON.stringify(result.accessKeyId)} is not local mode's)`);
    default:
      return new SageMakerApiError("InvalidSignatureException", result.message);
  }
}

/** The runtime API's answer (JSON `{message}` with `x-amzn-errortype`) for the same failures. */
function runtimeAuthError(result: Exclude<SigV4Result, { ok: true }>): { status: number; headers: Record<string, string>; body: string } {
  const error = controlPlaneAuthError(result);
  return { status: 403, headers: { "Content-Type": "application/json", "x-amzn-errortype": error.type }, body: JSON.stringify({ message: error.message }) };
}

/** What the control plane answers for an error thrown by a handler: caller errors are 400s, only our own faults 500. */
function controlPlaneError(error: unknown, operation: string): SageMakerApiError {
  if (error instanceof SageMakerApiError) return error;
  if (error instanceof InputError || error instanceof ModelHostError) return new SageMakerApiError("ValidationException", error.message);
  return new SageMakerApiError("InternalFailure", `local mode failed on ${operation}: ${error instanceof ZeroShotError ? error.message : "an internal error (see the emulator's log)"}`);
}

/**
 * Starts the local SageMaker emulator; unfinished transform jobs in `dataDir` resume.
 * @example
 * const local = await startLocalSageMaker({ dataDir: ".local-sagemaker" });
 * const clients = sageMakerClients({ mode: "local", endpoint: local.url });
 */
export async function startLocalSageMaker(options: LocalSageMakerOptions = {}): Promise<LocalSageMaker> {
  const hostName = options.host ?? "127.0.0.1";
  const workers = servingWorkers(options.modelWorkers ?? 1, "modelWorkers");
  const credentials = resolveCredentials(hostName, options.credentials);
  const secretFor = (accessKeyId: string) => (accessKeyId === credentials.accessKeyId ? credentials.secretAccessKey : undefined);
  const hosts = new HostCheck(hostName, options.allowedHosts);
  const dataDir = resolve(options.dataDir ?? defaultLocalDataDir());
  mkdirSync(dataDir, { recursive: true });
  const log = options.log ?? (() => {});
  const allowFiles = options.allowFiles ?? (process.env[ALLOW_FILES_ENV] ?? "").split(delimiter).filter((dir) => dir !== "");
  // Besides the data dir and the user's folders, the folders that hold only models: hub downloads and generated test models.
  const { DEFAULT_TEST_MODEL_ROOT } = await import("../models/generate/generate.js"); // loaded here, not with the module: it brings the ONNX writer
  const modelFolders = [options.modelOptions?.cacheDir ?? defaultCacheDir(), process.env.ZERO_SHOT_TEST_MODELS ?? DEFAULT_TEST_MODEL_ROOT];
  const objects = new ObjectStore(dataDir, [...modelFolders, ...allowFiles]);
  const jumpStart = new JumpStartModels(join(dataDir, "control-plane"), options.jumpStartModels);
  const host = new ModelHost(objects, options.modelOptions, (container) => jumpStart.modelFor(container), { ...options.modelWorker, ...workers });
  const controlPlane = new LocalControlPlane({ dataDir, objects, host, log, jumpStart, checkpointMs: options.transformCheckpointMs });

  const verify = (req: IncomingMessage, target: RequestTarget, payloadHash: string) =>
    verifySigV4({ method: req.method ?? "GET", target: target.raw, headers: headerPairs(req), payloadHash }, secretFor);
  /** A failure the headers alone show (unsigned, malformed, unknown key, stale), so the body of such a request is never read. */
  const headerFailure = (req: IncomingMessage, target: RequestTarget): Exclude<SigV4Result, { ok: true }> | undefined => {
    const result = verify(req, target, "");
    return !result.ok && result.kind !== "mismatch" ? result : undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader("x-amzn-RequestId", randomUUID());
    const target = parseRequestTarget(req.url ?? "");
    if (!target) {
      req.resume();
      return sendS3Error(res, req.method ?? "GET", 400, "InvalidURI", "Couldn't parse the specified URI: send a path such as /bucket/key", "");
    }
    const route = routeOf(req, target);
    if (!hosts.allows(req.headers.host)) {
      req.resume();
      const message = hosts.refusal(req.headers.host);
      if (route === "s3") return sendS3Error(res, req.method ?? "GET", 403, "AccessDenied", message, target.path);
      if (route === "runtime") return send(res, { status: 403, headers: { "Content-Type": "application/json", "x-amzn-errortype": "AccessDeniedException" }, body: JSON.stringify({ message }) });
      return send(res, errorResponse(new SageMakerApiError("AccessDeniedException", message)));
    }
    switch (route) {
      case "control-plane":
        return handleControlPlane(req, res, target);
      case "runtime":
        return handleInvocation(req, res, target);
      case "ping":
        req.resume();
        res.statusCode = 200;
        return res.end("");
      case "unknown":
        req.resume();
        return send(res, errorResponse(new SageMakerApiError("UnknownOperationException", `local mode serves no ${req.method} ${target.path}: SageMaker calls are POST / (control plane) and POST /endpoints/{name}/invocations (runtime)`, 404)));
      case "s3": {
        const declared = header(req, "x-amz-content-sha256");
        if (declared === undefined) {
          req.resume();
          const signed = header(req, "authorization") !== undefined;
          return signed
            ? sendS3Error(res, req.method ?? "GET", 400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256", target.path)
            : sendS3Error(res, req.method ?? "GET", 403, "AccessDenied", "Access Denied: sign the request (AWS Signature V4) with local mode's credentials", target.path);
        }
        const result = verify(req, target, declared);
        if (!result.ok) {
          req.resume();
          const error = s3AuthError(result);
          return sendS3Error(res, req.method ?? "GET", error.status, error.code, error.message, target.path);
        }
        return handleS3Request(objects, req, res, target);
      }
    }
  };

  const handleControlPlane = async (req: IncomingMessage, res: ServerResponse, target: RequestTarget) => {
    const targetHeader = header(req, "x-amz-target") ?? "";
    const operation = targetHeader.startsWith("SageMaker.") ? targetHeader.slice("SageMaker.".length) : targetHeader;
    try {
      const early = headerFailure(req, target);
      if (early) {
        req.resume();
        throw controlPlaneAuthError(early);
      }
      const body = await readBody(req, res, CONTROL_PLANE_MAX_BODY_BYTES);
      if (!body) {
        throw new SageMakerApiError("ValidationException", `the request body is over local mode's ${CONTROL_PLANE_MAX_BODY_BYTES}-byte limit for control-plane calls`, 413);
      }
      const verified = verify(req, target, sha256Hex(body));
      if (!verified.ok) throw controlPlaneAuthError(verified);
      const input = parseJsonObject(body);
      checkInputShape(operation, input);
      const output = await controlPlane.call(operation, input, verified.scope.region);
      send(res, { status: 200, headers: { "Content-Type": "application/x-amz-json-1.1" }, body: awsJsonBody(output) });
    } catch (error) {
      const apiError = controlPlaneError(error, operation);
      if (apiError.type === "InternalFailure") log(`${operation} failed: ${(error as Error).stack ?? String(error)}`);
      send(res, errorResponse(apiError));
    }
  };

  const handleInvocation = async (req: IncomingMessage, res: ServerResponse, target: RequestTarget) => {
    const endpointName = matchRuntimeInvocationPath(target.path) as string;
    const early = headerFailure(req, target);
    if (early) {
      req.resume();
      return send(res, runtimeAuthError(early));
    }
    const body = await readBody(req, res, MAX_PAYLOAD_BYTES);
    if (!body) return send(res, runtimePayloadTooLarge());
    const verified = verify(req, target, sha256Hex(body));
    if (!verified.ok) return send(res, runtimeAuthError(verified));
    try {
      const { classifier, status, variant } = await controlPlane.endpointClassifier(endpointName);
      if (!classifier) {
        if (!status) return send(res, endpointNotFound(endpointName));
        return send(res, runtimeError("ValidationError", 400, `Endpoint ${endpointName} is ${status}, not InService: wait for InService (DescribeEndpoint), or read its FailureReason`));
      }
      const contentType = header(req, "content-type");
      const customAttributes = header(req, "x-amzn-sagemaker-custom-attributes");
      const runtimeOptions = { variantName: variant, logStreamArn: `local-sagemaker:${dataDir}` };
      if (isJsonMediaType(contentType) && !isUtf8(body)) {
        // What the container answers for JSON that is not UTF-8; the runtime wraps it as ModelError.
        return send(res, fromContainerResponse(containerError(400, "the body is not valid UTF-8: send the JSON payload encoded as UTF-8", customAttributes), runtimeOptions));
      }
      const response = await answerRuntimeInvocation(
        classifier,
        endpointName,
        { body, contentType, accept: header(req, "accept"), customAttributes },
        runtimeOptions,
      );
      send(res, response);
    } catch (error) {
      // answerRuntimeInvocation never throws; anything here is the endpoint's model failing around it.
      if (error instanceof InputError) return send(res, runtimeError("ValidationError", 400, error.message));
      log(`invocation of ${endpointName} failed: ${(error as Error).stack ?? String(error)}`);
      const message = error instanceof ZeroShotError ? error.message : "the model failed on this request (see the emulator's log)";
      send(res, fromContainerResponse(containerError(500, message), { logStreamArn: `local-sagemaker:${dataDir}` }));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, errorResponse(new SageMakerApiError("InternalFailure", "local mode failed on this request (see the emulator's log)")));
      else res.destroy();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostName, () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  controlPlane.recover();
  const urlHost = hostName.includes(":") ? `[${hostName}]` : hostName;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    dataDir,
    credentials,
    close: async () => {
      await controlPlane.close();
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function isUtf8(body: Buffer): boolean {
  try {
    utf8.decode(body);
    return true;
  } catch {
    return false;
  }
}
