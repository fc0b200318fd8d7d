/**
 * Deploys a model to a SageMaker real-time endpoint as the AWS walkthrough does: CreateModel (a
 * Hugging Face hub model in the Hugging Face inference container, `HF_MODEL_ID`,
 * `HF_TASK=zero-shot-classification`; or a JumpStart model id with JumpStart's image, artifact and
 * script), CreateEndpointConfig (instance type and count), CreateEndpoint, then waits for InService;
 * optionally registers the variant with Application Auto Scaling. Every create call carries the
 * security settings given. The same calls run against AWS and local mode; only the clients differ.
 */
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  type ContainerDefinition,
  type DescribeEndpointCommandOutput,
} from "@aws-sdk/client-sagemaker";
import { InputError } from "../errors";
import { liveCatalog, snapshotCatalog, type JumpStartCatalog } from "../jumpstart/catalog";
import { resolveJumpStartHosting, type JumpStartHosting } from "../jumpstart/resolve";
import { checkAutoscaling, registerEndpointAutoscaling, type AutoscalingOptions, type EndpointAutoscaling } from "./autoscaling";
import { clientRegion, LOCAL_ROLE_ARN, type SageMakerClients } from "./clients";
import { endpointConfigSecurityFields, endpointSecurityFields, modelSecurityFields, type SecurityOptions } from "./security";
import { SageMakerWorkflowError } from "./errors";
import { deviceForInstance, huggingFaceInferenceImage } from "./images";
import { waitForStatus, type WaitOptions } from "./progress";
import { DEFAULT_VARIANT_NAME, HF_ZERO_SHOT_TASK, nameTimestamp } from "../aws/sagemaker";

/** A CPU instance the walkthrough's bart-large-mnli fits on. */
export const DEFAULT_INSTANCE_TYPE = "ml.m5.xlarge";

/** The three resources of a deployment, named so `deleteDeployment` can remove them. */
export interface Deployment {
  modelName: string;
  endpointConfigName: string;
  endpointName: string;
  /** The JumpStart model and version deployed, when `modelId` was a JumpStart id. */
  jumpStart?: { modelId: string; version: string; via: JumpStartHosting["via"] };
  /** The Application Auto Scaling registration, when `autoscaling` was asked for. */
  autoscaling?: EndpointAutoscaling;
}

export interface DeployOptions extends WaitOptions, SecurityOptions {
  /**
   * The model: a Hugging Face hub id such as `facebook/bart-large-mnli` (`HF_MODEL_ID`; in local mode
   * also a model directory), or a JumpStart model id such as `huggingface-zstc-facebook-bart-large-mnli`
   * (any id when `modelVersion` is given; ids starting `huggingface-zstc-` always).
   */
  modelId: string;
  /** The JumpStart model version: `"*"` (latest, the default), `"2.*"` or exact, e.g. `"2.0.14"`. */
  modelVersion?: string;
  /** Where JumpStart ids resolve. Default: JumpStart's live specs on AWS, the bundled snapshot in local mode. */
  jumpStartCatalog?: JumpStartCatalog;
  /** Deploy a JumpStart version marked deprecated / with vulnerable inference dependencies anyway (refused by default). */
  tolerateDeprecated?: boolean;
  tolerateVulnerable?: boolean;
  /** Register the endpoint's variant with Application Auto Scaling (min/max instances, target tracking). */
  autoscaling?: AutoscalingOptions;
  /** Base name of the three resources. Default: `zero-shot-<model>-<timestamp>`. */
  name?: string;
  /** Container image. Default: the Hugging Face PyTorch inference image for the clients' region. */
  image?: string;
  /** Default ml.m5.xlarge (for a JumpStart model with specs: its `default_inference_instance_type`). */
  instanceType?: string;
  /** Default 1. */
  instanceCount?: number;
  /** More container environment variables (e.g. `HF_MODEL_REVISION`). */
  environment?: Record<string, string>;
  /** Return right after CreateEndpoint instead of waiting for InService. */
  noWait?: boolean;
}

