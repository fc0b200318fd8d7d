/**
 * The SageMaker inference-container contract for `POST /invocations`, without HTTP: a request body and
 * its headers in, a status, headers and JSON body out. The HTTP server, the runtime API
 * (`/endpoints/{name}/invocations`) and batch transform all answer through this one function, so they
 * give the same answers and the same errors.
 */
import type { ZeroShotClassifier } from "../classification/classifier";
import { InferenceError, InputError, ModelConfigError, ModelLoadError } from "../errors";

/** SageMaker's real-time payload limit: 6 MiB per request. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** One invocation as the container sees it. */
export interface InvocationRequest {
  body: Buffer;
  /** `Content-Type` header; absent means JSON. */
  contentType?: string;
  /** `Accept` header; absent means JSON. */
  accept?: string;
  /** `X-Amzn-SageMaker-Custom-Attributes`: opaque to the model, echoed back. */
  customAttributes?: string;
  /** Aborted when the client hangs up: its pairs still queued for the model are dropped. */
  signal?: AbortSignal;
}

/** What the container answers: the body is JSON text, also for errors. */
export interface InvocationResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The Hugging Face inference toolkit's error body: `{"code": 400, "type": "...", "message": "..."}`. */
export interface ContainerErrorBody {
  code: number;
  type: string;
  message: string;
}

export const JSON_CONTENT_TYPE = "application/json";
const UTF8 = new TextDecoder("utf-8", { fatal: true });
export const CUSTOM_ATTRIBUTES_HEADER = "X-Amzn-SageMaker-Custom-Attributes";

/** Error `type` per status, named like the toolkit's model server (MMS) names them. */
const ERROR_TYPES: Record<number, string> = {
  400: "BadRequestException",
  403: "ForbiddenException",
  404: "NotFoundException",
  405: "MethodNotAllowedException",
  406: "NotAcceptableException",
  413: "RequestEntityTooLargeException",
  415: "UnsupportedMediaTypeException",
  500: "InternalServerException",
  503: "ServiceUnavailableException",
};

/** A JSON error response in the toolkit's shape; the message goes to the client as is, so no stack traces. */
export function containerError(status: number, message: string, customAttributes?: string): InvocationResponse {
  const body: ContainerErrorBody = { code: status, type: ERROR_TYPES[status] ?? "InternalServerException", message };
  return { status, headers: responseHeaders(customAttributes), body: JSON.stringify(body) };
}

/**
 * Answers one `POST /invocations`: 200 with `{sequence, labels, scores}` (or a list of them), 400 for
 * malformed JSON or a bad payload, 406 for an `Accept` other than JSON, 413 over 6 MiB, 415 for a
 * content type other than JSON, 500 if the model fails. Never throws.
 */
export async function answerInvocation(classifier: ZeroShotClassifier, request: InvocationRequest): Promise<InvocationResponse> {
  const { customAttributes } = request;
  if (!isJsonMediaType(request.contentType)) {
    return containerError(
      415,
      `unsupported content type ${JSON.stringify(request.contentType)}: send the payload as JSON with ` +
        `Content-Type: application/json (with the AWS SDK: ContentType: "application/json")`,
      customAttributes,
    );
  }
  if (!acceptsJson(request.accept)) {
    return containerError(
      406,
      `cannot answer in ${JSON.stringify(request.accept)}: this model answers application/json only; ` +
        `send Accept: application/json (with the AWS SDK: Accept: "application/json") or leave it out`,
      customAttributes,
    );
  }
  if (request.body.length > MAX_PAYLOAD_BYTES) return payloadTooLarge(request.body.length, customAttributes);
  let text: string;
  try {
    text = UTF8.decode(request.body);
  } catch {
    return containerError(400, `the body is not valid UTF-8: send the JSON payload encoded as UTF-8 (a replaced character would change the text classified)`, customAttributes);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    const hint = request.body.length === 0 ? "the body is empty" : (error as Error).message;
    return containerError(
      400,
      `the body is not valid JSON (${hint}): send {"inputs": "text", "parameters": {"candidate_labels": ["A", "B"]}}`,
      customAttributes,
    );
  }
  try {
    const answer = await classifier.answer(payload, { signal: request.signal });
    return { status: 200, headers: responseHeaders(customAttributes), body: JSON.stringify(answer) };
  } catch (error) {
    // The caller's fault: 400. A fault of the model or its runtime: 500 (the runtime API wraps it in ModelError).
    if (error instanceof InputError) return containerError(400, error.message, customAttributes);
    if (error instanceof InferenceError || error instanceof ModelConfigError || error instanceof ModelLoadError) {
      return containerError(500, `the model failed on this request (${error.name}): ${error.message}`, customAttributes);
    }
    // Unexpected: say what failed, keep internals (stack, paths) out of the answer.
    const reason = error instanceof Error ? error.message : String(error);
    return containerError(500, `the server failed on this request: ${reason}; see the server's log, and report it if it repeats`, customAttributes);
  }
}

/** The 413 answer, shared with the HTTP layer, which refuses oversized bodies before reading them whole. */
export function payloadTooLarge(bytes: number | undefined, customAttributes?: string): InvocationResponse {
  const size = bytes === undefined ? "the body is" : `the body is ${bytes} bytes,`;
  return containerError(
    413,
    `${size} over the ${MAX_PAYLOAD_BYTES}-byte (6 MiB) limit of a real-time invocation: split the inputs into ` +
      `several requests, or use batch transform for large data sets`,
    customAttributes,
  );
}

function responseHeaders(customAttributes: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { "Content-Type": JSON_CONTENT_TYPE };
  if (customAttributes !== undefined) headers[CUSTOM_ATTRIBUTES_HEADER] = customAttributes;
  return headers;
}

/** `application/json`, with or without parameters such as `charset=utf-8`; absent counts as JSON. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === "") return true;
  const type = contentType.split(";")[0].trim().toLowerCase();
  return type === JSON_CONTENT_TYPE;
}

/** True when an `Accept` header allows JSON: absent, `application/json`, `application/*` or `*\/*` (q > 0). */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === "") return true;
  return accept.split(",").some((range) => {
    const [type, ...params] = range.split(";").map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith("q="));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return type === JSON_CONTENT_TYPE || type === "application/*" || type === "*/*";
  });
}
