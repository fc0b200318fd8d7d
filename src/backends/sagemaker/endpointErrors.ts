/**
 * Typed failures of a SageMaker real-time endpoint call, the same against AWS and against
 * `zero-shot serve`. Each keeps the AWS SDK's exception as `cause`, and says what to do.
 */
import { ZeroShotError } from "../../errors";

/** Common fields of every endpoint failure. */
export class EndpointError extends ZeroShotError {
  constructor(
    code: string,
    readonly endpointName: string,
    message: string,
    /** HTTP status the runtime answered, when it answered. */
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** No endpoint of that name in this account and region (the runtime's `ValidationError` "not found"). */
export class EndpointNotFoundError extends EndpointError {
  constructor(endpointName: string, message: string, options?: { cause?: unknown }) {
    super("endpoint_not_found", endpointName, message, 400, options);
  }
}

/** The runtime refused the call itself (`ValidationError`): payload over 6 MiB, a bad argument. */
export class EndpointValidationError extends EndpointError {
  constructor(endpointName: string, message: string, statusCode: number | undefined, options?: { cause?: unknown }) {
    super("endpoint_validation", endpointName, message, statusCode, options);
  }
}

/**
 * The model container answered with an error (`ModelError`): `originalStatusCode` 4xx means the request
 * was wrong (the message says how), 5xx that the model failed.
 */
export class EndpointModelError extends EndpointError {
  constructor(
    endpointName: string,
    message: string,
    /** The container's own status (400 bad payload, 415, 500 model failure ...). */
    readonly originalStatusCode: number | undefined,
    /** The container's error message, from its `{"code", "type", "message"}` body when it sent one. */
    readonly originalMessage: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(originalStatusCode !== undefined && originalStatusCode < 500 ? "endpoint_rejected_request" : "endpoint_model_failed", endpointName, message, 424, options);
  }
}

/** The endpoint could not take the call, even after the SDK's retries: throttled, 503, not ready, timed out, unreachable. */
export class EndpointUnavailableError extends EndpointError {
  constructor(endpointName: string, message: string, statusCode: number | undefined, options?: { cause?: unknown }) {
    super("endpoint_unavailable", endpointName, message, statusCode, options);
  }
}

/** The endpoint answered 200, but not with zero-shot results (another model behind the endpoint?). */
export class EndpointResponseError extends EndpointError {
  constructor(endpointName: string, message: string) {
    super("endpoint_bad_response", endpointName, message, 200);
  }
}
