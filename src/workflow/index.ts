/** The SageMaker workflow (deploy, invoke, batch transform, clean up) and its local mode. */
export * from "./clients";
export * from "./deploy";
export * from "./cleanup";
export * from "./invoke";
export * from "./batchTransform";
export * from "./images";
export * from "./errors";
export * from "./progress";
export * from "../aws/s3Uri";
export { startLocalSageMaker, defaultLocalDataDir, type LocalSageMaker, type LocalSageMakerOptions } from "../emulator/server";
export * from "./evaluateWithBatchTransform";
