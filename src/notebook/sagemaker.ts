/**
 * Where notebooks 02-04 run the SageMaker workflow, chosen by environment variables so a cell stays a
 * one-liner: local mode (default: the emulator starts inside the kernel, nothing leaves the machine)
 * or AWS (`ZERO_SHOT_SAGEMAKER=aws`, billed until the clean-up cell runs).
 *
 *   ZERO_SHOT_SAGEMAKER       `local` (default) or `aws`
 *   AWS_REGION                the region on AWS (else AWS_DEFAULT_REGION, else the AWS config files)
 *   SAGEMAKER_ROLE_ARN        the execution role SageMaker assumes on AWS (required there)
 *   ZERO_SHOT_INSTANCE_TYPE   endpoint and transform instance type (default ml.m5.xlarge)
 *   ZERO_SHOT_S3_URI          where batch transform puts its files (required on AWS for notebook 04)
 *   ZERO_SHOT_ENDPOINT        an endpoint that is already InService: notebook 03 uses it instead of deploying
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DescribeEndpointCommandOutput } from "@aws-sdk/client-sagemaker";
import { InputError } from "../errors";
import { destroyClients, LOCAL_ROLE_ARN, sageMakerClients, type SageMakerClients } from "../workflow/clients";
import { deleteDeployment, type CleanupReport } from "../workflow/cleanup";
import { createModel, DEFAULT_INSTANCE_TYPE, deployModel, sageMakerName, waitForEndpoint, type Deployment, type DeployOptions } from "../workflow/deploy";
import type { WaitOptions } from "../workflow/progress";
import { startLocalSageMaker, type LocalSageMaker } from "../emulator/server";
import type { NotebookModelChoice } from "./config";
import { htmlTable, type TableCell } from "./htmlTable";
import { nameTimestamp } from "../aws/sagemaker";

/** Local mode's bucket: the emulator creates it on first use. */
export const LOCAL_S3_URI = "s3://zero-shot-notebooks/zero-shot";

/** Where the notebooks' SageMaker calls go, read from the environment. */
export interface SageMakerTargetChoice {
  mode: "local" | "aws";
  /** `ZERO_SHOT_SAGEMAKER` when it was set, else `default`. */
  chosenBy: "ZERO_SHOT_SAGEMAKER" | "default";
  /** AWS only; undefined lets the SDK read the AWS config files. */
  region?: string;
  /** The execution role: `SAGEMAKER_ROLE_ARN` on AWS, a stand-in in local mode. */
  roleArn: string;
  instanceType: string;
  /** Batch transform's S3 prefix; undefined on AWS when `ZERO_SHOT_S3_URI` is not set. */
  s3Uri?: string;
  /** An existing endpoint to call instead of deploying one (`ZERO_SHOT_ENDPOINT`). */
  endpointName?: string;
}

/**
 * Reads `ZERO_SHOT_SAGEMAKER` and the AWS settings; AWS without a role is an error that says what to set.
 * @example const target = chooseSageMakerTarget(); // { mode: "local", ... } unless ZERO_SHOT_SAGEMAKER=aws
 */
export function chooseSageMakerTarget(env: NodeJS.ProcessEnv = process.env): SageMakerTargetChoice {
  const given = env.ZERO_SHOT_SAGEMAKER?.trim().toLowerCase();
  if (given && given !== "local" && given !== "aws") {
    throw new InputError(`ZERO_SHOT_SAGEMAKER is ${JSON.stringify(env.ZERO_SHOT_SAGEMAKER)}: set it to "local" (the default, offline) or "aws"`);
  }
  const mode = given === "aws" ? "aws" : "local";
  const instanceType = env.ZERO_SHOT_INSTANCE_TYPE?.trim() || DEFAULT_INSTANCE_TYPE;
  const endpointName = env.ZERO_SHOT_ENDPOINT?.trim() || undefined;
  const chosenBy = given ? "ZERO_SHOT_SAGEMAKER" : "default";
  if (mode === "local") {
    return { mode, chosenBy, roleArn: LOCAL_ROLE_ARN, instanceType, s3Uri: env.ZERO_SHOT_S3_URI?.trim() || LOCAL_S3_URI, endpointName };
  }
  const roleArn = env.SAGEMAKER_ROLE_ARN?.trim();
  if (!roleArn) {
    throw new InputError(
      "ZERO_SHOT_SAGEMAKER=aws needs SAGEMAKER_ROLE_ARN: the IAM role SageMaker assumes to pull the container and the model " +
        "(e.g. arn:aws:iam::123456789012:role/SageMakerExecutionRole); set it before starting Jupyter, or unset ZERO_SHOT_SAGEMAKER for local mode",
    );
  }
  return {
    mode,
    chosenBy,
    region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined,
    roleArn,
    instanceType,
    s3Uri: env.ZERO_SHOT_S3_URI?.trim() || undefined,
    endpointName,
  };
}

