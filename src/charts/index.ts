/** Vega-Lite charts of evaluations: spec builders and headless SVG/PNG rendering (kernel display lives in `notebook/`). */
export { VEGA_LITE_SCHEMA, CHART_CONFIG, type TopLevelSpec } from "./spec";
export * from "./scoreDistribution";
export * from "./labelScoreHistograms";
export * from "./confusionMatrix";
export * from "./perClassF1";
export * from "./reliability";
export * from "./templateComparison";
export * from "./evaluationCharts";
export * from "./render";
export * from "./nliScores";
export * from "./endpointTimeline";
export * from "./answerScores";
export * from "./latency";
export * from "./thresholdCurve";
