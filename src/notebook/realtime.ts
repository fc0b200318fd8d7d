/**
 * Notebook 03's helpers around real-time calls: an answer as a table, call latency, a request sent as
 * raw bytes (to show what the endpoint does with a bad one), and a failure laid out field by field.
 */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { toEndpointError } from "../backends/sagemaker/runtimeClient";
import type { ZeroShotResult } from "../payload/types";
import { htmlTable } from "./htmlTable";
import { InputError } from "../errors";

/** One `{sequence, labels, scores}` answer as a table, best label first. */
export function resultTable(result: ZeroShotResult): string {
  return htmlTable(["rank", "label", "score"], result.labels.map((label, index) => [String(index + 1), label, result.scores[index]]), { caption: result.sequence });
}

/** Wall-clock times of repeated calls, in milliseconds. */
export interface LatencySummary {
  calls: number;
  /** Each call's time, in call order. */
  millis: number[];
  p50: number;
  p90: number;
  min: number;
  max: number;
}

/** The `q`-quantile (0..1) of `values`, by the nearest-rank method. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Calls `call` `calls` times, one after another, and times each.
 * @example const latency = await measureLatency(() => invokeZeroShotEndpoint(client, name, request), 10);
 */
export async function measureLatency(call: () => Promise<unknown>, calls = 5): Promise<LatencySummary> {
  const millis: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call();
    millis.push(Math.round((performance.now() - started) * 10) / 10);
  }
  return { calls, millis, p50: quantile(millis, 0.5), p90: quantile(millis, 0.9), min: Math.min(...millis), max: Math.max(...millis) };
}

/**
 * Sends `body` to the endpoint exactly as given, without the client-side check `invokeZeroShotEndpoint`
 * does, so a notebook can show what the endpoint itself answers to a bad request. Failures are the same
 * typed `EndpointError`s.
 */
export async function invokeWithRawBody(client: SageMakerRuntimeClient, endpointName: string, body: string, contentType = "application/json"): Promise<unknown> {
  try {
    const output = await client.send(new InvokeEndpointCommand({ EndpointName: endpointName, ContentType: contentType, Accept: "application/json", Body: new TextEncoder().encode(body) }));
    return JSON.parse(new TextDecoder().decode(output.Body));
  } catch (error) {
    throw toEndpointError(endpointName, error);
  }
}

/** What a failed call threw, as plain fields a reader can scan. */
export interface FailureFields {
  type: string;
  code?: string;
  statusCode?: number;
  originalStatusCode?: number;
  message: string;
}

/**
 * Runs `action`, expecting it to fail, and returns the error's type, code, statuses and message.
 * Throws when the action succeeds, so a notebook cell that should show an error cannot silently pass.
 */
export async function failureOf(action: () => Promise<unknown>): Promise<FailureFields> {
  try {
    await action();
  } catch (error) {
    const e = error as Error & { code?: unknown; statusCode?: unknown; originalStatusCode?: unknown };
    const fields: Partial<FailureFields> = { type: e?.name ?? typeof error };
    if (typeof e?.code === "string") fields.code = e.code;
    if (typeof e?.statusCode === "number") fields.statusCode = e.statusCode;
    if (typeof e?.originalStatusCode === "number") fields.originalStatusCode = e.originalStatusCode;
    fields.message = e?.message ?? String(error);
    return fields as FailureFields;
  }
  throw new InputError("the call was expected to fail but succeeded: pass a request that the endpoint must refuse");
}
