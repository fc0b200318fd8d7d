/**
 * Application Auto Scaling for local mode (awsJson1_1, `X-Amz-Target: AnyScaleFrontendService.*`):
 * it accepts and records the calls that attach autoscaling to an endpoint variant
 * (RegisterScalableTarget, PutScalingPolicy, Describe*, DeleteScalingPolicy, DeregisterScalableTarget)
 * with the service's validation and errors, so the same code runs offline. Nothing scales: local
 * endpoints keep their one in-process model.
 */
import type {
  DeleteScalingPolicyRequest,
  DeregisterScalableTargetRequest,
  DescribeScalableTargetsRequest,
  DescribeScalableTargetsResponse,
  DescribeScalingPoliciesRequest,
  DescribeScalingPoliciesResponse,
  PutScalingPolicyRequest,
  PutScalingPolicyResponse,
  RegisterScalableTargetRequest,
  RegisterScalableTargetResponse,
  ScalableTarget,
  ScalingPolicy,
} from "@aws-sdk/client-application-auto-scaling";
import { createHash, randomUUID } from "node:crypto";
import { join } from "node:path";
import { SageMakerApiError } from "./apiErrors";
import { ResourceStore } from "./store";
import { LOCAL_ACCOUNT_ID } from "../aws/localAccount";

/** The service's prefix in `X-Amz-Target`. */
export const AUTOSCALING_TARGET_PREFIX = "AnyScaleFrontendService.";

const SAGEMAKER_DIMENSION = "sagemaker:variant:DesiredInstanceCount";
const VARIANT_RESOURCE = /^endpoint\/([^/]+)\/variant\/([^/]+)$/;

type StoredTarget = Omit<ScalableTarget, "CreationTime"> & { CreationTime: number };
type StoredPolicy = Omit<ScalingPolicy, "CreationTime"> & { CreationTime: number };

function validation(message: string): SageMakerApiError {
  return new SageMakerApiError("ValidationException", message);
}

function objectNotFound(message: string): SageMakerApiError {
  return new SageMakerApiError("ObjectNotFoundException", message);
}

const fileKey = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);

/** Which endpoint variants exist, from the SageMaker side of local mode. */
export type VariantLookup = (endpointName: string, region: string) => Promise<string[] | undefined>;

export class LocalAutoScaling {
  private readonly targets: ResourceStore<StoredTarget>;
  private readonly policies: ResourceStore<StoredPolicy>;
  private readonly operations: ReadonlyMap<string, (input: never, region: string) => Promise<object> | object>;

  constructor(
    stateDir: string,
    private readonly variantsOf: VariantLookup,
  ) {
    this.targets = new ResourceStore(join(stateDir, "scalable-targets"));
    this.policies = new ResourceStore(join(stateDir, "scaling-policies"));
    this.operations = new Map<string, (input: never, region: string) => Promise<object> | object>([
      ["RegisterScalableTarget", this.register.bind(this)],
      ["DescribeScalableTargets", this.describeTargets.bind(this)],
      ["DeregisterScalableTarget", this.deregister.bind(this)],
      ["PutScalingPolicy", this.putPolicy.bind(this)],
      ["DescribeScalingPolicies", this.describePolicies.bind(this)],
      ["DeleteScalingPolicy", this.deletePolicy.bind(this)],
    ]);
  }

  /** Runs `AnyScaleFrontendService.<operation>`. */
  async call(operation: string, input: object, region: string): Promise<object> {
    const handler = this.operations.get(operation);
    if (!handler) {
      throw new SageMakerApiError(
        "UnknownOperationException",
        `local mode does not implement Application Auto Scaling ${operation}: it serves ${[...this.operations.keys()].join(", ")}`,
      );
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new SageMakerApiError("SerializationException", `the body of ${operation} must be a JSON object`);
    }
    return (handler as (input: object, region: string) => Promise<object> | object)(input, region);
  }

