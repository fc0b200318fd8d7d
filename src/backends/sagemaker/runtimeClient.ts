/**
 * Real-time zero-shot calls through `@aws-sdk/client-sagemaker-runtime`: the same code against an AWS
 * endpoint and against `zero-shot serve`; only the client's configuration differs.
 */
import {
  InvokeEndpointCommand,
  ModelError,
  ModelNotReadyException,
  SageMakerRuntimeClient,
  ServiceUnavailable,
  ValidationError,
  type SageMakerRuntimeClientConfig,
} from "@aws-sdk/client-sagemaker-runtime";
import { parseZeroShotRequest, type ZeroShotRequest, type ZeroShotResult } from "../../payload";
import {
  EndpointError,
  EndpointModelError,
  EndpointNotFoundError,
  EndpointResponseError,
  EndpointUnavailableError,
  EndpointValidationError,
} from "./endpointErrors";
import { containerMessage } from "../../aws/sagemaker";

/** AWS advises a client socket timeout above the runtime's 60 s model timeout. */
export const ENDPOINT_SOCKET_TIMEOUT_MS = 70_000;
/** Attempts per call (1 + retries) for throttling, 503s and dropped connections. */
export const DEFAULT_MAX_ATTEMPTS = 4;

/**
 * A runtime client with the settings AWS recommends for real-time endpoints: a 70 s socket timeout and
 * the SDK's standard retry strategy (exponential backoff with jitter on throttling, 5xx and timeouts).
 * Anything in `config` wins, e.g. `endpoint: "http://127.0.0.1:8080"` and static credentials for a
 * local server.
 * @example
 * const local = createRuntimeClient({ endpoint: "http://127.0.0.1:8080", region: "us-east-1",
 *   credentials: { accessKeyId: "local", secretAccessKey: "local" } });
 * const onAws = createRuntimeClient({ region: "us-east-1" }); // credentials from the environment
 */
export function createRuntimeClient(config: SageMakerRuntimeClientConfig = {}): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    retryMode: "standard",
    requestHandler: {
      connectionTimeout: 10_000,
      socketTimeout: ENDPOINT_SOCKET_TIMEOUT_MS,
      requestTimeout: ENDPOINT_SOCKET_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    ...config,
  });
}

/** Per-call settings of `invokeZeroShotEndpoint`. */
export interface InvokeOptions {
  /** Sent as `X-Amzn-SageMaker-Custom-Attributes`. */
  customAttributes?: string;
  /** Production variant to call, on endpoints with several. */
  targetVariant?: string;
  abortSignal?: AbortSignal;
}

/**
 * Sends a JumpStart zero-shot request to a SageMaker endpoint: one result for a string `inputs`, a list
 * for a list. Failures are `EndpointError`s (`EndpointModelError`, `EndpointNotFoundError` ...).
 * @example
 * const result = await invokeZeroShotEndpoint(client, "jumpstart-zero-shot", {
 *   inputs: "I will run a marathon", parameters: { candidate_labels: ["Health", "Finance"] } });
 * result.labels[0]; // "Health"
 */
