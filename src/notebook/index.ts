/**
 * Helpers for the tslab notebooks in `notebooks/`: which model to run, and tables that lay the NLI
 * steps out for a reader. Cells import them with `import * as notebook from "../dist/notebook"`.
 * Not re-exported from the package index: they are teaching aids, not library API.
 */
export * from "./config";
export * from "./downloadProgress";
export * from "./htmlTable";
export * from "./nliSteps";
export * from "./sagemaker";
export * from "./instancePrices";
export * from "./realtime";
export * from "./data";
export * from "./display";
export * from "./progress";
