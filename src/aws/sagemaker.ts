/**
 * Facts about SageMaker shared by the workflow, the emulator, `serve` and the runtime client, written
 * once so that they cannot drift apart.
 */

/** The Hugging Face inference toolkit's task name for zero-shot classification (`HF_TASK`). */
export const HF_ZERO_SHOT_TASK = "zero-shot-classification";

/** The production variant every deployment of the project creates and every endpoint reports. */
export const DEFAULT_VARIANT_NAME = "AllTraffic";

/** SageMaker's limit on one real-time invocation's body (InvokeEndpoint, a container's /invocations): 6 MiB. */
export const INVOCATION_MAX_BYTES = 6 * 1024 * 1024;

/**
 * How much text the endpoint classifier packs into one request: under `INVOCATION_MAX_BYTES`, leaving
 * room for the JSON envelope and the labels.
 */
export const ENDPOINT_REQUEST_TEXT_BUDGET_BYTES = 5.5 * 1024 * 1024;

/** A transform job's `MaxPayloadInMB` when the request names none (SageMaker's default). */
export const TRANSFORM_DEFAULT_MAX_PAYLOAD_MB = 6;

/** `YYYYMMDDHHMMSSmmm` in UTC: a resource-name suffix, to the millisecond so that names made in a loop differ. */
export function nameTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/[-:T.Z]/g, "").slice(0, 17);
}

/** The `message` of a container's `{"code", "type", "message"}` error body, else the body itself (cut to `limit`). */
export function containerMessage(body: string, limit = Infinity): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown } | null;
    if (typeof parsed?.message === "string") return parsed.message;
  } catch {
    // not JSON: show it as it is
  }
  return body.slice(0, limit);
}
