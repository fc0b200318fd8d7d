/** A local SageMaker emulator on a random 127.0.0.1 port with its own data directory, for tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LOCAL_CREDENTIALS } from "../../src/aws/localAccount";
import { amzDate, authorizationHeader, sha256Hex, type Credentials } from "../../src/aws/sigV4";
import { destroyClients, sageMakerClients, type SageMakerClients } from "../../src/workflow/clients";
import { startLocalSageMaker, type LocalSageMaker, type LocalSageMakerOptions } from "../../src/emulator/server";
import { tinyBert } from "./models";

export interface LocalSageMakerFixture {
  local: LocalSageMaker;
  clients: SageMakerClients;
  dataDir: string;
  logs: string[];
  stop(): Promise<void>;
}

/** The folder of the generated test models, which tests deploy by path (HF_MODEL_ID). */
export const testModelRoot = () => dirname(tinyBert());

export async function startLocalFixture(options: Partial<LocalSageMakerOptions> = {}): Promise<LocalSageMakerFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), "local-sagemaker-test-"));
  const logs: string[] = [];
  const local = await startLocalSageMaker({
    port: 0,
    dataDir,
    modelOptions: { offline: true },
    allowFiles: [testModelRoot()],
    log: (message) => logs.push(message),
    ...options,
  });
  const clients = sageMakerClients({ mode: "local", endpoint: local.url, credentials: local.credentials });
  const fixture: LocalSageMakerFixture = {
    local,
    clients,
    dataDir,
    logs,
    stop: async () => {
      destroyClients(fixture.clients);
      await fixture.local.close(); // the current one: a test may have restarted the emulator
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

export interface SignedRequest {
  method?: string;
  /** Path and query exactly as they go on the request line. */
  target?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** "sagemaker" (control plane and runtime) or "s3". */
  service?: string;
  region?: string;
  credentials?: Credentials;
}

/** fetch() with an AWS Signature V4 made by the project's signer, for requests an SDK client cannot express. */
export async function signedFetch(baseUrl: string, request: SignedRequest = {}): Promise<Response> {
  const { method = "POST", target = "/", body = "", service = "sagemaker", region = "us-east-1", credentials = LOCAL_CREDENTIALS } = request;
  const payload = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const headers: Record<string, string> = { host: new URL(baseUrl).host, "x-amz-date": amzDate(new Date()), ...request.headers };
  if (service === "s3") headers["x-amz-content-sha256"] ??= sha256Hex(payload);
  headers.authorization = authorizationHeader({ method, target, headers: Object.entries(headers), payloadHash: service === "s3" ? headers["x-amz-content-sha256"] : sha256Hex(payload) }, credentials, region, service);
  return fetch(`${baseUrl}${target}`, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : payload });
}

/** Progress callbacks that record what a person would have seen. */
export function recordProgress(): { seen: string[]; onProgress: (p: { resource: string; status: string }) => void } {
  const seen: string[] = [];
  return { seen, onProgress: ({ resource, status }) => seen.push(`${resource}: ${status}`) };
}
