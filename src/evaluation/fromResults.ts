/**
 * Metrics for answers computed elsewhere, such as a batch transform's `{sequence, labels, scores}` lines:
 * the same `Evaluation` that `evaluate` builds, without running a model again.
 */
import { InputError } from "../errors";
import type { ZeroShotResult } from "../payload/types";
import { DEFAULT_HYPOTHESIS_TEMPLATE, parseCandidateLabels } from "../nli/hypotheses";
import { measureTemplate, selectRows, type EvaluateOptions, type Evaluation } from "./evaluate";
import { rankLabels, scoresInLabelOrder } from "../nli/scores";

/** How the answers were made, and what to measure. */
export interface EvaluateResultsOptions extends Pick<EvaluateOptions, "threshold" | "topK" | "reliabilityBins"> {
  /** The candidate labels the answers were made with. Default: the first answer's labels. */
  labels?: string | readonly string[];
  /** The template the answers were made with, as the evaluation names it. Default "This example is {}.". */
  template?: string;
  /** Whether the answers are multi-label scores. Default false. */
  multiLabel?: boolean;
  /** Names the model in the evaluation. Default "precomputed". */
  model?: string;
}

/**
 * Measures precomputed answers against gold labels, one answer per gold label, in the same order. Rows
 * whose gold label is not a candidate label are left out and counted, as `evaluate` does.
 * @example
 * const records = await readTransformResults(run);
 * const evaluation = await evaluateResults(records.map((r) => r.result as ZeroShotResult), dataset.frame.column("label").values, { labels });
 */
export async function evaluateResults(results: readonly ZeroShotResult[], gold: readonly string[], options: EvaluateResultsOptions = {}): Promise<Evaluation> {
  if (results.length !== gold.length) {
    throw new InputError(`${results.length} answers but ${gold.length} gold labels: give one gold label per answer, in the same order`);
  }
  if (results.length === 0) throw new InputError("no answers to evaluate: pass at least one {sequence, labels, scores} result");
  const labels = options.labels === undefined ? [...results[0].labels] : parseCandidateLabels(options.labels);
  results.forEach((result, index) => {
    if (!Array.isArray(result?.labels) || !Array.isArray(result?.scores) || result.labels.length !== result.scores.length) {
      throw new InputError(`answer ${index + 1} is not a {sequence, labels, scores} result: ${JSON.stringify(result)?.slice(0, 200)}`);
    }
    const missing = labels.filter((label) => !result.labels.includes(label));
    if (missing.length > 0) {
      throw new InputError(`answer ${index + 1} has no score for ${missing.join(", ")}: pass the candidate labels the answers were made with (it has ${result.labels.join(", ")})`);
    }
  });
  // Measuring alone: the same row selection and measuring step as `evaluate`, with no model.
  const rows = selectRows({ texts: results.map((result) => result.sequence), gold }, { labels });
  const kept = results.filter((_, index) => labels.includes(gold[index])).map((result) => onlyLabels(result, labels));
  const template = measureTemplate(options.template ?? DEFAULT_HYPOTHESIS_TEMPLATE, rows, kept, options);
  return { model: options.model ?? "precomputed", labels: rows.labels, size: rows.texts.length, multiLabel: options.multiLabel ?? false, leftOut: rows.leftOut, templates: [template] };
}

/** The answer restricted to `labels`, still sorted by score. */
function onlyLabels(result: ZeroShotResult, labels: readonly string[]): ZeroShotResult {
  if (result.labels.length === labels.length) return result;
  return rankLabels(result.sequence, labels, scoresInLabelOrder(labels, result));
}
