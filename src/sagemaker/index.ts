/** The SageMaker workflow (deploy, invoke, batch transform, clean up) and its local mode. */
export * from "./clients";
export * from "./deploy";
export * from "./cleanup";
export * from "./invoke";
export * from "./batchTransform";
export * from "./images";
export * from "./errors";
export * from "./progress";
export * from "./s3Uri";
export { startLocalSageMaker, defaultLocalDataDir, type LocalSageMaker, type LocalSageMakerOptions } from "./local/server";
