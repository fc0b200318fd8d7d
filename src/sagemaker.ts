/**
 * `zero-shot-ts/sagemaker`: the SageMaker workflow (deploy, invoke, batch transform, clean up) and the
 * local SageMaker emulator it can run against, offline, with the unmodified AWS SDK clients.
 */
export * from "./workflow";
export { startLocalSageMaker, defaultLocalDataDir, type LocalSageMaker, type LocalSageMakerOptions } from "./emulator/server";
