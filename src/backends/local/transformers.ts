/**
 * The one place that loads transformers.js. This package is CommonJS (tslab compiles notebook cells to
 * CommonJS), transformers.js ships ESM types with a CommonJS build: its types come in with
 * `resolution-mode`, its code through `require`, so every module shares one `env`.
 *
 * The require is deferred to the first use: importing the workflow, the emulator, evaluation or the
 * package index must not load onnxruntime-node's native runtime (about a second, and a native addon)
 * until a model is actually loaded.
 */
import type * as Transformers from "@huggingface/transformers" with { "resolution-mode": "import" };

export type { PreTrainedModel, PreTrainedTokenizer, ProgressInfo, Tensor as TensorType } from "@huggingface/transformers" with { "resolution-mode": "import" };

let loaded: typeof Transformers | undefined;

/** transformers.js itself, required on first access. */
export function loadTransformers(): typeof Transformers {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require("@huggingface/transformers") as typeof Transformers;
  return loaded;
}

/** transformers.js's exports, each read through `loadTransformers` when first touched. */
export const transformers: typeof Transformers = new Proxy({} as typeof Transformers, {
  get: (_target, key) => Reflect.get(loadTransformers(), key),
  has: (_target, key) => Reflect.has(loadTransformers(), key),
});
