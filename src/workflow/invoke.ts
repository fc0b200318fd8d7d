/** Calls a deployed endpoint with the JumpStart payload: the workflow's view of the runtime client. */
import { invokeZeroShotEndpoint, type InvokeOptions } from "../backends/sagemaker/runtimeClient";
import type { ZeroShotRequest, ZeroShotResult } from "../payload/types";
import type { SageMakerClients } from "./clients";

/**
 * One InvokeEndpoint call through the workflow's clients: `{inputs, parameters}` in, `{sequence,
 * labels, scores}` (or a list, for a list of inputs) out. Failures are the runtime client's typed
 * `EndpointError`s (a model error carries the container's own message).
 * @example
 * const result = await invokeEndpoint(clients, deployment.endpointName, toZeroShotRequest("I will run", ["Health", "Finance"]));
 */
export function invokeEndpoint(
  clients: SageMakerClients,
  endpointName: string,
  request: ZeroShotRequest,
  options?: InvokeOptions,
): Promise<ZeroShotResult | ZeroShotResult[]> {
  return invokeZeroShotEndpoint(clients.runtime, endpointName, request, options);
}