/** A SageMaker name (letters, digits, hyphens, at most 63) made from free text. */
export function sageMakerName(...parts: string[]): string {
  const slug = parts
    .join("-")
    .replace(/[^a-zA-Z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, 63).replace(/-+$/, "");
}

/** What CreateModel needs: the model to serve, and the container, role, security and instance type it runs with. */
export type ModelOptions = Pick<DeployOptions, "modelId" | "modelVersion" | "jumpStartCatalog" | "tolerateDeprecated" | "tolerateVulnerable" | "image" | "instanceType" | "environment"> & SecurityOptions;

/** Whether `modelId` names a JumpStart model (see `DeployOptions.modelId`). */
export function isJumpStartModelId(modelId: string, modelVersion?: string): boolean {
  return modelVersion !== undefined || /^huggingface-zstc-[a-z0-9-]+$/.test(modelId);
}

/** The catalog JumpStart ids resolve in by default: JumpStart's live specs on AWS, the bundled snapshot in local mode. */
export async function defaultJumpStartCatalog(clients: SageMakerClients): Promise<JumpStartCatalog> {
  const region = await clientRegion(clients);
  return clients.mode === "local" ? snapshotCatalog(region) : liveCatalog(region);
}

/** Resolves a JumpStart id to its hosting in the clients' region. */
export async function resolveJumpStartModel(clients: SageMakerClients, options: ModelOptions): Promise<JumpStartHosting> {
  const region = await clientRegion(clients);
  const catalog = options.jumpStartCatalog ?? (await defaultJumpStartCatalog(clients));
  const model = await catalog.getModel(options.modelId, options.modelVersion ?? "*");
  return resolveJumpStartHosting(model, {
    region,
    instanceType: options.instanceType,
    tolerateDeprecated: options.tolerateDeprecated,
    tolerateVulnerable: options.tolerateVulnerable,
  });
}

/** The execution role: given, from `SAGEMAKER_ROLE_ARN`, or local mode's stand-in; required on AWS. */
function executionRole(clients: SageMakerClients, options: ModelOptions): string {
  if (!options.modelId) throw new InputError(`no modelId: pass the hub model or JumpStart model to deploy, e.g. { modelId: "facebook/bart-large-mnli" } or { modelId: "huggingface-zstc-facebook-bart-large-mnli", modelVersion: "*" }`);
  const roleArn = options.roleArn ?? process.env.SAGEMAKER_ROLE_ARN ?? (clients.mode === "local" ? LOCAL_ROLE_ARN : undefined);
  if (!roleArn) {
    throw new InputError(
      `no SageMaker execution role: pass roleArn (an IAM role SageMaker can assume, e.g. ` +
        `arn:aws:iam::123456789012:role/SageMakerExecutionRole) or set SAGEMAKER_ROLE_ARN`,
    );
  }
  return roleArn;
}

/**
 * CreateModel alone: all a batch transform job needs, and the first step of `deployModel`. A hub id
 * runs in the Hugging Face inference container (`HF_MODEL_ID`, `HF_TASK`); a JumpStart id with the
 * image, artifact, script and environment of its specs (tagged with its id and version). Returns the
 * model's name.
 */
export async function createModel(clients: SageMakerClients, modelName: string, options: ModelOptions): Promise<string> {
  await createModelDetailed(clients, modelName, options);
  return modelName;
}

async function createModelDetailed(clients: SageMakerClients, modelName: string, options: ModelOptions): Promise<{ jumpStart?: JumpStartHosting }> {
  const roleArn = executionRole(clients, options);
  const hfImage = async () => options.image ?? huggingFaceInferenceImage(await clientRegion(clients), deviceForInstance(options.instanceType ?? DEFAULT_INSTANCE_TYPE));
  let container: ContainerDefinition;
  let jumpStart: JumpStartHosting | undefined;
  if (isJumpStartModelId(options.modelId, options.modelVersion)) {
    jumpStart = await resolveJumpStartModel(clients, options);
    const { Image, Environment, ...modelData } = jumpStart.container;
    container =
      jumpStart.via === "specs"
        ? { Image: options.image ?? Image!, ...modelData, Environment: { ...Environment, ...options.environment } }
        : { Image: await hfImage(), Environment: { ...Environment, HF_TASK: HF_ZERO_SHOT_TASK, ...options.environment } };
  } else {
    container = { Image: await hfImage(), Environment: { HF_MODEL_ID: options.modelId, HF_TASK: HF_ZERO_SHOT_TASK, ...options.environment } };
  }
  await clients.sagemaker.send(
    new CreateModelCommand({
      ModelName: modelName,
      ExecutionRoleArn: roleArn,
      PrimaryContainer: container,
      ...modelSecurityFields({ ...options, enableNetworkIsolation: options.enableNetworkIsolation ?? jumpStart?.enableNetworkIsolation }, jumpStart?.tags),
    }),
  );
  return { jumpStart };
}

/**
 * Creates model, endpoint config and endpoint, and waits until the endpoint is InService.
 * @example
 * const deployment = await deployModel(clients, { modelId: "facebook/bart-large-mnli", roleArn });
 * // ... invokeEndpoint(clients, deployment.endpointName, request)
 * await deleteDeployment(clients, deployment);
 */
export async function deployModel(clients: SageMakerClients, options: DeployOptions): Promise<Deployment> {
  const roleArn = executionRole(clients, options);
  if (options.autoscaling) {
    checkAutoscaling(options.autoscaling);
    if (options.noWait) throw new InputError(`autoscaling needs an InService endpoint: drop noWait, or call registerEndpointAutoscaling after waitForEndpoint`);
  }
  const shortName = (options.modelId.split("/").pop() ?? "model").replace(/^huggingface-zstc-/, "");
  const base = sageMakerName(options.name ?? `zero-shot-${sageMakerName(shortName).slice(0, 32)}-${nameTimestamp()}`);
  const deployment: Deployment = { modelName: base, endpointConfigName: sageMakerName(base.slice(0, 56), "config"), endpointName: base };

  const { jumpStart } = await createModelDetailed(clients, deployment.modelName, { ...options, roleArn });
  if (jumpStart) deployment.jumpStart = { modelId: jumpStart.modelId, version: jumpStart.version, via: jumpStart.via };
  // A JumpStart model without an asked-for instance type runs on its spec's default, as the SDK deploys it.
  const instanceType = options.instanceType ?? jumpStart?.instanceType ?? DEFAULT_INSTANCE_TYPE;
  await clients.sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: deployment.endpointConfigName,
      ProductionVariants: [
        {
          VariantName: DEFAULT_VARIANT_NAME,
          ModelName: deployment.modelName,
          InstanceType: instanceType as never,
          InitialInstanceCount: options.instanceCount ?? options.autoscaling?.minInstances ?? 1,
          InitialVariantWeight: 1,
        },
      ],
      ...endpointConfigSecurityFields(options),
    }),
  );
  await clients.sagemaker.send(
    new CreateEndpointCommand({ EndpointName: deployment.endpointName, EndpointConfigName: deployment.endpointConfigName, ...endpointSecurityFields(options) }),
  );
  if (!options.noWait) await waitForEndpoint(clients, deployment.endpointName, options);
  if (options.autoscaling) {
    deployment.autoscaling = await registerEndpointAutoscaling(clients, deployment.endpointName, DEFAULT_VARIANT_NAME, options.autoscaling);
  }
  return deployment;
}

/** Waits until an endpoint is InService; a Failed endpoint throws with SageMaker's FailureReason. */
export async function waitForEndpoint(clients: SageMakerClients, endpointName: string, options: WaitOptions = {}): Promise<DescribeEndpointCommandOutput> {
  const description = await waitForStatus(
    `endpoint ${endpointName}`,
    () => clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName })),
    (endpoint) => endpoint.EndpointStatus ?? "Unknown",
    (status) => status !== "Creating" && status !== "Updating" && status !== "SystemUpdating",
    { ...options, pollIntervalMs: options.pollIntervalMs ?? clients.pollIntervalMs },
  );
  if (description.EndpointStatus !== "InService") {
    throw new SageMakerWorkflowError(
      `endpoint ${endpointName} is ${description.EndpointStatus}: ${description.FailureReason ?? "no reason given"}. ` +
        `Fix the model (HF_MODEL_ID, image, role) and deploy again; delete the failed resources with deleteDeployment`,
      description.FailureReason,
    );
  }
  return description;
}
