/**
 * The wire and result types shared by every path, local and remote: the Hugging Face / SageMaker
 * JumpStart zero-shot payload. The bottom layer: it imports nothing, so the NLI math, the backends,
 * the server and the SageMaker workflow can all use it.
 */
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
