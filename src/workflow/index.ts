/** The SageMaker workflow: deploy, invoke, batch transform, clean up (against AWS or the emulator in src/emulator/). */
export * from "./clients";
export * from "./deploy";
export * from "./cleanup";
export * from "./invoke";
export * from "./batchTransform";
export * from "./images";
export * from "./security";
export * from "./autoscaling";
export * from "../jumpstart";
export * from "./errors";
export * from "./progress";
export * from "../aws/s3Uri";
export * from "./evaluateWithBatchTransform";
