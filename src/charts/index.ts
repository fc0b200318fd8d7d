/** Vega-Lite charts of evaluations: spec builders, headless SVG/PNG rendering, tslab display. */
export { VEGA_LITE_SCHEMA, CHART_CONFIG, type TopLevelSpec } from "./spec";
export * from "./scoreDistribution";
export * from "./labelScoreHistograms";
export * from "./confusionMatrix";
export * from "./perClassF1";
export * from "./reliability";
export * from "./templateComparison";
export * from "./evaluationCharts";
export * from "./render";
export * from "./display";
