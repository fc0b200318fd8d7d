/**
 * Zero-shot classification over any NLI pair scorer: local transformers.js, a cache in front of it,
 * or a micro-batching queue in a server. The NLI math lives in `nli/`; this file only pairs every text
 * with every hypothesis, asks the scorer for logits, and ranks.
 */
import { hypothesesFor, parseCandidateLabels, parseSequences, DEFAULT_HYPOTHESIS_TEMPLATE } from "../nli/hypotheses";
import { labelScores, rankLabels } from "../nli/scores";
import type { ZeroShotResult } from "../payload/types";
import type { ClassifyCallOptions, NliScorer } from "./contract";

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
  const logits = await scorer.scorePairs(pairs, { onProgress: options.onProgress, signal: options.signal });
  return sequences.map((sequence, textIndex) => {
    const own = logits.slice(textIndex * labels.length, (textIndex + 1) * labels.length);
    return rankLabels(sequence, labels, labelScores(own, scorer.labelIds, options.multiLabel ?? false));
  });
}
