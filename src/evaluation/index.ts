/** Evaluation of zero-shot classifiers on labelled data: metrics, the `evaluate` call and result tables. */
export * from "./accuracy";
export * from "./confusionMatrix";
export * from "./classMetrics";
export * from "./topK";
export * from "./multiLabel";
export * from "./reliability";
export * from "./evaluate";
export * from "./results";
export * from "./fromResults";