  /** Checks the target triple as the service does; only SageMaker variants are served here. */
  private checkTarget(input: { ServiceNamespace?: unknown; ResourceId?: unknown; ScalableDimension?: unknown }): { resourceId: string } {
    if (input.ServiceNamespace !== "sagemaker") {
      throw validation(`local mode scales SageMaker endpoint variants only: ServiceNamespace must be "sagemaker", not ${JSON.stringify(input.ServiceNamespace ?? null)}`);
    }
    if (typeof input.ResourceId !== "string" || !VARIANT_RESOURCE.test(input.ResourceId)) {
      throw validation(`Unsupported resource type for sagemaker: ResourceId must be endpoint/<endpoint name>/variant/<variant name>, not ${JSON.stringify(input.ResourceId ?? null)}`);
    }
    if (input.ScalableDimension !== SAGEMAKER_DIMENSION) {
      throw validation(`Unsupported scalable dimension ${JSON.stringify(input.ScalableDimension ?? null)} for service namespace sagemaker: use ${SAGEMAKER_DIMENSION}`);
    }
    return { resourceId: input.ResourceId };
  }

  private async register(input: RegisterScalableTargetRequest, region: string): Promise<RegisterScalableTargetResponse> {
    const { resourceId } = this.checkTarget(input);
    const [, endpointName, variantName] = VARIANT_RESOURCE.exec(resourceId)!;
    const variants = await this.variantsOf(endpointName, region);
    if (!variants) throw validation(`Endpoint ${endpointName} does not exist: create it (and wait for InService) before registering it`);
    if (!variants.includes(variantName)) throw validation(`Endpoint ${endpointName} has no variant ${variantName}: its variants are ${variants.join(", ") || "none yet (not InService)"}`);
    const existing = this.targets.get(fileKey(resourceId));
    const min: unknown = input.MinCapacity ?? existing?.MinCapacity;
    const max: unknown = input.MaxCapacity ?? existing?.MaxCapacity;
    if (typeof min !== "number" || typeof max !== "number" || !Number.isInteger(min) || !Number.isInteger(max)) {
      throw validation("MinCapacity and MaxCapacity are required (whole numbers) when registering a new scalable target");
    }
    if (min < 0 || max < min) throw validation(`Minimum capacity (${min}) must be at least 0 and at most the maximum capacity (${max})`);
    const arn = existing?.ScalableTargetARN ?? `arn:aws:application-autoscaling:${region}:${LOCAL_ACCOUNT_ID}:scalable-target/${randomUUID().replace(/-/g, "").slice(0, 20)}`;
    this.targets.put(fileKey(resourceId), {
      ServiceNamespace: "sagemaker",
      ResourceId: resourceId,
      ScalableDimension: SAGEMAKER_DIMENSION,
      MinCapacity: min,
      MaxCapacity: max,
      RoleARN: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
      CreationTime: existing?.CreationTime ?? Date.now() / 1000,
      ScalableTargetARN: arn,
    });
    return { ScalableTargetARN: arn };
  }

  private describeTargets(input: DescribeScalableTargetsRequest): DescribeScalableTargetsResponse {
    if (input.ServiceNamespace !== "sagemaker") return { ScalableTargets: [] };
    const targets = this.targets
      .values()
      .filter((target) => (!input.ResourceIds?.length || input.ResourceIds.includes(target.ResourceId!)) && (!input.ScalableDimension || input.ScalableDimension === target.ScalableDimension))
      .map((target) => ({ ...target, CreationTime: new Date(target.CreationTime * 1000) }));
    return { ScalableTargets: targets };
  }

  private deregister(input: DeregisterScalableTargetRequest): object {
    const { resourceId } = this.checkTarget(input);
    if (!this.targets.delete(fileKey(resourceId))) throw objectNotFound(`No scalable target registered for service namespace: sagemaker, resource ID: ${resourceId}, scalable dimension: ${SAGEMAKER_DIMENSION}`);
    // Deregistering a target deletes its scaling policies, as the service does.
    for (const policy of this.policies.values()) if (policy.ResourceId === resourceId) this.policies.delete(fileKey(resourceId, policy.PolicyName!));
    return {};
  }

