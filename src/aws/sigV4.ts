/**
 * AWS Signature Version 4 (header form), written out step by step so local mode can check what the AWS
 * SDKs send: the canonical request, the string to sign, the HMAC chain that derives the signing key,
 * and a verifier that answers why a request does not pass. Reference: "Create a signed AWS API
 * request" in the IAM user guide; the aws-sig-v4 test suite's vectors are in its test.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { InputError } from "../errors";

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** How far a request's `x-amz-date` may be from the server's clock, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A request as it arrived: the target exactly as on the request line, headers as name/value pairs in order. */
export interface SignableRequest {
  method: string;
  /** Path and query as sent (`/bucket/a%20b?list-type=2`), never normalised by the server first. */
  target: string;
  /** Every header line in arrival order (Node's `rawHeaders`, paired up). */
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** Hex SHA-256 of the body, or the value of `x-amz-content-sha256` (`UNSIGNED-PAYLOAD`, `STREAMING-...`). */
  payloadHash: string;
}

export interface SigningScope {
  /** `20150830` */
  date: string;
  region: string;
  service: string;
}

export const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest();

/** RFC 3986 encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` percent-encoded, upper-case hex. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The canonical URI. S3 signs the path as sent; every other service signs it with `.`/`..`/empty
 * segments removed and encoded once more (what the AWS SDKs do for them).
 */
export function canonicalUri(path: string, service: string): string {
  if (service === "s3") return path === "" ? "/" : path;
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalised = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return uriEncode(normalised).replace(/%2F/g, "/");
}

/** The canonical query string: parameters decoded, re-encoded, sorted by name, then by value. */
export function canonicalQuery(query: string): string {
  if (query === "") return "";
  const pairs = query
    .split("&")
    .filter((part) => part !== "")
    .map((part) => {
      const equals = part.indexOf("=");
      const name = equals < 0 ? part : part.slice(0, equals);
      const value = equals < 0 ? "" : part.slice(equals + 1);
      return [uriEncode(safeDecode(name)), uriEncode(safeDecode(value))] as const;
    })
    .filter(([name]) => name.toLowerCase() !== "x-amz-signature");
  pairs.sort(([nameA, valueA], [nameB, valueB]) => (nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

/** `name:value` lines of the signed headers (values trimmed, inner runs of spaces collapsed, repeats joined by commas). */
export function canonicalHeaders(headers: SignableRequest["headers"], signedHeaders: readonly string[]): string {
  const values = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const list = values.get(lower) ?? [];
    list.push(value.trim().replace(/\s+/g, " "));
    values.set(lower, list);
  }
  return signedHeaders.map((name) => `${name}:${(values.get(name) ?? []).join(",")}\n`).join("");
}

/** The canonical request of SigV4's first step. */
export function canonicalRequest(request: SignableRequest, signedHeaders: readonly string[], service: string): string {
  const question = request.target.indexOf("?");
  const path = question < 0 ? request.target : request.target.slice(0, question);
  const query = question < 0 ? "" : request.target.slice(question + 1);
  return [
    request.method.toUpperCase(),
    canonicalUri(path, service),
    canonicalQuery(query),
    canonicalHeaders(request.headers, signedHeaders),
    signedHeaders.join(";"),
    request.payloadHash,
  ].join("\n");
}

export function credentialScope(scope: SigningScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}

/** SigV4's string to sign: algorithm, request time, scope and the hash of the canonical request. */
export function stringToSign(amzDate: string, scope: SigningScope, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate, credentialScope(scope), sha256Hex(canonical)].join("\n");
}

/** The signing key: HMAC chain of date, region, service and "aws4_request" from "AWS4" + secret. */
export function signingKey(secretAccessKey: string, scope: SigningScope): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, scope.date);
  const regionKey = hmac(dateKey, scope.region);
  const serviceKey = hmac(regionKey, scope.service);
  return hmac(serviceKey, "aws4_request");
}

/** The hex signature of a request signed over `signedHeaders`. */
export function signature(request: SignableRequest, credentials: Credentials, amzDate: string, scope: SigningScope, signedHeaders: readonly string[]): string {
  const canonical = canonicalRequest(request, signedHeaders, scope.service);
  return createHmac("sha256", signingKey(credentials.secretAccessKey, scope)).update(stringToSign(amzDate, scope, canonical), "utf8").digest("hex");
}

/**
 * The `Authorization` header for a request that already carries `host` and `x-amz-date` (and any other
 * header to sign): every header given is signed.
 */
