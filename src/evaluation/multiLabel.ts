import { InputError } from "../errors";
import { checkSameLength } from "./accuracy";
import { binaryMetrics, f1Score, type ClassMetrics } from "./classMetrics";

/** Metrics of multi-label predictions: a label is predicted when its own score reaches the threshold. */
export interface MultiLabelMetrics {
  threshold: number;
  /** Share of examples whose predicted label set equals the gold set exactly. */
  subsetAccuracy: number;
  /** Share of (example, label) decisions that are wrong. */
  hammingLoss: number;
  microPrecision: number;
  microRecall: number;
  microF1: number;
  /** Mean F1 over labels that occur as gold or prediction. */
  macroF1: number;
  /** Mean size of the predicted label sets. */
  meanPredictedLabels: number;
  perLabel: ClassMetrics[];
}

/**
 * Multi-label metrics at `threshold`. `scores[i][label]` is example i's independent score of a label
 * (multi_label=true); `gold[i]` its set of gold labels.
 */
export function multiLabelMetrics(
  gold: readonly (readonly string[])[],
  scores: readonly Readonly<Record<string, number>>[],
  labels: readonly string[],
  threshold = 0.5,
): MultiLabelMetrics {
  if (!(threshold >= 0 && threshold <= 1)) throw new InputError(`the multi-label threshold must be between 0 and 1, not ${threshold}`);
  checkSameLength(gold, scores, "score sets");
  const truePositives = labels.map(() => 0);
  const support = labels.map(() => 0);
  const predictedCount = labels.map(() => 0);
  let exact = 0;
  let wrongDecisions = 0;
  let predictedTotal = 0;
  gold.forEach((goldLabels, i) => {
    let allRight = true;
    labels.forEach((label, j) => {
      const isGold = goldLabels.includes(label);
      const isPredicted = (scores[i][label] ?? 0) >= threshold;
      if (isGold) support[j]++;
      if (isPredicted) {
        predictedCount[j]++;
        predictedTotal++;
      }
      if (isGold && isPredicted) truePositives[j]++;
      if (isGold !== isPredicted) {
        allRight = false;
        wrongDecisions++;
      }
    });
    if (allRight) exact++;
  });
  const perLabel = labels.map((label, j) => binaryMetrics(label, truePositives[j], support[j], predictedCount[j]));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const microPrecision = predictedTotal === 0 ? 0 : sum(truePositives) / predictedTotal;
  const microRecall = sum(support) === 0 ? 0 : sum(truePositives) / sum(support);
  const present = perLabel.filter((metrics) => metrics.support > 0 || metrics.predicted > 0);
  return {
    threshold,
    subsetAccuracy: exact / gold.length,
    hammingLoss: wrongDecisions / (gold.length * labels.length),
    microPrecision,
    microRecall,
    microF1: f1Score(microPrecision, microRecall),
    macroF1: present.length === 0 ? 0 : sum(present.map((metrics) => metrics.f1)) / present.length,
    meanPredictedLabels: predictedTotal / gold.length,
    perLabel,
  };
}
