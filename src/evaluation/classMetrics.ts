import type { ConfusionMatrix } from "./confusionMatrix";

/** Precision, recall and F1 of one label, with its support (gold examples) and how often it was predicted. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  predicted: number;
}

/** F1 from precision and recall; 0 when both are 0. */
export function f1Score(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Precision, recall and F1 from counts; a ratio with a zero denominator is 0 (as scikit-learn's zero_division=0). */
export function binaryMetrics(label: string, truePositives: number, support: number, predicted: number): ClassMetrics {
  const precision = predicted === 0 ? 0 : truePositives / predicted;
  const recall = support === 0 ? 0 : truePositives / support;
  return { label, precision, recall, f1: f1Score(precision, recall), support, predicted };
}

/** Per-label metrics from a confusion matrix, in its label order. */
export function perClassMetrics(matrix: ConfusionMatrix): ClassMetrics[] {
  return matrix.labels.map((label, i) => {
    const support = matrix.counts[i].reduce((a, b) => a + b, 0);
    const predicted = matrix.counts.reduce((sum, row) => sum + row[i], 0);
    return binaryMetrics(label, matrix.counts[i][i], support, predicted);
  });
}

/**
 * The unweighted mean F1 over labels that occur as gold or prediction (scikit-learn's default label set),
 * so a candidate label nobody has or predicts does not pull the mean down.
 */
export function macroF1(perClass: readonly ClassMetrics[]): number {
  const present = perClass.filter((metrics) => metrics.support > 0 || metrics.predicted > 0);
  return present.length === 0 ? 0 : present.reduce((sum, metrics) => sum + metrics.f1, 0) / present.length;
}
