import { InferenceError, InputError } from "../errors";
import type { ZeroShotResult } from "../payload/types";
import type { NliLabelIds } from "./labels";

/** The NLI model's output logits for one (premise, hypothesis) pair. */
export type PairLogits = ArrayLike<number>;

/**
 * Softmax that stays finite for any finite logits: the largest logit is subtracted first, so logits in
 * the hundreds (where `exp` overflows) give the same probabilities as small ones.
 */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exps = Array.from(logits, (value) => Math.exp(value - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

/**
 * Label scores from the logits of each label's (premise, hypothesis) pair, as the Python pipeline
 * computes them. Single-label: softmax of the entailment logits across labels, so scores sum to 1.
 * Multi-label (or one label only): each label on its own, softmax over [contradiction, entailment].
 */
export function labelScores(pairLogits: readonly PairLogits[], ids: NliLabelIds, multiLabel: boolean): number[] {
  if (pairLogits.length === 0) throw new InputError("no label logits to score: pass at least one candidate label");
  for (const logits of pairLogits) {
    if (logits.length !== ids.numLabels) {
      throw new InferenceError(
        `the model returned ${logits.length} logits for a pair but its config.json names ${ids.numLabels} labels: the model's ONNX graph and config disagree; re-export the model or fix its label2id`,
      );
    }
  }
  if (multiLabel || pairLogits.length === 1) {
    return pairLogits.map((logits) => softmax([logits[ids.contradiction], logits[ids.entailment]])[1]);
  }
  return softmax(pairLogits.map((logits) => logits[ids.entailment]));
}

/** `{sequence, labels, scores}` sorted by score, highest first; ties keep the labels' input order. */
export function rankLabels(sequence: string, labels: readonly string[], scores: readonly number[]): ZeroShotResult {
  if (labels.length !== scores.length) {
    throw new InputError(`${labels.length} labels but ${scores.length} scores: each label needs exactly one score`);
  }
  const order = labels.map((_, index) => index).sort((a, b) => scores[b] - scores[a] || a - b);
  return { sequence, labels: order.map((i) => labels[i]), scores: order.map((i) => scores[i]) };
}

/** A result's scores in the order of `labels` (a result lists them sorted by score). */
export function scoresInLabelOrder(labels: readonly string[], result: ZeroShotResult): number[] {
  return labels.map((label) => {
    const index = result.labels.indexOf(label);
    if (index < 0) throw new InputError(`label ${JSON.stringify(label)} is not in the result (it has ${result.labels.join(", ")})`);
    return result.scores[index];
  });
}
