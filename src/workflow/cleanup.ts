/**
 * Deletes what `deployModel` created (autoscaling registration, endpoint, endpoint config, model) so
 * the bill stops. Safe to run twice: a resource that is already gone counts as deleted.
 */
import { DeleteEndpointCommand, DeleteEndpointConfigCommand, DeleteModelCommand } from "@aws-sdk/client-sagemaker";
import { deregisterEndpointAutoscaling } from "./autoscaling";
import type { SageMakerClients } from "./clients";
import type { Deployment } from "./deploy";
import { DEFAULT_VARIANT_NAME } from "../aws/sagemaker";

export interface CleanupReport {
  /** Resources this call deleted, as "endpoint my-endpoint". */
  deleted: string[];
  /** Resources that did not exist (deleted before, or never created). */
  alreadyGone: string[];
}

function isAccessDenied(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "AccessDeniedException" || $metadata?.httpStatusCode === 403;
}

/** SageMaker's answer for a resource that does not exist: a ValidationException "Could not find ...". */
export function isNotFound(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return (name === "ValidationException" && /could not find/i.test(message ?? "")) || name === "ResourceNotFound";
}

/**
 * Deregisters the endpoint's variant from Application Auto Scaling (when registered), then deletes the
 * endpoint, its config and the model; the parts may be given alone.
 * @example await deleteDeployment(clients, deployment); // again: nothing left, no error
 */
export async function deleteDeployment(clients: SageMakerClients, deployment: Partial<Deployment>): Promise<CleanupReport> {
  const report: CleanupReport = { deleted: [], alreadyGone: [] };
  if (deployment.endpointName) {
    try {
      report.deleted.push(...(await deregisterEndpointAutoscaling(clients, deployment.endpointName, DEFAULT_VARIANT_NAME)));
    } catch (error) {
      // Without permission to read Application Auto Scaling, a deployment made without autoscaling has nothing there.
      if (deployment.autoscaling || !isAccessDenied(error)) throw error;
    }
  }
  const steps: [string | undefined, string, () => Promise<unknown>][] = [
    [deployment.endpointName, "endpoint", () => clients.sagemaker.send(new DeleteEndpointCommand({ EndpointName: deployment.endpointName }))],
    [deployment.endpointConfigName, "endpoint config", () => clients.sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: deployment.endpointConfigName }))],
    [deployment.modelName, "model", () => clients.sagemaker.send(new DeleteModelCommand({ ModelName: deployment.modelName }))],
  ];
  for (const [name, kind, remove] of steps) {
    if (!name) continue;
    try {
      await remove();
      report.deleted.push(`${kind} ${name}`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      report.alreadyGone.push(`${kind} ${name}`);
    }
  }
  return report;
}
