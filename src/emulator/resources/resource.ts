/** What every resource handler of the control plane shares: the request's region, ARNs and times. */
import { LOCAL_ACCOUNT_ID } from "../../aws/localAccount";

/** Per-request facts: the region comes from the request's signature, so each call names its own. */
export interface RequestContext {
  region: string;
}

/** `arn:aws:sagemaker:<region>:<account>:<kind>/<name>`, lower-cased as SageMaker writes it. */
export function resourceArn(context: RequestContext, kind: string, name: string): string {
  return `arn:aws:sagemaker:${context.region}:${LOCAL_ACCOUNT_ID}:${kind}/${name.toLowerCase()}`;
}

/** Seconds since the epoch, as the emulator records times. */
export const now = (): number => Date.now() / 1000;

/** A recorded time as the `Date` the SDK's output types carry (serialized back to epoch seconds on the wire). */
export const toDate = (seconds: number): Date => new Date(seconds * 1000);
