/**
 * Evaluation through SageMaker's batch engine: a labelled dataset becomes a batch transform job (local
 * mode or AWS, on as many instances as asked), and the answers it writes are measured exactly as
 * `evaluate` measures a model run in this process.
 */
import type { LabelledDataset } from "../data/load";
import { InputError } from "../errors";
import { evaluateResults, type EvaluateResultsOptions } from "../evaluation/fromResults";
import type { Evaluation } from "../evaluation/evaluate";
import { DEFAULT_HYPOTHESIS_TEMPLATE, parseCandidateLabels } from "../nli/hypotheses";
import { toZeroShotRequest } from "../payload/request";
import type { ZeroShotResult } from "../payload/types";
import { joinTransformOutput, runBatchTransform, type BatchTransformOptions, type BatchTransformRun } from "./batchTransform";
import type { SageMakerClients } from "./clients";
import { SageMakerWorkflowError } from "./errors";

export interface BatchEvaluationOptions extends Omit<BatchTransformOptions, "requests">, Pick<EvaluateResultsOptions, "threshold" | "topK" | "reliabilityBins"> {
  /** Candidate labels (array or comma-separated). Default: the dataset's labels. */
  labels?: string | readonly string[];
  /** The hypothesis template, with `{}`. Default "This example is {}.". */
  template?: string;
  multiLabel?: boolean;
}

/** The evaluation and the transform run that produced its answers. */
export interface BatchEvaluation {
  evaluation: Evaluation;
  run: BatchTransformRun;
}

/**
 * Runs every text through a batch transform job and evaluates the answers against the gold labels.
 * @example
 * const { evaluation } = await evaluateWithBatchTransform(clients, dataset, { modelName: deployment.modelName, s3Uri: "s3://my-bucket/eval", instanceCount: 2 });
 * console.log(evaluation.templates[0].accuracy);
 */
export async function evaluateWithBatchTransform(
  clients: SageMakerClients,
  data: LabelledDataset | { texts: readonly string[]; gold: readonly string[]; labels?: readonly string[] },
  options: BatchEvaluationOptions,
): Promise<BatchEvaluation> {
  const { texts, gold } =
    "frame" in data
      ? { texts: data.frame.column("text").values.map(String), gold: data.frame.column("label").values.map(String) }
      : { texts: [...data.texts], gold: [...data.gold] };
  if (texts.length !== gold.length) throw new InputError(`${texts.length} texts but ${gold.length} gold labels: give one gold label per text`);
  const labelSource = options.labels ?? data.labels ?? [...new Set(gold)];
  const labels = parseCandidateLabels(typeof labelSource === "string" ? labelSource : [...labelSource]);
  const template = options.template ?? DEFAULT_HYPOTHESIS_TEMPLATE;
  const requests = function* () {
    for (const text of texts) yield toZeroShotRequest(text, labels, { hypothesisTemplate: template, multiLabel: options.multiLabel });
  };
  const run = await runBatchTransform(clients, { ...options, requests: requests() });
  const results: ZeroShotResult[] = [];
  for await (const record of joinTransformOutput(run)) {
    if (Array.isArray(record.result)) {
      throw new SageMakerWorkflowError(`line ${record.lineNumber} of ${run.outputPath} holds a list of answers, not one: the model's output does not match its one-text requests`);
    }
    results.push(record.result);
  }
  const evaluation = await evaluateResults(results, gold, {
    labels,
    template,
    multiLabel: options.multiLabel,
    threshold: options.threshold,
    topK: options.topK,
    reliabilityBins: options.reliabilityBins,
    model: options.modelName,
  });
  return { evaluation, run };
}
