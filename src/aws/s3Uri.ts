/** `s3://bucket/key` locations, parsed and joined the way SageMaker reads them. */
import { InputError } from "../errors";

export interface S3Location {
  bucket: string;
  /** The key or key prefix, without a leading slash; may be empty. */
  key: string;
}

/** Parses `s3://bucket/key`; anything else is an `InputError` that shows the expected form. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match || match[1] === "") {
    throw new InputError(`${JSON.stringify(uri)} is not an S3 location: write it as s3://bucket/prefix (e.g. s3://my-bucket/zero-shot/)`);
  }
  return { bucket: match[1], key: match[2] };
}

/** `s3://bucket/prefix` + `name` with exactly one slash between them. */
export function joinS3Uri(base: string, ...names: string[]): string {
  return names.reduce((uri, name) => `${uri.replace(/\/+$/, "")}/${name.replace(/^\/+/, "")}`, base);
}

export function formatS3Uri({ bucket, key }: S3Location): string {
  return `s3://${bucket}/${key}`;
}
