/** Failures of the SageMaker workflow (deploy, batch transform), with what to do about them. */
import { ZeroShotError } from "../errors";

/** SageMaker reported a resource as Failed, or a call was refused; `failureReason` is SageMaker's own words. */
export class SageMakerWorkflowError extends ZeroShotError {
  constructor(
    message: string,
    readonly failureReason?: string,
    options?: { cause?: unknown },
  ) {
    super("sagemaker_failed", message, options);
  }
}

/** A wait for a SageMaker state ran out of time; the resource may still get there. */
export class SageMakerTimeoutError extends ZeroShotError {
  constructor(message: string) {
    super("sagemaker_timeout", message);
  }
}
