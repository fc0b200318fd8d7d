/**
 * Evaluation of a zero-shot classifier on labelled texts: any backend (a local model, a cached scorer,
 * a remote SageMaker endpoint) behind a `ZeroShotClassifier` or an `NliScorer`, one or more hypothesis
 * templates compared on the same texts and labels.
 */
import type { DataFrame } from "danfojs-node";
import { ZeroShotClassifier } from "../classification/classifier";
import type { NliScorer, ZeroShotBackend } from "../classification/contract";
import type { ZeroShotResult } from "../payload/types";
import { InputError } from "../errors";
import { DEFAULT_HYPOTHESIS_TEMPLATE, parseCandidateLabels, validateTemplate } from "../nli/hypotheses";
import type { LabelledDataset } from "../data/load";
import { accuracy } from "./accuracy";
import { macroF1, perClassMetrics, type ClassMetrics } from "./classMetrics";
import { confusionMatrix, type ConfusionMatrix } from "./confusionMatrix";
import { multiLabelMetrics, type MultiLabelMetrics } from "./multiLabel";
import { reliability, type Reliability } from "./reliability";
import { topKAccuracy } from "./topK";

/** Labelled texts: a DataFrame (with `textColumn` and `labelColumn`), a loaded dataset, or plain arrays. */
export type EvaluationData = DataFrame | LabelledDataset | { texts: readonly string[]; gold: readonly string[] };

/** How to evaluate. */
export interface EvaluateOptions {
  /** Candidate labels (array or comma-separated). Default: the distinct gold labels, in dataset order. */
  labels?: string | readonly string[];
  /** Hypothesis templates to compare, each with `{}`. Default: ["This example is {}."]. */
  templates?: readonly string[];
  /** Score each label on its own and report multi-label metrics at `threshold` too. */
  multiLabel?: boolean;
  /** Multi-label decision threshold. Default 0.5. */
  threshold?: number;
  /** The k of the top-k accuracies. Default [1, 3]. */
  topK?: readonly number[];
  /** Confidence bins of the reliability diagram. Default 10. */
  reliabilityBins?: number;
  /** DataFrame columns. Default `text` and `label`. */
  textColumn?: string;
  labelColumn?: string;
  /** Pairs done and total, over all templates. */
  onProgress?: (done: number, total: number) => void;
}

/** One text's outcome under one template. */
export interface Prediction {
  text: string;
  gold: string;
  predicted: string;
  /** The predicted label's score. */
  score: number;
  correct: boolean;
  /** Every candidate label's score. */
  scores: Record<string, number>;
}

/** Everything measured for one hypothesis template. */
export interface TemplateEvaluation {
  template: string;
  accuracy: number;
  macroF1: number;
  topK: { k: number; accuracy: number }[];
  perClass: ClassMetrics[];
  confusion: ConfusionMatrix;
  reliability: Reliability;
  /** Present when evaluating with `multiLabel`. */
  multiLabel?: MultiLabelMetrics;
  predictions: Prediction[];
  /** Wall-clock time of the template's classification. */
  seconds: number;
}

/** The result of `evaluate`. */
export interface Evaluation {
  model: string;
  labels: string[];
  /** Texts evaluated. */
  size: number;
  multiLabel: boolean;
  /** Rows left out because their gold label is not a candidate label, per gold label. */
  leftOut: Record<string, number>;
  templates: TemplateEvaluation[];
}

function labelledTexts(data: EvaluationData, textColumn: string, labelColumn: string): { texts: string[]; gold: string[]; labels: string[] } {
  const arrays = data as { texts?: unknown; gold?: unknown };
  if (Array.isArray(arrays.texts) && Array.isArray(arrays.gold)) {
    const texts = arrays.texts.map(String);
    const gold = arrays.gold.map(String);
    if (texts.length !== gold.length) throw new InputError(`${texts.length} texts but ${gold.length} gold labels: give one gold label per text`);
    return { texts, gold, labels: [...new Set(gold)] };
  }
  if ("frame" in data && "leftOut" in data) {
    const dataset = data as LabelledDataset;
    return { ...labelledTexts(dataset.frame, "text", "label"), labels: [...dataset.labels] };
  }
  const frame = data as DataFrame;
  for (const column of [textColumn, labelColumn]) {
    if (!frame.columns.includes(column)) {
      throw new InputError(`the DataFrame has no column "${column}" (its columns: ${frame.columns.join(", ")}): pass textColumn / labelColumn`);
    }
  }
  const texts = (frame.column(textColumn).values as unknown[]).map(String);
  const gold = (frame.column(labelColumn).values as unknown[]).map(String);
  return { texts, gold, labels: [...new Set(gold)] };
}

/** The rows an evaluation measures: those whose gold label is a candidate label, and the count of the rest. */
export interface SelectedRows {
  texts: string[];
  gold: string[];
  labels: string[];
  /** Rows left out because their gold label is not a candidate label, per gold label. */
  leftOut: Record<string, number>;
}

