/**
 * Local mode: one HTTP server on 127.0.0.1 that speaks the SageMaker control plane (awsJson1_1,
 * `POST /` with `x-amz-target: SageMaker.<Operation>`), the SageMaker runtime
 * (`POST /endpoints/{name}/invocations`) and a path-style S3, so the unmodified
 * `@aws-sdk/client-sagemaker`, `-sagemaker-runtime` and `-s3` clients work against it: point their
 * `endpoint` here and give them any static credentials.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { LocalModelOptions } from "../backends/local/localNliModel";
import { MAX_PAYLOAD_BYTES } from "../server/invocations";
import { readBody } from "../io/requestBody";
import {
  answerRuntimeInvocation,
  endpointNotFound,
  matchRuntimeInvocationPath,
  runtimeError,
  runtimePayloadTooLarge,
} from "../server/runtimeApi";
import { awsJsonBody, errorResponse, SageMakerApiError } from "./apiErrors";
import { LocalControlPlane } from "./controlPlane";
import { ModelHost } from "./modelHost";
import { ObjectStore } from "./objectStore";
import { handleS3Request } from "./s3Api";

export interface LocalSageMakerOptions {
  /** Default 0: any free port (read it from the result). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where resources, S3 objects and job journals live; reuse it to resume jobs. Default `~/.cache/zero-shot-ts/local-sagemaker`. */
  dataDir?: string;
  /** How endpoints and jobs load models (offline, cache directory ...). */
  modelOptions?: LocalModelOptions;
  /** Receives the emulator's log lines (endpoint states, job progress). Default: none. */
  log?: (message: string) => void;
}

export interface LocalSageMaker {
  /** `http://127.0.0.1:PORT`: the `endpoint` for all three SDK clients. */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server; running transform jobs checkpoint and resume on the next start with the same dataDir. */
  close(): Promise<void>;
}

export function defaultLocalDataDir(): string {
  return process.env.ZERO_SHOT_LOCAL_SAGEMAKER_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "zero-shot-ts", "local-sagemaker");
}

/** The AWS service and region a request was signed for (SigV4 credential scope). */
function signedScope(req: IncomingMessage): { service?: string; region?: string } {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ""));
  return match ? { region: match[1], service: match[2] } : {};
}


function send(res: ServerResponse, response: { status: number; headers: Record<string, string>; body: string }): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}

/**
 * Starts the local SageMaker emulator; unfinished transform jobs in `dataDir` resume.
 * @example
 * const local = await startLocalSageMaker({ dataDir: ".local-sagemaker" });
 * const clients = sageMakerClients({ mode: "local", endpoint: local.url });
 */
export async function startLocalSageMaker(options: LocalSageMakerOptions = {}): Promise<LocalSageMaker> {
  const dataDir = resolve(options.dataDir ?? defaultLocalDataDir());
  mkdirSync(dataDir, { recursive: true });
  const log = options.log ?? (() => {});
  const objects = new ObjectStore(dataDir);
  const host = new ModelHost(objects, options.modelOptions);
  const controlPlane = new LocalControlPlane({ dataDir, objects, host, log });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader("x-amzn-RequestId", randomUUID());
    const url = new URL(req.url ?? "/", "http://localhost");
    const scope = signedScope(req);
    const target = req.headers["x-amz-target"];
    if (scope.service !== "s3" && req.method === "POST" && url.pathname === "/" && typeof target === "string") {
      return handleControlPlane(req, res, target, scope.region);
    }
    const endpointName = scope.service === "s3" ? undefined : matchRuntimeInvocationPath(url.pathname);
    if (endpointName !== undefined && req.method === "POST") return handleInvocation(req, res, endpointName);
    if (scope.service !== "s3" && url.pathname === "/ping") {
      res.statusCode = 200;
      return res.end("");
    }
    try {
      await handleS3Request(objects, req, res, url);
    } catch (error) {
      if (!res.headersSent) {
        res.statusCode = 400;
        res.setHeader("Content-Type", "application/xml");
        res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidRequest</Code><Message>${String((error as Error).message).replace(/[<>&]/g, "")}</Message></Error>`);
      } else res.destroy();
    }
  };

  const handleControlPlane = async (req: IncomingMessage, res: ServerResponse, target: string, region?: string) => {
    const operation = target.startsWith("SageMaker.") ? target.slice("SageMaker.".length) : target;
    try {
      const body = await readBody(req, 16 * 1024 * 1024);
      let input: Record<string, unknown>;
      try {
        input = body && body.length > 0 ? JSON.parse(body.toString("utf8")) : {};
      } catch {
        throw new SageMakerApiError("SerializationException", "the request body is not valid JSON");
      }
      const output = await controlPlane.call(operation, input, region);
      send(res, { status: 200, headers: { "Content-Type": "application/x-amz-json-1.1" }, body: awsJsonBody(output) });
    } catch (error) {
      const apiError =
        error instanceof SageMakerApiError ? error : new SageMakerApiError("InternalFailure", `local mode failed on ${operation}: ${(error as Error).message}`);
      send(res, errorResponse(apiError));
    }
  };

  const handleInvocation = async (req: IncomingMessage, res: ServerResponse, endpointName: string) => {
    const body = await readBody(req, MAX_PAYLOAD_BYTES);
    if (!body) return send(res, runtimePayloadTooLarge());
    const { classifier, status, variant } = await controlPlane.endpointClassifier(endpointName);
    if (!classifier) {
      if (!status) return send(res, endpointNotFound(endpointName));
      return send(res, runtimeError("ValidationError", 400, `Endpoint ${endpointName} is ${status}, not InService: wait for InService (DescribeEndpoint), or read its FailureReason`));
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(",") : value;
    };
    const response = await answerRuntimeInvocation(
      classifier,
      endpointName,
      { body, contentType: header("content-type"), accept: header("accept"), customAttributes: header("x-amzn-sagemaker-custom-attributes") },
      { variantName: variant, logStreamArn: `local-sagemaker:${dataDir}` },
    );
    send(res, response);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${(error as Error).message}`);
      if (!res.headersSent) send(res, errorResponse(new SageMakerApiError("InternalFailure", (error as Error).message)));
      else res.destroy();
    });
  });
  const hostName = options.host ?? "127.0.0.1";
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostName, () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  controlPlane.recover();
  return {
    url: `http://${hostName}:${port}`,
    port,
    dataDir,
    close: async () => {
      await controlPlane.close();
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}
