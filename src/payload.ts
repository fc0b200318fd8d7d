/**
 * The one request and response shape shared by every path, local and remote: the Hugging Face /
 * SageMaker JumpStart zero-shot payload. The CLI's `--input` lines, the server, the SageMaker client
 * and batch transform all parse and answer with these types, so they cannot drift apart.
 */
import { InputError } from "./errors";
import { DEFAULT_HYPOTHESIS_TEMPLATE, parseCandidateLabels, parseSequences, validateTemplate } from "./nli/hypotheses";

/** `parameters` of a zero-shot request, as the Hugging Face inference toolkit reads them. */
export interface ZeroShotParameters {
  candidate_labels: string | string[];
  multi_label?: boolean;
  hypothesis_template?: string;
}

/** `{"inputs": ..., "parameters": {...}}`: what SageMaker JumpStart and the HF container accept. */
export interface ZeroShotRequest {
  inputs: string | string[];
  parameters: ZeroShotParameters;
}

/** One classified text: labels sorted by score, highest first. */
export interface ZeroShotResult {
  sequence: string;
  labels: string[];
  scores: number[];
}

/** What `classify` accepts besides texts and labels. */
export interface ClassifyOptions {
  /** Score each label independently (scores need not sum to 1). Default false. */
  multiLabel?: boolean;
  /** Template with `{}` for the label. Default "This example is {}.". */
  hypothesisTemplate?: string;
}

/** A request after validation: texts as a list, labels parsed, defaults filled. */
export interface NormalizedRequest {
  sequences: string[];
  /** True when `inputs` was one string: the answer is then one object, not a list. */
  single: boolean;
  candidateLabels: string[];
  multiLabel: boolean;
  hypothesisTemplate: string;
}

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
