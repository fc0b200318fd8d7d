/**
 * Errors of the SageMaker control plane, shaped as the service sends them (awsJson1_1): HTTP 400, the
 * `x-amzn-errortype` header and a `{"__type", "message"}` body. The AWS SDK reads the type and raises
 * the matching exception (`ResourceNotFound`, `ResourceInUse`, or a `SageMakerServiceException` named
 * `ValidationException`), so code written against AWS catches the same errors here.
 */

/** The exception names SageMaker uses for the operations the emulator serves. */
export type SageMakerErrorType =
  | "ValidationException"
  | "ResourceNotFound"
  | "ResourceInUse"
  | "ResourceLimitExceeded"
  | "UnknownOperationException"
  | "SerializationException"
  | "InternalFailure"
  | "MissingAuthenticationTokenException"
  | "UnrecognizedClientException"
  | "InvalidSignatureException"
  | "AccessDeniedException"
  /** Application Auto Scaling's "no such scalable target / policy". */
  | "ObjectNotFoundException";

/** The status AWS sends with an error type, when it is not 400. */
const STATUS: Partial<Record<SageMakerErrorType, number>> = {
  InternalFailure: 500,
  MissingAuthenticationTokenException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  AccessDeniedException: 403,
};

/** A control-plane failure the server turns into SageMaker's error response. */
export class SageMakerApiError extends Error {
  constructor(
    readonly type: SageMakerErrorType,
    message: string,
    readonly status = STATUS[type] ?? 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** "Could not find endpoint "arn:..."." as SageMaker words a missing resource. */
export function notFound(kind: "model" | "endpoint" | "endpoint configuration", arn: string): SageMakerApiError {
  return new SageMakerApiError("ValidationException", `Could not find ${kind} "${arn}".`);
}

/** "Cannot create already existing endpoint "arn:..."." */
export function alreadyExists(kind: "model" | "endpoint" | "endpoint configuration", arn: string): SageMakerApiError {
  return new SageMakerApiError("ValidationException", `Cannot create already existing ${kind} "${arn}".`);
}

/** SageMaker's wording for a field that breaks its constraint. */
export function invalidField(field: string, value: unknown, constraint: string): SageMakerApiError {
  return new SageMakerApiError(
    "ValidationException",
    `1 validation error detected: Value ${JSON.stringify(value ?? null)} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** The body and headers of an error response. */
export function errorResponse(error: SageMakerApiError): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: error.status,
    headers: { "Content-Type": "application/x-amz-json-1.1", "x-amzn-errortype": error.type },
    body: JSON.stringify({ __type: error.type, message: error.message }),
  };
}

/**
 * A control-plane response body in awsJson1_1: timestamps (the SDK output types' `Date`s) are written as
 * epoch seconds, which is how the SDK's deserializers read them.
 */
export function awsJsonBody(output: object): string {
  return JSON.stringify(output, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });
}
