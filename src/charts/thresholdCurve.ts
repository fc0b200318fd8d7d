import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/** Multi-label metrics at one threshold. */
export interface ThresholdPoint {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  /** Mean number of labels predicted per text. */
  labelsPerText: number;
}

/**
 * Multi-label decisions by threshold: micro precision, recall and F1 as the threshold a label's own score
 * must reach moves from 0 to 1, with the chosen threshold marked. Low thresholds predict many labels
 * (recall high, precision low); high ones few.
 */
export function thresholdCurveChart(points: readonly ThresholdPoint[], options: { title?: string; chosen?: number } = {}): TopLevelSpec {
  const values = points.flatMap((p) => [
    { threshold: round(p.threshold, 3), metric: "precision", value: round(p.precision), labelsPerText: round(p.labelsPerText, 2) },
    { threshold: round(p.threshold, 3), metric: "recall", value: round(p.recall), labelsPerText: round(p.labelsPerText, 2) },
    { threshold: round(p.threshold, 3), metric: "F1", value: round(p.f1), labelsPerText: round(p.labelsPerText, 2) },
  ]);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Multi-label: precision, recall and F1 by threshold",
    config: CHART_CONFIG,
    width: 380,
    height: 220,
    layer: [
      {
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "threshold", type: "quantitative", scale: { domain: [0, 1] }, title: "threshold (a label is predicted when its score reaches it)" },
          y: { field: "value", type: "quantitative", scale: { domain: [0, 1] }, title: "micro-averaged" },
          color: { field: "metric", type: "nominal", sort: ["precision", "recall", "F1"], title: null, scale: { range: ["#2f7ebc", "#f2a541", "#3a9e4f"] } },
          tooltip: [{ field: "metric" }, { field: "threshold", type: "quantitative" }, { field: "value", type: "quantitative", format: ".3f" }, { field: "labelsPerText", title: "labels per text" }],
        },
      },
      {
        data: { values: [{ threshold: options.chosen ?? 0.5 }] },
        mark: { type: "rule", strokeDash: [4, 3], color: "#666666" },
        encoding: { x: { field: "threshold", type: "quantitative" } },
      },
    ],
  } as TopLevelSpec;
}