/** Where batch transform puts its files; on AWS `ZERO_SHOT_S3_URI` must name a bucket of yours. */
export function transformS3Uri(target: SageMakerTargetChoice): string {
  if (target.s3Uri) return target.s3Uri;
  throw new InputError(
    "batch transform on AWS needs an S3 location for its input and output: set ZERO_SHOT_S3_URI to a prefix in a bucket " +
      "the role can read and write (e.g. s3://my-bucket/zero-shot) before starting Jupyter",
  );
}

/** A markdown note for a notebook: where the calls go and what that costs. */
export function sageMakerNotice(target: SageMakerTargetChoice): string {
  if (target.mode === "local") {
    return (
      "**SageMaker:** local mode. The cells below start an emulator of the SageMaker API inside this kernel and the " +
      "unmodified AWS SDK clients talk to it; endpoints run the model on this machine. Nothing leaves the machine and " +
      "nothing is billed. Set `ZERO_SHOT_SAGEMAKER=aws` (with `AWS_REGION` and `SAGEMAKER_ROLE_ARN`) before starting Jupyter to use AWS."
    );
  }
  return (
    `**SageMaker:** AWS${target.region ? `, region \`${target.region}\`` : ""}, role \`${target.roleArn}\`, instance type ` +
    `\`${target.instanceType}\`. Chosen by \`ZERO_SHOT_SAGEMAKER=aws\`.\n\n` +
    "> **This is billed.** An endpoint costs money every hour it exists, whether or not it is called: run the clean-up " +
    "cell at the end, even after an error."
  );
}

/** The clients of a target, plus the local emulator when there is one. */
export interface NotebookSageMaker {
  target: SageMakerTargetChoice;
  clients: SageMakerClients;
  /** The emulator in local mode. */
  local?: LocalSageMaker;
  /** Closes the clients and stops the emulator (its temporary data folder is removed). */
  close(): Promise<void>;
}

/**
 * Builds the SDK clients for a target; in local mode first starts the emulator on a free port, with its
 * state in a temporary folder (or `ZERO_SHOT_LOCAL_SAGEMAKER_DIR`).
 */
