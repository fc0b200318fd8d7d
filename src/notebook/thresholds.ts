/** Notebook 04's threshold chart data: multi-label metrics at each threshold, from the evaluation's own metric. */
import type { ThresholdPoint } from "../charts/thresholdCurve";
import { multiLabelMetrics } from "../evaluation/multiLabel";

/**
 * Micro precision, recall and F1 of multi-label decisions at thresholds 0.05, 0.10, ... 0.95 (or `thresholds`):
 * a label is predicted for a text when its own (multi-label) score reaches the threshold.
 */
export function thresholdSweep(
  predictions: readonly { gold: string; scores: Readonly<Record<string, number>> }[],
  labels: readonly string[],
  thresholds: readonly number[] = Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100),
): ThresholdPoint[] {
  const gold = predictions.map((p) => [p.gold]);
  const scores = predictions.map((p) => p.scores);
  return thresholds.map((threshold) => {
    const metrics = multiLabelMetrics(gold, scores, labels, threshold);
    return { threshold, precision: metrics.microPrecision, recall: metrics.microRecall, f1: metrics.microF1, labelsPerText: metrics.meanPredictedLabels };
  });
}
