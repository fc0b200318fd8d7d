/**
 * The backend contract, declared once: an `NliScorer` turns (premise, hypothesis) pairs into NLI
 * logits (the local transformers.js model, the score cache, the micro-batcher); a `ZeroShotBackend`
 * classifies texts against labels (the `ZeroShotClassifier` over any scorer, the `EndpointClassifier`
 * over a SageMaker endpoint). Everything above this layer talks to these two interfaces only.
 */
import type { NliLabelIds } from "../nli/labels";
import type { PairLogits } from "../nli/scores";
import type { ClassifyOptions, ZeroShotResult } from "../payload/types";

/** One NLI input: the text to classify is the premise, a label's hypothesis the hypothesis. */
export interface PremiseHypothesisPair {
  premise: string;
  hypothesis: string;
}

/** Reports work done, in (premise, hypothesis) pairs. */
export type ProgressCallback = (done: number, total: number) => void;

/** Options of one `scorePairs` call. */
export interface ScorePairsOptions {
  onProgress?: ProgressCallback;
  /** Aborted when nobody waits for the answer any more (a client hung up): queued work is dropped. */
  signal?: AbortSignal;
}

/** Anything that turns (premise, hypothesis) pairs into NLI logits. */
export interface NliScorer {
  /** The model's name or directory, as the user gave it. */
  readonly modelId: string;
  /** Where entailment and contradiction sit in each pair's logits. */
  readonly labelIds: NliLabelIds;
  /** Logits for every pair, in the order given. */
  scorePairs(pairs: readonly PremiseHypothesisPair[], options?: ScorePairsOptions): Promise<PairLogits[]>;
}

/** Options of one classification call. */
export interface ClassifyCallOptions extends ClassifyOptions {
  onProgress?: ProgressCallback;
  /** Drops the call's queued work once aborted (see `ScorePairsOptions.signal`). */
  signal?: AbortSignal;
}

/**
 * Anything that classifies texts against labels and says which model it is: a `ZeroShotClassifier`
 * (over a local model, or a `CachedScorer` in front of one) is one; so is a small adapter over a
 * SageMaker endpoint that sends `{inputs, parameters}` and returns its `{sequence, labels, scores}`.
 */
export interface ZeroShotBackend {
  readonly modelId: string;
  classify(texts: readonly string[], candidateLabels: readonly string[], options?: ClassifyCallOptions): Promise<ZeroShotResult[]>;
}

