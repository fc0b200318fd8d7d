/**
 * The AWS SDK clients the workflow uses, built for AWS or for local mode. This is the only place
 * the two modes differ: local mode points every client at the emulator's URL with its static
 * credentials (`local`/`local` unless the emulator was started with others) and path-style S3; every
 * call after that is the same code.
 */
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { S3Client } from "@aws-sdk/client-s3";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import type { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { createRuntimeClient } from "../backends/sagemaker/runtimeClient";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../aws/localAccount";

export { LOCAL_CREDENTIALS, LOCAL_REGION, LOCAL_ROLE_ARN } from "../aws/localAccount";

/** Where the workflow runs: AWS (default credential chain) or the local emulator at `endpoint`. */
export type SageMakerTarget =
  | { mode: "aws"; region?: string }
  | { mode: "local"; endpoint: string; region?: string; credentials?: { accessKeyId: string; secretAccessKey: string } };

export interface SageMakerClients {
  mode: "aws" | "local";
  sagemaker: SageMakerClient;
  runtime: SageMakerRuntimeClient;
  s3: S3Client;
  /** Application Auto Scaling, for endpoint autoscaling. */
  autoscaling: ApplicationAutoScalingClient;
  /** How often waits poll: SageMaker moves in minutes, local mode in moments. */
  pollIntervalMs: number;
}

/**
 * Builds the clients for a target.
 * @example
 * const aws = sageMakerClients({ mode: "aws", region: "us-east-1" });
 * const local = sageMakerClients({ mode: "local", endpoint: "http://127.0.0.1:8787" });
 */
export function sageMakerClients(target: SageMakerTarget): SageMakerClients {
  if (target.mode === "local") {
    const config = { endpoint: target.endpoint, region: target.region ?? LOCAL_REGION, credentials: { ...(target.credentials ?? LOCAL_CREDENTIALS) } };
    return {
      mode: "local",
      sagemaker: new SageMakerClient(config),
      runtime: createRuntimeClient(config),
      s3: new S3Client({ ...config, forcePathStyle: true }),
      autoscaling: new ApplicationAutoScalingClient(config),
      pollIntervalMs: 200,
    };
  }
  const config = target.region ? { region: target.region } : {};
  return {
    mode: "aws",
    sagemaker: new SageMakerClient(config),
    runtime: createRuntimeClient(config),
    s3: new S3Client(config),
    autoscaling: new ApplicationAutoScalingClient(config),
    pollIntervalMs: 15_000,
  };
}

/** The region the clients resolved (from the target, `AWS_REGION` or the AWS config files). */
export async function clientRegion(clients: SageMakerClients): Promise<string> {
  return clients.sagemaker.config.region();
}

/** Closes the clients' connection pools. */
export function destroyClients(clients: SageMakerClients): void {
  clients.sagemaker.destroy();
  clients.runtime.destroy();
  clients.s3.destroy();
  clients.autoscaling.destroy();
}