export async function openSageMaker(target: SageMakerTargetChoice, env: NodeJS.ProcessEnv = process.env): Promise<NotebookSageMaker> {
  if (target.mode === "aws") {
    const clients = sageMakerClients({ mode: "aws", region: target.region });
    return { target, clients, close: async () => destroyClients(clients) };
  }
  const ownDir = env.ZERO_SHOT_LOCAL_SAGEMAKER_DIR ? undefined : mkdtempSync(join(tmpdir(), "zero-shot-notebook-sagemaker-"));
  const local = await startLocalSageMaker({ dataDir: ownDir ?? env.ZERO_SHOT_LOCAL_SAGEMAKER_DIR });
  const clients = sageMakerClients({ mode: "local", endpoint: local.url });
  return {
    target,
    clients,
    local,
    close: async () => {
      destroyClients(clients);
      await local.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

/** What a deployment is made of: the container's `HF_MODEL_ID`, the role and the instance type. */
export interface DeploymentSettings {
  modelId: string;
  roleArn: string;
  instanceType: string;
  /** Extra container environment: `ZERO_SHOT_DTYPE` for local mode's model loader, when set. */
  environment: Record<string, string>;
}

/**
 * The `HF_MODEL_ID` and settings for the notebook's model. A hub model is named as the hub names it
 * (`facebook/bart-large-mnli`); a local directory works in local mode only, since an AWS container
 * downloads its model from the hub.
 */
export function deploymentSettings(model: NotebookModelChoice, target: SageMakerTargetChoice): DeploymentSettings {
  let modelId: string;
  if (model.source.kind === "hub") modelId = model.source.name;
  else if (target.mode === "local") modelId = model.source.path;
  else {
    throw new InputError(
      `ZERO_SHOT_MODEL is the local directory ${model.source.path}, which a SageMaker container on AWS cannot read: ` +
        `set ZERO_SHOT_MODEL to a hub id such as facebook/bart-large-mnli for AWS, or use local mode`,
    );
  }
  const environment: Record<string, string> = target.mode === "local" && model.options.dtype ? { ZERO_SHOT_DTYPE: model.options.dtype } : {};
  return { modelId, roleArn: target.roleArn, instanceType: target.instanceType, environment };
}

/** A deployment this notebook made, or an endpoint it was given (`ZERO_SHOT_ENDPOINT`) and must not delete. */
export interface NotebookEndpoint {
  deployment: Partial<Deployment> & { endpointName: string };
  reused: boolean;
}

/**
 * Deploys the model, or, when the target names an existing endpoint, waits for that one to be InService
 * and reuses it. `cleanUpEndpoint` deletes only what this call created.
 */
export async function deployOrReuse(session: NotebookSageMaker, settings: DeploymentSettings, options: WaitOptions & Pick<DeployOptions, "name"> = {}): Promise<NotebookEndpoint> {
  const existing = session.target.endpointName;
  if (existing) {
    await waitForEndpoint(session.clients, existing, options);
    return { deployment: { endpointName: existing }, reused: true };
  }
  const deployment = await deployModel(session.clients, { ...settings, ...options });
  return { deployment, reused: false };
}

/** Deletes the endpoint, config and model `deployOrReuse` created; a reused endpoint is left alone. */
export async function cleanUpEndpoint(session: NotebookSageMaker, endpoint: NotebookEndpoint): Promise<CleanupReport & { keptRunning: string[] }> {
  if (endpoint.reused) return { deleted: [], alreadyGone: [], keptRunning: [`endpoint ${endpoint.deployment.endpointName} (given by ZERO_SHOT_ENDPOINT)`] };
  return { ...(await deleteDeployment(session.clients, endpoint.deployment)), keptRunning: [] };
}

/**
 * Only the SageMaker model (CreateModel: the Hugging Face container, `HF_MODEL_ID`, `HF_TASK`), which is
 * all a batch transform needs: no endpoint, so nothing bills while no job runs. Returns its name;
 * delete it with `deleteDeployment(clients, { modelName })`.
 */
export async function createHuggingFaceModel(clients: SageMakerClients, settings: DeploymentSettings, name?: string): Promise<string> {
  const modelName = sageMakerName(name ?? `zero-shot-batch-${nameTimestamp()}`);
  return createModel(clients, modelName, settings);
}

function formatValue(value: unknown): TableCell {
  if (value instanceof Date) return value.toISOString();
  return value === null || value === undefined ? "" : String(value);
}

/** DescribeEndpoint's answer as a two-column table (field, value); the production variant's fields are prefixed with its name. */
export function endpointDescriptionTable(description: DescribeEndpointCommandOutput): string {
  const rows: [string, TableCell][] = [];
  const fields = ["EndpointName", "EndpointArn", "EndpointConfigName", "EndpointStatus", "FailureReason", "CreationTime", "LastModifiedTime"] as const;
  for (const field of fields) if (description[field] !== undefined) rows.push([field, formatValue(description[field])]);
  for (const variant of description.ProductionVariants ?? []) {
    const prefix = `ProductionVariants[${variant.VariantName ?? "?"}]`;
    const variantFields = ["CurrentInstanceCount", "DesiredInstanceCount", "CurrentWeight", "DesiredWeight"] as const;
    for (const field of variantFields) if (variant[field] !== undefined) rows.push([`${prefix}.${field}`, formatValue(variant[field])]);
    for (const image of variant.DeployedImages ?? []) rows.push([`${prefix}.DeployedImages.SpecifiedImage`, formatValue(image.SpecifiedImage)]);
  }
  return htmlTable(["field", "value"], rows);
}