  private putPolicy(input: PutScalingPolicyRequest, region: string): PutScalingPolicyResponse {
    const { resourceId } = this.checkTarget(input);
    const name: unknown = input.PolicyName;
    if (typeof name !== "string" || name.length < 1 || name.length > 256 || !/^[\x20-\x7e]+$/.test(name)) {
      throw validation(`1 validation error detected: Value ${JSON.stringify(name ?? null)} at 'policyName' failed to satisfy constraint: Member must have length between 1 and 256 of printable characters`);
    }
    if (!this.targets.has(fileKey(resourceId))) throw objectNotFound(`No scalable target registered for service namespace: sagemaker, resource ID: ${resourceId}, scalable dimension: ${SAGEMAKER_DIMENSION}`);
    const type = input.PolicyType ?? "StepScaling";
    if (type !== "TargetTrackingScaling") throw validation(`local mode records TargetTrackingScaling policies only, not ${type}`);
    const config = input.TargetTrackingScalingPolicyConfiguration;
    if (!config || typeof config.TargetValue !== "number" || !(config.TargetValue > 0)) {
      throw validation("TargetTrackingScalingPolicyConfiguration with a positive TargetValue is required for a TargetTrackingScaling policy");
    }
    const metric = config.PredefinedMetricSpecification?.PredefinedMetricType;
    if (!config.CustomizedMetricSpecification && metric !== "SageMakerVariantInvocationsPerInstance" && metric !== undefined) {
      throw validation(`Unsupported predefined metric ${metric} for service namespace sagemaker: use SageMakerVariantInvocationsPerInstance`);
    }
    if (!config.CustomizedMetricSpecification && metric === undefined) throw validation("a PredefinedMetricSpecification or CustomizedMetricSpecification is required");
    const arn = `arn:aws:autoscaling:${region}:${LOCAL_ACCOUNT_ID}:scalingPolicy:${randomUUID()}:resource/sagemaker/${resourceId}:policyName/${name}`;
    const existing = this.policies.get(fileKey(resourceId, name));
    this.policies.put(fileKey(resourceId, name), {
      PolicyARN: existing?.PolicyARN ?? arn,
      PolicyName: name,
      ServiceNamespace: "sagemaker",
      ResourceId: resourceId,
      ScalableDimension: SAGEMAKER_DIMENSION,
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: config,
      Alarms: [],
      CreationTime: existing?.CreationTime ?? Date.now() / 1000,
    });
    return { PolicyARN: existing?.PolicyARN ?? arn, Alarms: [] };
  }

  private describePolicies(input: DescribeScalingPoliciesRequest): DescribeScalingPoliciesResponse {
    if (input.ServiceNamespace !== "sagemaker") return { ScalingPolicies: [] };
    const policies = this.policies
      .values()
      .filter(
        (policy) =>
          (!input.ResourceId || policy.ResourceId === input.ResourceId) &&
          (!input.PolicyNames?.length || input.PolicyNames.includes(policy.PolicyName!)) &&
          (!input.ScalableDimension || policy.ScalableDimension === input.ScalableDimension),
      )
      .map((policy) => ({ ...policy, CreationTime: new Date(policy.CreationTime * 1000) }));
    return { ScalingPolicies: policies };
  }

  private deletePolicy(input: DeleteScalingPolicyRequest): object {
    const { resourceId } = this.checkTarget(input);
    if (!this.policies.delete(fileKey(resourceId, String(input.PolicyName)))) {
      throw objectNotFound(`No scaling policy found for service namespace: sagemaker, resource ID: ${resourceId}, scalable dimension: ${SAGEMAKER_DIMENSION}, policy name: ${input.PolicyName}`);
    }
    return {};
  }
}
