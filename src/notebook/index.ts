/**
 * `zero-shot-ts/notebook`: helpers for the notebooks in `notebooks/`, on tslab or Deno's kernel: the
 * config cell, output that works on either kernel, and tables and charts that lay the NLI steps out for
 * a reader. Cells import them with `import * as notebook from "zero-shot-ts/notebook"`.
 */
export * from "./config";
export * from "./configure";
export * from "./downloadProgress";
export * from "./errors";
export * from "./htmlTable";
export * from "./kernel";
export * from "./modelWarning";
export * from "./nliSteps";
export * from "./sagemaker";
export * from "./instancePrices";
export * from "./realtime";
export * from "./data";
export * from "./display";
export * from "./progress";
export * from "./recorded";
export * from "./show";
export * from "./named";
export * from "./timeline";
export * from "./thresholds";
