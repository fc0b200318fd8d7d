import { CHART_CONFIG, OUTCOME_COLORS, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/**
 * Histogram of each prediction's top score, correct and wrong predictions overlaid: a useful model
 * is sure when right and unsure when wrong.
 */
export function scoreDistributionChart(predictions: readonly { score: number; correct: boolean }[], options: { title?: string; binStep?: number } = {}): TopLevelSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Top score of correct and wrong predictions",
    config: CHART_CONFIG,
    width: 420,
    height: 220,
    data: { values: predictions.map((p) => ({ score: round(p.score), outcome: p.correct ? "correct" : "wrong" })) },
    mark: { type: "bar", opacity: 0.6, binSpacing: 1 },
    encoding: {
      x: { field: "score", type: "quantitative", bin: { extent: [0, 1], step: options.binStep ?? 0.05 }, title: "top score" },
      y: { aggregate: "count", type: "quantitative", stack: null, title: "predictions" },
      color: { field: "outcome", type: "nominal", scale: OUTCOME_COLORS, title: "prediction" },
    },
  };
}
