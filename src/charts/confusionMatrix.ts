import type { ConfusionMatrix } from "../evaluation/confusionMatrix";
import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/** Heatmap of the confusion matrix: colour is the share of the gold row (so rare labels show too), text the count. */
export function confusionMatrixChart(matrix: ConfusionMatrix, options: { title?: string; cellSize?: number } = {}): TopLevelSpec {
  const values = matrix.labels.flatMap((gold, i) => {
    const rowTotal = matrix.counts[i].reduce((a, b) => a + b, 0);
    return matrix.labels.map((predicted, j) => ({ gold, predicted, count: matrix.counts[i][j], share: rowTotal ? round(matrix.counts[i][j] / rowTotal) : 0 }));
  });
  const size = (options.cellSize ?? 40) * matrix.labels.length;
  const order = [...matrix.labels];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Confusion matrix",
    config: CHART_CONFIG,
    width: size,
    height: size,
    data: { values },
    encoding: {
      x: { field: "predicted", type: "nominal", sort: order, title: "predicted label", axis: { labelAngle: -40 } },
      y: { field: "gold", type: "nominal", sort: order, title: "gold label" },
    },
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: { field: "share", type: "quantitative", scale: { scheme: "blues", domain: [0, 1] }, title: "share of gold row" },
        },
      },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          text: { field: "count", type: "quantitative" },
          color: { condition: { test: "datum.share > 0.5", value: "white" }, value: "black" },
        },
      },
    ],
  };
}