export async function invokeZeroShotEndpoint(
  client: SageMakerRuntimeClient,
  endpointName: string,
  request: ZeroShotRequest & { inputs: string },
  options?: InvokeOptions,
): Promise<ZeroShotResult>;
export async function invokeZeroShotEndpoint(
  client: SageMakerRuntimeClient,
  endpointName: string,
  request: ZeroShotRequest & { inputs: string[] },
  options?: InvokeOptions,
): Promise<ZeroShotResult[]>;
export async function invokeZeroShotEndpoint(
  client: SageMakerRuntimeClient,
  endpointName: string,
  request: ZeroShotRequest,
  options?: InvokeOptions,
): Promise<ZeroShotResult | ZeroShotResult[]>;
export async function invokeZeroShotEndpoint(
  client: SageMakerRuntimeClient,
  endpointName: string,
  request: ZeroShotRequest,
  options: InvokeOptions = {},
): Promise<ZeroShotResult | ZeroShotResult[]> {
  // Fail here, with the field named, rather than after a round trip.
  const normalized = parseZeroShotRequest(request);
  let output;
  try {
    output = await client.send(
      new InvokeEndpointCommand({
        EndpointName: endpointName,
        ContentType: "application/json",
        Accept: "application/json",
        Body: new TextEncoder().encode(JSON.stringify(request)),
        CustomAttributes: options.customAttributes,
        TargetVariant: options.targetVariant,
      }),
      { abortSignal: options.abortSignal },
    );
  } catch (error) {
    throw toEndpointError(endpointName, error);
  }
  const text = new TextDecoder().decode(output.Body);
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new EndpointResponseError(endpointName, `endpoint ${endpointName} answered with something other than JSON: ${text.slice(0, 200)}`);
  }
  const expected = normalized.single ? 1 : normalized.sequences.length;
  const results = Array.isArray(answer) && !normalized.single ? answer : [answer];
  if (results.length !== expected || !results.every(isZeroShotResult)) {
    throw new EndpointResponseError(
      endpointName,
      `endpoint ${endpointName} did not answer ${expected} {sequence, labels, scores} result(s) but ${text.slice(0, 200)}: ` +
        `is a zero-shot classification model deployed there?`,
    );
  }
  return normalized.single ? results[0] : results;
}

function isZeroShotResult(value: unknown): value is ZeroShotResult {
  const result = value as ZeroShotResult;
  return (
    typeof result === "object" &&
    result !== null &&
    typeof result.sequence === "string" &&
    Array.isArray(result.labels) &&
    Array.isArray(result.scores) &&
    result.labels.length === result.scores.length
  );
}

/** Maps the SDK's exceptions to ours, keeping the original as `cause`. */
export function toEndpointError(endpointName: string, error: unknown): EndpointError | unknown {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const sdkMessage = (error as Error)?.message ?? String(error);
  if (error instanceof ModelError) {
    const original = error.OriginalMessage === undefined ? undefined : containerMessage(error.OriginalMessage);
    const code = error.OriginalStatusCode;
    const what =
      code !== undefined && code < 500
        ? `endpoint ${endpointName} rejected the request (${code}): ${original ?? sdkMessage}`
        : `the model behind endpoint ${endpointName} failed (${code ?? "no status"}): ${original ?? sdkMessage}` +
          (error.LogStreamArn ? ` (its logs: ${error.LogStreamArn})` : "");
    return new EndpointModelError(endpointName, what, code, original, { cause: error });
  }
  if (error instanceof ValidationError) {
    if (/not found/i.test(sdkMessage)) {
      return new EndpointNotFoundError(
        endpointName,
        `${sdkMessage.replace(/\.?$/, "")}: check the endpoint name and the client's region (and endpoint, for a local server)`,
        { cause: error },
      );
    }
    return new EndpointValidationError(endpointName, `endpoint ${endpointName} refused the call: ${sdkMessage}`, status, { cause: error });
  }
  if (error instanceof ServiceUnavailable || error instanceof ModelNotReadyException || status === 429 || status === 503) {
    return new EndpointUnavailableError(
      endpointName,
      `endpoint ${endpointName} is busy or not ready (${status ?? "no status"}) even after retries: ${sdkMessage}; wait and try again, or scale the endpoint`,
      status,
      { cause: error },
    );
  }
  const code = (error as { code?: string; name?: string })?.code ?? (error as Error)?.name;
  if (code && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|TimeoutError|EPIPE|ENOTFOUND|EAI_AGAIN/.test(code)) {
    return new EndpointUnavailableError(
      endpointName,
      `could not reach endpoint ${endpointName} (${code}): ${sdkMessage}; is the server running, and is the client's endpoint/region right?`,
      undefined,
      { cause: error },
    );
  }
  return error;
}

