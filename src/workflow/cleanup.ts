/**
 * Deletes what `deployModel` created (endpoint, endpoint config, model) so the bill stops. Safe to run
 * twice: a resource that is already gone counts as deleted.
 */
import { DeleteEndpointCommand, DeleteEndpointConfigCommand, DeleteModelCommand } from "@aws-sdk/client-sagemaker";
import type { SageMakerClients } from "./clients";
import type { Deployment } from "./deploy";

export interface CleanupReport {
  /** Resources this call deleted, as "endpoint my-endpoint". */
  deleted: string[];
  /** Resources that did not exist (deleted before, or never created). */
  alreadyGone: string[];
}

/** SageMaker's answer for a resource that does not exist: a ValidationException "Could not find ...". */
export function isNotFound(error: unknown): boolean {
  const { name, message } = error as { name?: string; message?: string };
  return (name === "ValidationException" && /could not find/i.test(message ?? "")) || name === "ResourceNotFound";
}

/**
 * Deletes the endpoint, then its config, then the model; the parts may be given alone.
 * @example await deleteDeployment(clients, deployment); // again: nothing left, no error
 */
export async function deleteDeployment(clients: SageMakerClients, deployment: Partial<Deployment>): Promise<CleanupReport> {
  const report: CleanupReport = { deleted: [], alreadyGone: [] };
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
