/**
 * Deploys a Hugging Face model to a SageMaker real-time endpoint as the AWS walkthrough does:
 * CreateModel (the Hugging Face inference container, `HF_MODEL_ID`, `HF_TASK=zero-shot-classification`),
 * CreateEndpointConfig (instance type and count), CreateEndpoint, then waits for InService.
 * The same calls run against AWS and local mode; only the clients differ.
 */
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
} from "@aws-sdk/client-sagemaker";
import { InputError } from "../errors";
import { clientRegion, LOCAL_ROLE_ARN, type SageMakerClients } from "./clients";
import { SageMakerWorkflowError } from "./errors";
import { deviceForInstance, huggingFaceInferenceImage } from "./images";
import { waitForStatus, type WaitOptions } from "./progress";

/** The task the Hugging Face inference toolkit runs for this project's models. */
export const HF_TASK = "zero-shot-classification";
/** A CPU instance the walkthrough's bart-large-mnli fits on. */
export const DEFAULT_INSTANCE_TYPE = "ml.m5.xlarge";

/** The three resources of a deployment, named so `deleteDeployment` can remove them. */
export interface Deployment {
  modelName: string;
  endpointConfigName: string;
  endpointName: string;
}

export interface DeployOptions extends WaitOptions {
  /** `HF_MODEL_ID`: a hub id such as `facebook/bart-large-mnli` (in local mode also a model directory). */
  modelId: string;
  /** Base name of the three resources. Default: `zero-shot-<model>-<timestamp>`. */
  name?: string;
  /** Container image. Default: the Hugging Face PyTorch inference image for the clients' region. */
  image?: string;
  /** Default ml.m5.xlarge. */
  instanceType?: string;
  /** Default 1. */
  instanceCount?: number;
  /** The IAM role SageMaker assumes to pull the image and model. Required on AWS (or `SAGEMAKER_ROLE_ARN`). */
  roleArn?: string;
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

function timestamp(): string {
  return new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** What CreateModel needs: the model to serve, and the container, role and instance type it runs with. */
export type ModelOptions = Pick<DeployOptions, "modelId" | "image" | "instanceType" | "roleArn" | "environment">;

/** The execution role: given, from `SAGEMAKER_ROLE_ARN`, or local mode's stand-in; required on AWS. */
function executionRole(clients: SageMakerClients, options: ModelOptions): string {
  if (!options.modelId) throw new InputError(`no modelId: pass the HF_MODEL_ID to deploy, e.g. { modelId: "facebook/bart-large-mnli" }`);
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
 * CreateModel alone, with the Hugging Face inference container (`HF_MODEL_ID`, `HF_TASK`): all a batch
 * transform job needs, and the first step of `deployModel`. Returns the model's name.
 */
export async function createModel(clients: SageMakerClients, modelName: string, options: ModelOptions): Promise<string> {
  const roleArn = executionRole(clients, options);
  const image = options.image ?? huggingFaceInferenceImage(await clientRegion(clients), deviceForInstance(options.instanceType ?? DEFAULT_INSTANCE_TYPE));
  await clients.sagemaker.send(
    new CreateModelCommand({
      ModelName: modelName,
      ExecutionRoleArn: roleArn,
      PrimaryContainer: { Image: image, Environment: { HF_MODEL_ID: options.modelId, HF_TASK, ...options.environment } },
    }),
  );
  return modelName;
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
  const instanceType = options.instanceType ?? DEFAULT_INSTANCE_TYPE;
  const base = sageMakerName(options.name ?? `zero-shot-${sageMakerName(options.modelId.split("/").pop() ?? "model").slice(0, 32)}-${timestamp()}`);
  const deployment: Deployment = { modelName: base, endpointConfigName: sageMakerName(base.slice(0, 56), "config"), endpointName: base };

  await createModel(clients, deployment.modelName, { ...options, roleArn });
  await clients.sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: deployment.endpointConfigName,
      ProductionVariants: [
        { VariantName: "AllTraffic", ModelName: deployment.modelName, InstanceType: instanceType as never, InitialInstanceCount: options.instanceCount ?? 1, InitialVariantWeight: 1 },
      ],
    }),
  );
  await clients.sagemaker.send(new CreateEndpointCommand({ EndpointName: deployment.endpointName, EndpointConfigName: deployment.endpointConfigName }));
  if (!options.noWait) await waitForEndpoint(clients, deployment.endpointName, options);
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
