/**
 * Endpoint autoscaling through Application Auto Scaling: the endpoint's variant becomes a scalable
 * target (min and max instances) with a target-tracking policy on invocations per instance, and
 * clean-up removes both before the endpoint goes. Local mode records the same calls (it does not scale).
 */
import {
  DeleteScalingPolicyCommand,
  DescribeScalingPoliciesCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { InputError } from "../errors";
import type { SageMakerClients } from "./clients";

export interface AutoscalingOptions {
  /** Fewest instances (at least 1 for a real-time endpoint). */
  minInstances: number;
  /** Most instances. */
  maxInstances: number;
  /** Invocations per instance per minute the policy keeps the variant at (SageMakerVariantInvocationsPerInstance). */
  targetInvocationsPerInstance: number;
  /** Seconds between scale-in steps. Default 300. */
  scaleInCooldownSeconds?: number;
  /** Seconds between scale-out steps. Default 60. */
  scaleOutCooldownSeconds?: number;
}

/** What was registered, for clean-up. */
export interface EndpointAutoscaling {
  resourceId: string;
  policyName: string;
  minInstances: number;
  maxInstances: number;
}

export const SAGEMAKER_SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount";

/** Application Auto Scaling's id of an endpoint variant. */
export function variantResourceId(endpointName: string, variantName: string): string {
  return `endpoint/${endpointName}/variant/${variantName}`;
}

/** Refuses options Application Auto Scaling would refuse, before anything is created. */
export function checkAutoscaling(options: AutoscalingOptions): void {
  const { minInstances, maxInstances, targetInvocationsPerInstance } = options;
  if (!Number.isInteger(minInstances) || minInstances < 1 || !Number.isInteger(maxInstances) || maxInstances < minInstances) {
    throw new InputError(
      `autoscaling needs whole numbers 1 <= minInstances <= maxInstances (got ${minInstances} and ${maxInstances}), e.g. { minInstances: 1, maxInstances: 4, targetInvocationsPerInstance: 100 }`,
    );
  }
  if (!(targetInvocationsPerInstance > 0)) {
    throw new InputError(`autoscaling.targetInvocationsPerInstance must be a positive number of invocations per instance per minute (got ${targetInvocationsPerInstance})`);
  }
}

/**
 * Registers an endpoint variant as a scalable target and attaches a target-tracking policy.
 * @example await registerEndpointAutoscaling(clients, "my-endpoint", "AllTraffic", { minInstances: 1, maxInstances: 4, targetInvocationsPerInstance: 100 });
 */
export async function registerEndpointAutoscaling(
  clients: SageMakerClients,
  endpointName: string,
  variantName: string,
  options: AutoscalingOptions,
): Promise<EndpointAutoscaling> {
  checkAutoscaling(options);
  const resourceId = variantResourceId(endpointName, variantName);
  const policyName = `${endpointName}-invocations-per-instance`.slice(0, 256);
  await clients.autoscaling.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: "sagemaker",
      ResourceId: resourceId,
      ScalableDimension: SAGEMAKER_SCALABLE_DIMENSION,
      MinCapacity: options.minInstances,
      MaxCapacity: options.maxInstances,
    }),
  );
  await clients.autoscaling.send(
    new PutScalingPolicyCommand({
      PolicyName: policyName,
      ServiceNamespace: "sagemaker",
      ResourceId: resourceId,
      ScalableDimension: SAGEMAKER_SCALABLE_DIMENSION,
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: options.targetInvocationsPerInstance,
        PredefinedMetricSpecification: { PredefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
        ScaleInCooldown: options.scaleInCooldownSeconds ?? 300,
        ScaleOutCooldown: options.scaleOutCooldownSeconds ?? 60,
      },
    }),
  );
  return { resourceId, policyName, minInstances: options.minInstances, maxInstances: options.maxInstances };
}

function isObjectNotFound(error: unknown): boolean {
  return (error as { name?: string }).name === "ObjectNotFoundException";
}

/**
 * Removes the variant's scaling policies and deregisters it; returns what was removed ("scaling policy x",
 * "scalable target endpoint/.../variant/..."), nothing when it was never registered.
 */
export async function deregisterEndpointAutoscaling(clients: SageMakerClients, endpointName: string, variantName: string): Promise<string[]> {
  const resourceId = variantResourceId(endpointName, variantName);
  const found = await clients.autoscaling.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker", ResourceIds: [resourceId], ScalableDimension: SAGEMAKER_SCALABLE_DIMENSION }),
  );
  if (!found.ScalableTargets?.length) return [];
  const removed: string[] = [];
  const policies = await clients.autoscaling.send(
    new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker", ResourceId: resourceId, ScalableDimension: SAGEMAKER_SCALABLE_DIMENSION }),
  );
  for (const policy of policies.ScalingPolicies ?? []) {
    try {
      await clients.autoscaling.send(
        new DeleteScalingPolicyCommand({ PolicyName: policy.PolicyName, ServiceNamespace: "sagemaker", ResourceId: resourceId, ScalableDimension: SAGEMAKER_SCALABLE_DIMENSION }),
      );
      removed.push(`scaling policy ${policy.PolicyName}`);
    } catch (error) {
      if (!isObjectNotFound(error)) throw error;
    }
  }
  try {
    await clients.autoscaling.send(new DeregisterScalableTargetCommand({ ServiceNamespace: "sagemaker", ResourceId: resourceId, ScalableDimension: SAGEMAKER_SCALABLE_DIMENSION }));
    removed.push(`scalable target ${resourceId}`);
  } catch (error) {
    if (!isObjectNotFound(error)) throw error;
  }
  return removed;
}
