/**
 * The steps notebook 01 shows one at a time: an NLI model's three-way probabilities for a pair, each
 * label's logits, scores laid side by side, and a check that the hand-computed scores match the
 * library's. The math itself comes from `nli/`; these helpers only arrange it for a reader.
 */
import type { PremiseHypothesisPair } from "../classification/contract";
import { InferenceError, InputError } from "../errors";
import { hypothesesFor } from "../nli/hypotheses";
import type { NliLabelIds } from "../nli/labels";
import { scoresInLabelOrder, softmax, type PairLogits } from "../nli/scores";

export { scoresInLabelOrder };
import type { ClassifyOptions, ZeroShotResult } from "../payload/types";
import { htmlTable } from "./htmlTable";

/** What the helpers need of a loaded model: its label ids and its transformers.js config. */
export interface NliModelLike {
  readonly labelIds: NliLabelIds;
  readonly model?: { config?: unknown };
}

/**
 * The model's output names in index order, lower-cased, from `config.id2label`
 * (bart-large-mnli: `["contradiction", "neutral", "entailment"]`).
 */
export function outputLabels(model: NliModelLike): string[] {
  const id2label = (model.model?.config as { id2label?: Record<string, string> } | undefined)?.id2label ?? {};
  return Array.from({ length: model.labelIds.numLabels }, (_, index) => {
    const name = id2label[String(index)];
    if (name) return name.toLowerCase();
    if (index === model.labelIds.entailment) return "entailment";
    if (index === model.labelIds.contradiction) return "contradiction";
    return `label_${index}`;
  });
}

/** One pair's logits as probabilities over all of the model's outputs: `{contradiction, neutral, entailment}`. */
export function nliProbabilities(logits: PairLogits, labelNames: readonly string[]): Record<string, number> {
  if (logits.length !== labelNames.length) {
    throw new InputError(`${logits.length} logits but ${labelNames.length} output names: pass outputLabels(model) for this model`);
  }
  const probabilities = softmax(logits);
  return Object.fromEntries(labelNames.map((name, index) => [name, probabilities[index]]));
}

/** A premise/hypothesis pair with the answer a person would give. */
export interface NliExample extends PremiseHypothesisPair {
  expected?: string;
}

/** A table of NLI pairs: premise, hypothesis, expected answer, the model's probability for each output, and its answer. */
export function nliProbabilityTable(examples: readonly NliExample[], logits: readonly PairLogits[], labelNames: readonly string[]): string {
  if (examples.length !== logits.length) throw new InputError(`${examples.length} examples but ${logits.length} logit rows`);
  const rows = examples.map((example, row) => {
    const probabilities = labelNames.map((name) => nliProbabilities(logits[row], labelNames)[name]);
    const best = probabilities.indexOf(Math.max(...probabilities));
    return [example.premise, example.hypothesis, example.expected ?? "", ...probabilities, labelNames[best]];
  });
  return htmlTable(["premise", "hypothesis", "expected", ...labelNames.map((name) => `P(${name})`), "model says"], rows, { digits: 3 });
}

/** Each label's hypothesis and raw logits, one row per label. */
export function labelLogitsTable(labels: readonly string[], logits: readonly PairLogits[], labelNames: readonly string[], hypothesisTemplate?: string): string {
  if (labels.length !== logits.length) throw new InputError(`${labels.length} labels but ${logits.length} logit rows`);
  const hypotheses = hypothesesFor(labels, hypothesisTemplate);
  const rows = labels.map((label, row) => [label, hypotheses[row], ...Array.from(logits[row])]);
  return htmlTable(["label", "hypothesis", ...labelNames.map((name) => `${name} logit`)], rows, { digits: 3 });
}


/** Score columns side by side, one row per label; a column is a list in label order or a `{sequence, labels, scores}` result. */
export function scoreTable(labels: readonly string[], columns: Readonly<Record<string, readonly number[] | ZeroShotResult>>): string {
  const lists = Object.values(columns).map((column) => (isResult(column) ? scoresInLabelOrder(labels, column) : column));
  lists.forEach((list, index) => {
    if (list.length !== labels.length) throw new InputError(`column ${Object.keys(columns)[index]} has ${list.length} scores for ${labels.length} labels`);
  });
  const rows = labels.map((label, row) => [label, ...lists.map((list) => list[row])]);
  return htmlTable(["label", ...Object.keys(columns)], rows);
}

function isResult(value: readonly number[] | ZeroShotResult): value is ZeroShotResult {
  return !Array.isArray(value) && typeof value === "object" && value !== null && "scores" in value;
}

/**
 * The largest difference between hand-computed scores (in label order) and the library's result;
 * throws when it exceeds `tolerance`, so a notebook run fails if the two ever disagree.
 */
export function assertScoresAgree(labels: readonly string[], byHand: readonly number[], result: ZeroShotResult, tolerance = 1e-6): number {
  const library = scoresInLabelOrder(labels, result);
  if (byHand.length !== library.length) throw new InputError(`${byHand.length} hand-computed scores for ${library.length} labels`);
  const difference = Math.max(...library.map((score, index) => Math.abs(score - byHand[index])));
  if (!(difference <= tolerance)) {
    throw new InferenceError(`hand-computed scores and the library's differ by ${difference} (more than ${tolerance}): [${byHand.join(", ")}] vs [${library.join(", ")}]`);
  }
  return difference;
}

/** Anything that classifies like `ZeroShotClassifier`. */
export interface Classifies {
  classify(texts: string, candidateLabels: readonly string[], options?: ClassifyOptions): Promise<ZeroShotResult[]>;
}

/** One text classified under each template, in template order. */
export async function classifyWithTemplates(
  classifier: Classifies,
  text: string,
  labels: readonly string[],
  templates: readonly string[],
  options: Pick<ClassifyOptions, "multiLabel"> = {},
): Promise<{ template: string; result: ZeroShotResult }[]> {
  const answers: { template: string; result: ZeroShotResult }[] = [];
  for (const hypothesisTemplate of templates) {
    const [result] = await classifier.classify(text, labels, { ...options, hypothesisTemplate });
    answers.push({ template: hypothesisTemplate, result });
  }
  return answers;
}

/** Scores per label (rows) under each template (columns), and each template's top label. */
export function templateTable(labels: readonly string[], answers: readonly { template: string; result: ZeroShotResult }[]): string {
  const columns = answers.map((answer) => answer.template);
  const lists = answers.map((answer) => scoresInLabelOrder(labels, answer.result));
  const rows = labels.map((label, row) => [label, ...lists.map((list) => list[row])]);
  rows.push(["top label", ...answers.map((answer) => answer.result.labels[0])]);
  return htmlTable(["label", ...columns], rows);
}
