/**
 * The one place that loads transformers.js. This package is CommonJS (tslab compiles notebook cells to
 * CommonJS), transformers.js ships ESM types with a CommonJS build: its types come in with
 * `resolution-mode`, its code through `require`, so every module shares one `env`.
 */
import type * as Transformers from "@huggingface/transformers" with { "resolution-mode": "import" };

export type { PreTrainedModel, PreTrainedTokenizer, ProgressInfo, Tensor as TensorType } from "@huggingface/transformers" with { "resolution-mode": "import" };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const transformers: typeof Transformers = require("@huggingface/transformers");
