/**
 * The mark every generated test model carries in its `config.json`, and the one warning every output made
 * with such a model shows. Pure and light (no ONNX, no transformers.js), so the CLI, the server, the HTML
 * report and the notebooks can all ask "is this a random model?" without loading anything.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** What a reader of any output made with a generated model is told, word for word. */
export const RANDOM_MODEL_WARNING = "random test model: scores are meaningless";

/** The HTTP header `zero-shot serve` adds to every answer of a random test model (the JSON body keeps its shape). */
export const MODEL_WARNING_HEADER = "X-Zero-Shot-Model-Warning";

/** The keys the generator writes into `config.json`: `random_weights: true` says it, `_generated_by` says who. */
export interface RandomModelMark {
  random_weights?: unknown;
  _generated_by?: unknown;
}

/** Whether a model config (as read from `config.json`, or transformers.js's loaded config) is a generated random-weight model. */
export function isRandomTestModelConfig(config: unknown): boolean {
  if (typeof config !== "object" || config === null) return false;
  const mark = config as RandomModelMark;
  // `_generated_by` alone marks models generated before `random_weights` existed.
  return mark.random_weights === true || mark._generated_by !== undefined;
}

/** Whether the model directory `dir` holds a generated random-weight model (false when it has no readable config.json). */
export function isRandomTestModelDir(dir: string): boolean {
  try {
    return isRandomTestModelConfig(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")));
  } catch {
    return false;
  }
}

/** Anything that may know whether its weights are random: a `LocalNliModel`, a scorer decorator, a classifier. */
interface MaybeRandom {
  randomWeights?: boolean;
  scorer?: unknown;
  inner?: unknown;
}

/**
 * `RANDOM_MODEL_WARNING` when `model` (a `LocalNliModel`, a classifier or a scorer wrapping one) runs a
 * generated random-weight model, else undefined.
 * @example const warning = randomModelWarning(classifier); if (warning) console.error(`warning: ${warning}`);
 */
export function randomModelWarning(model: unknown): string | undefined {
  for (let current = model as MaybeRandom | undefined, depth = 0; current && typeof current === "object" && depth < 8; depth++) {
    if (current.randomWeights === true) return RANDOM_MODEL_WARNING;
    current = (current.scorer ?? current.inner) as MaybeRandom | undefined;
  }
  return undefined;
}
