/** An evaluation as danfojs-node DataFrames (for notebooks) and as plain JSON (for files and the CLI). */
import type { DataFrame } from "danfojs-node";
import { danfo } from "../data/danfo";
import type { Evaluation } from "./evaluate";

/** One row per template: accuracy, macro-F1, top-k accuracies (and multi-label metrics when measured). */
export function summaryFrame(evaluation: Evaluation): DataFrame {
  return new (danfo().DataFrame)(summaryRows(evaluation));
}

export function summaryRows(evaluation: Evaluation): Record<string, string | number>[] {
  return evaluation.templates.map((t) => {
    const row: Record<string, string | number> = { template: t.template, texts: evaluation.size, accuracy: t.accuracy, macro_f1: t.macroF1 };
    for (const { k, accuracy } of t.topK) if (k > 1) row[`top_${k}_accuracy`] = accuracy;
    row.ece = t.reliability.expectedCalibrationError;
    if (t.multiLabel) {
      row.threshold = t.multiLabel.threshold;
      row.subset_accuracy = t.multiLabel.subsetAccuracy;
      row.micro_f1 = t.multiLabel.microF1;
      row.multi_label_macro_f1 = t.multiLabel.macroF1;
      row.hamming_loss = t.multiLabel.hammingLoss;
    }
    row.seconds = t.seconds;
    return row;
  });
}

/** One row per (template, label): precision, recall, F1, support, predicted. */
export function perClassFrame(evaluation: Evaluation): DataFrame {
  return new (danfo().DataFrame)(evaluation.templates.flatMap((t) => t.perClass.map((metrics) => ({ template: t.template, ...metrics }))));
}

/** The confusion matrix of one template (default the first): one row per gold label, one column per predicted label. */
export function confusionFrame(evaluation: Evaluation, template = 0): DataFrame {
  const { labels, counts } = evaluation.templates[template].confusion;
  return new (danfo().DataFrame)(counts, { columns: labels, index: labels });
}

/** One row per text of one template (default the first): text, gold, predicted, score, correct. */
export function predictionsFrame(evaluation: Evaluation, template = 0): DataFrame {
  return new (danfo().DataFrame)(evaluation.templates[template].predictions.map(({ text, gold, predicted, score, correct }) => ({ text, gold, predicted, score, correct })));
}

/**
 * The evaluation as JSON-ready data; per-text predictions only with `predictions: true` (they are
 * as long as the dataset).
 */
export function evaluationToJSON(evaluation: Evaluation, options: { predictions?: boolean } = {}): object {
  return {
    model: evaluation.model,
    labels: evaluation.labels,
    size: evaluation.size,
    multi_label: evaluation.multiLabel,
    left_out: evaluation.leftOut,
    templates: evaluation.templates.map((t) => ({
      template: t.template,
      accuracy: t.accuracy,
      macro_f1: t.macroF1,
      top_k: t.topK,
      per_class: t.perClass,
      confusion_matrix: t.confusion,
      reliability: {
        expected_calibration_error: t.reliability.expectedCalibrationError,
        bins: t.reliability.bins.map((bin) => ({ ...bin, meanConfidence: nullIfNaN(bin.meanConfidence), accuracy: nullIfNaN(bin.accuracy) })),
      },
      ...(t.multiLabel ? { multi_label_metrics: t.multiLabel } : {}),
      seconds: t.seconds,
      ...(options.predictions ? { predictions: t.predictions } : {}),
    })),
  };
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
