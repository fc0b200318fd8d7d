/**
 * The identity local mode answers as: one account, region and set of credentials shared by the
 * emulator (which signs its ARNs with them and verifies requests against them) and the workflow's
 * clients (which sign with them), so the two cannot drift apart.
 */

/** The account in local ARNs. */
export const LOCAL_ACCOUNT_ID = "000000000000";

/** The region local mode reports in ARNs when a request names none, and the clients sign for. */
export const LOCAL_REGION = "us-east-1";

/**
 * The credentials local mode accepts by default, on a loopback address only; an emulator reachable
 * from other machines needs credentials of the user's own (see `startLocalSageMaker`'s `credentials`).
 */
export const LOCAL_CREDENTIALS: Readonly<{ accessKeyId: string; secretAccessKey: string }> = { accessKeyId: "local", secretAccessKey: "local" };

/** Local mode's stand-in for the SageMaker execution role AWS requires. */
export const LOCAL_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/local-sagemaker`;
