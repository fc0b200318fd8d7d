/**
 * Turns a control-plane request body into the operation's input, or refuses it the way the service
 * does (`SerializationException`, 400) before any handler runs: bytes that are not UTF-8, JSON nested
 * deeper than any SageMaker request (checked by scanning brackets before `JSON.parse` can recurse), a
 * body that is not a JSON object, and a member of the wrong type anywhere in the request. Types come
 * from the AWS SDK's own model of each operation's input, so they are SageMaker's, not a copy.
 */
import * as sagemaker from "@aws-sdk/client-sagemaker";
import { NormalizedSchema } from "@smithy/core/schema";
import type { StaticStructureSchema } from "@smithy/types";
import { SageMakerApiError } from "./apiErrors";

/** No SageMaker request nests deeper than this; a body that does is refused before parsing. */
export const MAX_JSON_DEPTH = 64;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function serializationError(message: string): SageMakerApiError {
  return new SageMakerApiError("SerializationException", message);
}

/** The deepest `[`/`{` nesting of a JSON text, counted outside strings, stopping once it passes `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** The body as a JSON object (an empty body is `{}`, as awsJson1_1 allows), or a SerializationException. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw serializationError("the request body is not valid UTF-8: send the JSON text encoded as UTF-8");
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw serializationError(`the request body nests JSON deeper than ${MAX_JSON_DEPTH} levels: no SageMaker request does`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw serializationError("the request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw serializationError(`the request body must be a JSON object of the operation's fields, not ${parsed === null ? "null" : Array.isArray(parsed) ? "an array" : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}

const describeValue = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : typeof value);
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function expected(path: string, what: string, value: unknown): SageMakerApiError {
  return serializationError(`${path} must be ${what}, not ${describeValue(value)}`);
}

/** Checks `value` against a schema of the SDK's model, naming the first member of the wrong type. */
function checkValue(schema: NormalizedSchema, value: unknown, path: string): void {
  if (schema.isDocumentSchema()) return;
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    if (!isPlainObject(value)) throw expected(path, "an object", value);
    const members = new Map(schema.structIterator());
    for (const [name, member] of Object.entries(value)) {
      const memberSchema = members.get(name);
      if (!memberSchema) throw serializationError(`${path}.${name} is not a field of ${schema.getName() ?? "this structure"}: check its spelling`);
      checkValue(memberSchema, member, `${path}.${name}`);
    }
    if (schema.isUnionSchema() && Object.keys(value).length !== 1) throw serializationError(`${path} must set exactly one of its fields`);
    return;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) throw expected(path, "a list", value);
    const item = schema.getValueSchema();
    value.forEach((element, index) => checkValue(item, element, `${path}[${index}]`));
    return;
  }
  if (schema.isMapSchema()) {
    if (!isPlainObject(value)) throw expected(path, "a map (a JSON object)", value);
    const item = schema.getValueSchema();
    for (const [key, element] of Object.entries(value)) checkValue(item, element, `${path}.${key}`);
    return;
  }
  if (schema.isStringSchema() || schema.isBlobSchema()) {
    if (typeof value !== "string") throw expected(path, "a string", value);
    return;
  }
  if (schema.isBooleanSchema()) {
    if (typeof value !== "boolean") throw expected(path, "true or false", value);
    return;
  }
  if (schema.isNumericSchema() || schema.isTimestampSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) {
    if (typeof value !== "number" || !Number.isFinite(value)) throw expected(path, "a number", value);
    return;
  }
}

/** The SDK's schema of an operation's input (`CreateModelInput$`, or `...Request$` where the model names it so). */
function inputSchema(operation: string): StaticStructureSchema | undefined {
  const exports = sagemaker as unknown as Record<string, StaticStructureSchema | undefined>;
  for (const name of [`${operation}Input$`, `${operation}Request$`]) {
    if (Object.hasOwn(exports, name)) return exports[name];
  }
  return undefined;
}

/**
 * Checks a parsed body against the operation's input model; every member has SageMaker's type when
 * this returns.
 */
export function checkInputShape(operation: string, input: Record<string, unknown>): void {
  const schema = inputSchema(operation);
  if (!schema) return;
  checkValue(NormalizedSchema.of(schema), input, operation.replace(/^./, (c) => c.toLowerCase()) + "Input");
}
