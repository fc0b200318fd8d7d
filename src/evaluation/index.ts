/** Evaluation of zero-shot classifiers on labelled data: metrics, the `evaluate` call, results and report. */
export * from "./accuracy";
export * from "./confusionMatrix";
export * from "./classMetrics";
export * from "./topK";
export * from "./multiLabel";
export * from "./reliability";
export * from "./evaluate";
export * from "./results";
export * from "./report";
export * from "./notebookProgress";
export * from "./fromResults";
