/**
 * Zero-shot classification over any NLI pair scorer: local transformers.js, a cache in front of it,
 * or a micro-batching queue in a server. The NLI math lives in `nli/`; this file only pairs every text
 * with every hypothesis, asks the scorer for logits, and ranks.
 */
import { hypothesesFor, parseCandidateLabels, parseSequences, DEFAULT_HYPOTHESIS_TEMPLATE } from "./nli/hypotheses";
import type { NliLabelIds } from "./nli/labels";
import { labelScores, rankLabels, type PairLogits } from "./nli/scores";
import type { ClassifyOptions, ZeroShotResult } from "./payload";

/** One NLI input: the text to classify is the premise, a label's hypothesis the hypothesis. */
export interface PremiseHypothesisPair {
  premise: string;
  hypothesis: string;
}

/** Reports work done, in (premise, hypothesis) pairs. */
export type ProgressCallback = (done: number, total: number) => void;

/** Anything that turns (premise, hypothesis) pairs into NLI logits. */
export interface NliScorer {
  /** The model's name or directory, as the user gave it. */
  readonly modelId: string;
  /** Where entailment and contradiction sit in each pair's logits. */
  readonly labelIds: NliLabelIds;
  /** Logits for every pair, in the order given. */
  scorePairs(pairs: readonly PremiseHypothesisPair[], options?: { onProgress?: ProgressCallback }): Promise<PairLogits[]>;
}

/** Options of one classification call. */
export interface ClassifyCallOptions extends ClassifyOptions {
  onProgress?: ProgressCallback;
}

/**
 * Classifies every text against every label: one `{sequence, labels, scores}` per text, in text order.
 * Labels may be an array or a comma-separated string.
 */
export async function classifyWith(
  scorer: NliScorer,
  texts: string | readonly string[],
  candidateLabels: string | readonly string[],
  options: ClassifyCallOptions = {},
): Promise<ZeroShotResult[]> {
  const sequences = parseSequences(texts as string | string[]);
  const labels = parseCandidateLabels(candidateLabels);
  const hypotheses = hypothesesFor(labels, options.hypothesisTemplate ?? DEFAULT_HYPOTHESIS_TEMPLATE);
  const pairs = sequences.flatMap((premise) => hypotheses.map((hypothesis) => ({ premise, hypothesis })));
  const logits = await scorer.scorePairs(pairs, { onProgress: options.onProgress });
  return sequences.map((sequence, textIndex) => {
    const own = logits.slice(textIndex * labels.length, (textIndex + 1) * labels.length);
    return rankLabels(sequence, labels, labelScores(own, scorer.labelIds, options.multiLabel ?? false));
  });
}
