/**
 * Parsing and building the one request shape shared by every path (types in `./types`): the CLI's
 * `--input` lines, the server, the SageMaker client and batch transform all parse with these
 * functions, so they cannot drift apart.
 */
import { InputError } from "../errors";
import type { ClassifyOptions, NormalizedRequest, ZeroShotParameters, ZeroShotRequest } from "./types";
import { DEFAULT_HYPOTHESIS_TEMPLATE, parseCandidateLabels, parseSequences, validateTemplate } from "../nli/hypotheses";

/** Validates a parsed JSON request body; every problem is an `InputError` that names the field. */
export function parseZeroShotRequest(body: unknown, defaults: { candidateLabels?: string[] } = {}): NormalizedRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new InputError(
      'the request must be a JSON object like {"inputs": "text", "parameters": {"candidate_labels": ["A", "B"]}}',
    );
  }
  const { inputs, parameters } = body as { inputs?: unknown; parameters?: unknown };
  if (inputs === undefined) throw new InputError('the request has no "inputs": give the text (or list of texts) to classify');
  if (parameters !== undefined && (parameters === null || typeof parameters !== "object" || Array.isArray(parameters))) {
    throw new InputError('"parameters" must be an object like {"candidate_labels": ["A", "B"], "multi_label": false}');
  }
  const params = (parameters ?? {}) as Record<string, unknown>;
  const sequences = parseSequences(inputs as string | string[]);
  const rawLabels = params.candidate_labels ?? defaults.candidateLabels;
  const candidateLabels = parseCandidateLabels(rawLabels as string | string[] | undefined);
  const multiLabel = params.multi_label ?? false;
  if (typeof multiLabel !== "boolean") {
    throw new InputError(`"multi_label" must be true or false, not ${JSON.stringify(multiLabel)}`);
  }
  const hypothesisTemplate = params.hypothesis_template ?? DEFAULT_HYPOTHESIS_TEMPLATE;
  if (typeof hypothesisTemplate !== "string") {
    throw new InputError(`"hypothesis_template" must be a string with "{}", not ${JSON.stringify(hypothesisTemplate)}`);
  }
  validateTemplate(hypothesisTemplate);
  return { sequences, single: typeof inputs === "string", candidateLabels, multiLabel, hypothesisTemplate };
}

/** The JumpStart request for texts and labels (the inverse of `parseZeroShotRequest`). */
export function toZeroShotRequest(
  inputs: string | string[],
  candidateLabels: string | string[],
  options: ClassifyOptions = {},
): ZeroShotRequest {
  const parameters: ZeroShotParameters = {
    candidate_labels: parseCandidateLabels(candidateLabels),
    multi_label: options.multiLabel ?? false,
  };
  if (options.hypothesisTemplate !== undefined) parameters.hypothesis_template = validateTemplate(options.hypothesisTemplate);
  return { inputs, parameters };
}