/** Picks the rows to measure: candidate labels default to the distinct gold labels, in dataset order. */
export function selectRows(data: EvaluationData, options: Pick<EvaluateOptions, "labels" | "textColumn" | "labelColumn"> = {}): SelectedRows {
  const all = labelledTexts(data, options.textColumn ?? "text", options.labelColumn ?? "label");
  const labels = options.labels === undefined ? all.labels : parseCandidateLabels(options.labels);
  if (new Set(labels).size !== labels.length) throw new InputError(`the candidate labels repeat a label (${labels.join(", ")}): give each label once`);
  const candidate = new Set(labels);
  const leftOut: Record<string, number> = {};
  const texts: string[] = [];
  const gold: string[] = [];
  all.texts.forEach((text, i) => {
    if (candidate.has(all.gold[i])) {
      texts.push(text);
      gold.push(all.gold[i]);
    } else {
      leftOut[all.gold[i]] = (leftOut[all.gold[i]] ?? 0) + 1;
    }
  });
  if (texts.length === 0) {
    throw new InputError(`no row's gold label is among the candidate labels (${labels.join(", ")}): the gold labels are ${all.labels.join(", ")}`);
  }
  return { texts, gold, labels, leftOut };
}

/** What `measureTemplate` needs besides the answers. */
export interface MeasureOptions extends Pick<EvaluateOptions, "multiLabel" | "threshold" | "topK" | "reliabilityBins"> {
  /** Wall-clock seconds the answers took, reported as is. Default 0. */
  seconds?: number;
}

/**
 * The pure measuring step: one template's answers (one per text, in order, each scoring every label)
 * measured against the gold labels. Runs no model.
 */
export function measureTemplate(
  template: string,
  rows: Pick<SelectedRows, "texts" | "gold" | "labels">,
  results: readonly ZeroShotResult[],
  options: MeasureOptions = {},
): TemplateEvaluation {
  const { texts, gold, labels } = rows;
  if (results.length !== texts.length) {
    throw new InputError(`the backend returned ${results.length} results for ${texts.length} texts: it must return one result per text, in order`);
  }
  const topKs = [...new Set(options.topK ?? [1, 3])].filter((k) => k <= labels.length);
  const predictions: Prediction[] = results.map((result, i) => ({
    text: texts[i],
    gold: gold[i],
    predicted: result.labels[0],
    score: result.scores[0],
    correct: result.labels[0] === gold[i],
    scores: Object.fromEntries(labels.map((label) => [label, result.scores[result.labels.indexOf(label)]])),
  }));
  const predicted = predictions.map((p) => p.predicted);
  const confusion = confusionMatrix(gold, predicted, labels);
  const perClass = perClassMetrics(confusion);
  return {
    template,
    accuracy: accuracy(gold, predicted),
    macroF1: macroF1(perClass),
    topK: topKs.map((k) => ({ k, accuracy: topKAccuracy(gold, results.map((r) => r.labels), k) })),
    perClass,
    confusion,
    reliability: reliability(predictions.map((p) => p.score), predictions.map((p) => p.correct), options.reliabilityBins ?? 10),
    multiLabel: options.multiLabel ? multiLabelMetrics(gold.map((label) => [label]), predictions.map((p) => p.scores), labels, options.threshold ?? 0.5) : undefined,
    predictions,
    seconds: options.seconds ?? 0,
  };
}

/**
 * Classifies every text with each template, then measures the predictions against the gold labels
 * ("classify, then measure": the measuring step is `measureTemplate`).
 * @example
 * const classifier = await loadClassifier("models/tiny-bert-nli");
 * const dataset = loadResolutions("data/resolutions-sample.csv");
 * const evaluation = await evaluate(classifier, dataset, { templates: ["This example is {}.", "This resolution is about {}."] });
 * console.log(evaluation.templates.map((t) => [t.template, t.accuracy]));
 */
export async function evaluate(backend: ZeroShotBackend | NliScorer, data: EvaluationData, options: EvaluateOptions = {}): Promise<Evaluation> {
  const classifier: ZeroShotBackend = "scorePairs" in backend ? new ZeroShotClassifier(backend) : backend;
  const rows = selectRows(data, options);
  const templates = (options.templates ?? [DEFAULT_HYPOTHESIS_TEMPLATE]).map(validateTemplate);
  if (templates.length === 0) throw new InputError(`no hypothesis templates: pass at least one, e.g. --templates "This example is {}."`);
  const multiLabel = options.multiLabel ?? false;
  const pairsPerTemplate = rows.texts.length * rows.labels.length;
  const total = pairsPerTemplate * templates.length;
  const evaluations: TemplateEvaluation[] = [];
  for (const [t, template] of templates.entries()) {
    const started = performance.now();
    const results = await classifier.classify(rows.texts, rows.labels, {
      multiLabel,
      hypothesisTemplate: template,
      onProgress: options.onProgress && ((done, of) => options.onProgress!(t * pairsPerTemplate + Math.round((done / Math.max(of, 1)) * pairsPerTemplate), total)),
    });
    const seconds = (performance.now() - started) / 1000;
    evaluations.push(measureTemplate(template, rows, results, { ...options, multiLabel, seconds }));
  }
  return { model: classifier.modelId, labels: rows.labels, size: rows.texts.length, multiLabel, leftOut: rows.leftOut, templates: evaluations };
}
