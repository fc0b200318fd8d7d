/** A real scorer behind a recorder: the test sees every batch of pairs a classifier asked for. */
import type { NliScorer, PremiseHypothesisPair } from "../../src/classification/contract";

export function recordingScorer(inner: NliScorer): NliScorer & { calls: PremiseHypothesisPair[][] } {
  const calls: PremiseHypothesisPair[][] = [];
  return {
    calls,
    modelId: inner.modelId,
    labelIds: inner.labelIds,
    scorePairs(pairs, options) {
      calls.push([...pairs]);
      return inner.scorePairs(pairs, options);
    },
  };
}
