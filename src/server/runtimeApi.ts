/**
 * The SageMaker runtime API that clients call, `POST /endpoints/{EndpointName}/invocations`, in front of
 * the container contract. It adds what the AWS runtime adds: the invoked variant header, the runtime's
 * own errors (`ValidationError` for an unknown endpoint) and the wrapping of every container failure in
 * `ModelError` (424) with `OriginalStatusCode` and `OriginalMessage`, so the unmodified AWS SDK raises
 * the same typed exceptions here as on AWS. Free of HTTP, so the SageMaker emulator can mount it too.
 */
import type { ZeroShotClassifier } from "../classification/classifier";
import { answerInvocation, JSON_CONTENT_TYPE, MAX_PAYLOAD_BYTES, type InvocationRequest, type InvocationResponse } from "./invocations";

/** The variant name SageMaker gives a single-variant endpoint. */
export const DEFAULT_VARIANT_NAME = "AllTraffic";
export const INVOKED_VARIANT_HEADER = "x-Amzn-Invoked-Production-Variant";

/** The runtime errors the SDK knows by name (its `x-amzn-errortype`), with their HTTP status. */
export type RuntimeErrorName = "ValidationError" | "ModelError" | "ServiceUnavailable" | "ModelNotReadyException" | "InternalFailure" | "AccessDeniedException";

const RUNTIME_INVOCATIONS_ROUTE = /^\/endpoints\/([^/]+)\/invocations\/?$/;

/** The endpoint name of a runtime-API invocation path, or `undefined` if the path is not one. */
export function matchRuntimeInvocationPath(pathname: string): string | undefined {
  const match = RUNTIME_INVOCATIONS_ROUTE.exec(pathname);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** A runtime error response the SDK turns into its typed exception (`ValidationError`, `ModelError` ...). */
export function runtimeError(
  name: RuntimeErrorName,
  status: number,
  message: string,
  extra: Record<string, string | number> = {},
): InvocationResponse {
  return {
    status,
    headers: { "Content-Type": JSON_CONTENT_TYPE, "x-amzn-errortype": name },
    body: JSON.stringify({ Message: message, ...extra }),
  };
}

/** How to answer an invocation of a named endpoint. */
export interface RuntimeInvocationOptions {
  /** Reported in `x-Amzn-Invoked-Production-Variant`. Default "AllTraffic". */
  variantName?: string;
  /** Shown in `ModelError.LogStreamArn`, where AWS points at CloudWatch; here, where the logs are. */
  logStreamArn?: string;
}

/**
 * Answers `POST /endpoints/{endpointName}/invocations` with the endpoint's classifier (`undefined`:
 * no such endpoint). Never throws.
 * @example
 * const response = await answerRuntimeInvocation(classifier, "zero-shot", { body, contentType: "application/json" });
 */
export async function answerRuntimeInvocation(
  classifier: ZeroShotClassifier | undefined,
  endpointName: string,
  request: InvocationRequest,
  options: RuntimeInvocationOptions = {},
): Promise<InvocationResponse> {
  if (!classifier) return endpointNotFound(endpointName);
  if (request.body.length > MAX_PAYLOAD_BYTES) return runtimePayloadTooLarge(request.body.length);
  const response = await answerInvocation(classifier, request);
  return fromContainerResponse(response, options);
}

/** What the runtime makes of a container's answer: 200 passes through, anything else becomes a ModelError. */
export function fromContainerResponse(response: InvocationResponse, options: RuntimeInvocationOptions = {}): InvocationResponse {
  const variant = options.variantName ?? DEFAULT_VARIANT_NAME;
  if (response.status >= 200 && response.status < 300) {
    return { ...response, headers: { ...response.headers, [INVOKED_VARIANT_HEADER]: variant } };
  }
  const side = response.status >= 500 ? "server" : "client";
  const error = runtimeError(
    "ModelError",
    424,
    `Received ${side} error (${response.status}) from primary with message "${response.body}". See the server's log for more information.`,
    {
      ErrorCode: response.status >= 500 ? "SERVER_ERROR_FROM_MODEL" : "CLIENT_ERROR_FROM_MODEL",
      OriginalStatusCode: response.status,
      OriginalMessage: response.body,
      LogStreamArn: options.logStreamArn ?? "local:zero-shot-serve/stderr",
    },
  );
  return { ...error, headers: { ...error.headers, [INVOKED_VARIANT_HEADER]: variant } };
}

/** The runtime's answer for an endpoint name it does not know. */
export function endpointNotFound(endpointName: string, known?: readonly string[]): InvocationResponse {
  const hint = known && known.length > 0 ? `: this server hosts ${known.map((name) => JSON.stringify(name)).join(", ")}` : "";
  return runtimeError("ValidationError", 400, `Endpoint ${endpointName} of account local not found${hint}. Check EndpointName.`);
}

/** The runtime refuses bodies over 6 MiB before any model sees them. */
export function runtimePayloadTooLarge(bytes?: number): InvocationResponse {
  const size = bytes === undefined ? "Request body" : `Request body of ${bytes} bytes`;
  return runtimeError(
    "ValidationError",
    413,
    `${size} is over the ${MAX_PAYLOAD_BYTES}-byte (6 MiB) limit of InvokeEndpoint: split the inputs into several requests, or use batch transform.`,
  );
}

/** The runtime's answer while an endpoint cannot take more work (the SDK retries it with backoff). */
export function serviceUnavailable(message: string): InvocationResponse {
  return runtimeError("ServiceUnavailable", 503, message);
}