export function authorizationHeader(request: SignableRequest, credentials: Credentials, region: string, service: string): string {
  const amzDate = headerValue(request.headers, "x-amz-date");
  if (!amzDate) throw new InputError("sign a request that has an x-amz-date header");
  const scope = { date: amzDate.slice(0, 8), region, service };
  const signedHeaders = [...new Set(request.headers.map(([name]) => name.toLowerCase()))].sort();
  const signed = signature(request, credentials, amzDate, scope, signedHeaders);
  return `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope(scope)}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signed}`;
}

function headerValue(headers: SignableRequest["headers"], name: string): string | undefined {
  return headers.find(([header]) => header.toLowerCase() === name)?.[1];
}

/** `20150830T123600Z` for a time. */
export function amzDate(time: Date): string {
  return time.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Why a request does not pass, in the terms AWS's errors use. */
export type SigV4Failure =
  | { kind: "missing"; message: string }
  | { kind: "malformed"; message: string }
  | { kind: "unknown-key"; message: string; accessKeyId: string }
  | { kind: "expired"; message: string }
  | { kind: "mismatch"; message: string; canonicalRequest: string; stringToSign: string };

export type SigV4Result = { ok: true; accessKeyId: string; scope: SigningScope } | ({ ok: false } & SigV4Failure);

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header. */
export interface ParsedAuthorization {
  accessKeyId: string;
  scope: SigningScope;
  signedHeaders: string[];
  signature: string;
}

/** Parses the Authorization header; `undefined` when it is not a SigV4 header of the expected form. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(header);
  if (!match) return undefined;
  const parts = match[1].split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || !/^\d{8}$/.test(parts[1]) || parts[0] === "") return undefined;
  // Region and service names are lower-case words joined by hyphens (us-east-1, sagemaker, s3).
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(parts[2]) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(parts[3])) return undefined;
  const signedHeaders = match[2].split(";");
  if (signedHeaders.some((name) => !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name))) return undefined;
  return { accessKeyId: parts[0], scope: { date: parts[1], region: parts[2], service: parts[3] }, signedHeaders, signature: match[3] };
}

/**
 * Verifies a SigV4 header signature against the secret `secretFor` returns for its access key id (or
 * `undefined` for a key it does not know), at `now`.
 */
export function verifySigV4(request: SignableRequest, secretFor: (accessKeyId: string) => string | undefined, now: number = Date.now()): SigV4Result {
  const header = headerValue(request.headers, "authorization");
  if (header === undefined || header === "") {
    return { ok: false, kind: "missing", message: "the request is not signed: send it with an AWS SDK (or sign it with AWS Signature Version 4) using local mode's credentials" };
  }
  const parsed = parseAuthorization(header);
  if (!parsed) {
    return { ok: false, kind: "malformed", message: "the Authorization header is not an AWS4-HMAC-SHA256 header of the form Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=..." };
  }
  const secret = secretFor(parsed.accessKeyId);
  if (secret === undefined) {
    return { ok: false, kind: "unknown-key", accessKeyId: parsed.accessKeyId, message: "The security token included in the request is invalid." };
  }
  if (!parsed.signedHeaders.includes("host")) return { ok: false, kind: "malformed", message: "the signature must cover the host header (SignedHeaders lacks host)" };
  const dateHeader = headerValue(request.headers, "x-amz-date");
  const requestTime = dateHeader === undefined ? undefined : parseAmzDate(dateHeader);
  if (dateHeader === undefined || requestTime === undefined || !parsed.signedHeaders.includes("x-amz-date")) {
    return { ok: false, kind: "malformed", message: "the request needs a signed x-amz-date header in the form 20150830T123600Z" };
  }
  if (dateHeader.slice(0, 8) !== parsed.scope.date) {
    return { ok: false, kind: "malformed", message: `the credential scope's date ${parsed.scope.date} is not the date of x-amz-date ${dateHeader}` };
  }
  if (Math.abs(now - requestTime) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, kind: "expired", message: `Signature expired: ${dateHeader} is more than 15 minutes from the server's time ${amzDate(new Date(now))}: check the clock` };
  }
  const canonical = canonicalRequest(request, parsed.signedHeaders, parsed.scope.service);
  const toSign = stringToSign(dateHeader, parsed.scope, canonical);
  const expected = createHmac("sha256", signingKey(secret, parsed.scope)).update(toSign, "utf8").digest();
  if (!timingSafeEqual(expected, Buffer.from(parsed.signature, "hex"))) {
    return {
      ok: false,
      kind: "mismatch",
      canonicalRequest: canonical,
      stringToSign: toSign,
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method: local mode's credentials are the ones it was started with.",
    };
  }
  return { ok: true, accessKeyId: parsed.accessKeyId, scope: parsed.scope };
}
