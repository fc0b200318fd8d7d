/**
 * The checks the control plane makes on request fields before it touches a resource, worded as
 * SageMaker words them (`1 validation error detected: Value ... at 'field' failed to satisfy constraint`).
 */
import type { CreateTransformJobRequest } from "@aws-sdk/client-sagemaker";
import { invalidField, SageMakerApiError } from "./apiErrors";
import type { TransformJobSpec } from "./transformJob";
import { TRANSFORM_DEFAULT_MAX_PAYLOAD_MB } from "../aws/sagemaker";

/** SageMaker's pattern for model, endpoint config, endpoint and job names. */
const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** A resource name (`ModelName`, `EndpointName` ...), or SageMaker's ValidationException naming the field. */
export function requireName(value: unknown, field: string): string {
  if (typeof value !== "string" || !NAME_PATTERN.test(value)) {
    throw invalidField(field.charAt(0).toLowerCase() + field.slice(1), value, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  }
  return value;
}

/** A transform job request whose input and output settings local mode can honour, with its defaults filled in. */
export type ValidTransformJobInput = CreateTransformJobRequest & TransformJobSpec;

/** Checks the batch settings local mode can honour; anything else is refused up front, as AWS would. */
export function validateTransformJob(
  input: CreateTransformJobRequest,
): Pick<ValidTransformJobInput, "TransformInput" | "TransformOutput" | "BatchStrategy" | "MaxPayloadInMB"> {
  const transformInput = input.TransformInput;
  const transformOutput = input.TransformOutput;
  const source = transformInput?.DataSource?.S3DataSource;
  const uri = source?.S3Uri;
  if (typeof uri !== "string" || !/^(s3|file):\/\//.test(uri)) {
    throw invalidField("transformInput.dataSource.s3DataSource.s3Uri", uri, "Member must be an s3:// (or, in local mode, file://) location");
  }
  const dataType = source?.S3DataType ?? "S3Prefix";
  if (dataType !== "S3Prefix") throw new SageMakerApiError("ValidationException", `local mode reads S3DataType=S3Prefix only, not ${dataType}`);
  if (typeof transformOutput?.S3OutputPath !== "string" || !/^(s3|file):\/\//.test(transformOutput.S3OutputPath)) {
    throw invalidField("transformOutput.s3OutputPath", transformOutput?.S3OutputPath, "Member must be an s3:// (or, in local mode, file://) location");
  }
  const split = transformInput?.SplitType ?? "None";
  if (split !== "None" && split !== "Line") {
    throw new SageMakerApiError("ValidationException", `local mode splits input by SplitType=Line (one JSON payload per line) or None, not ${split}`);
  }
  const strategy = input.BatchStrategy ?? "SingleRecord";
  if (strategy !== "SingleRecord") {
    throw new SageMakerApiError(
      "ValidationException",
      `local mode runs BatchStrategy=SingleRecord only (the Hugging Face container parses one JSON payload per request), not ${strategy}`,
    );
  }
  if ((transformInput?.CompressionType ?? "None") !== "None") {
    throw new SageMakerApiError("ValidationException", `local mode reads uncompressed input only (CompressionType=None)`);
  }
  const assemble = transformOutput.AssembleWith ?? "None";
  if (assemble !== "None" && assemble !== "Line") throw invalidField("transformOutput.assembleWith", assemble, "Member must satisfy enum value set: [None, Line]");
  const maxPayload: unknown = input.MaxPayloadInMB;
  if (maxPayload !== undefined && (typeof maxPayload !== "number" || !Number.isInteger(maxPayload) || maxPayload < 0 || maxPayload > 100)) {
    throw invalidField("maxPayloadInMB", maxPayload, "Member must have value between 0 and 100");
  }
  const data = input.DataProcessing;
  if (data && (data.InputFilter !== undefined || data.OutputFilter !== undefined || (data.JoinSource ?? "None") !== "None")) {
    throw new SageMakerApiError("ValidationException", `local mode does not apply DataProcessing filters or JoinSource: join answers to inputs on the client`);
  }
  return {
    TransformInput: { ...transformInput, DataSource: { ...transformInput?.DataSource, S3DataSource: { ...source, S3DataType: dataType, S3Uri: uri } } },
    TransformOutput: { ...transformOutput, S3OutputPath: transformOutput.S3OutputPath },
    BatchStrategy: strategy,
    MaxPayloadInMB: input.MaxPayloadInMB ?? TRANSFORM_DEFAULT_MAX_PAYLOAD_MB,
  };
}
