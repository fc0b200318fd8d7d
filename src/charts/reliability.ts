import type { ReliabilityBin } from "../evaluation/reliability";
import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/**
 * Reliability diagram: each confidence bin's accuracy against its mean confidence. Points on the
 * diagonal are calibrated; below it the model is overconfident. Point size is the bin's count.
 */
export function reliabilityChart(bins: readonly ReliabilityBin[], options: { title?: string; expectedCalibrationError?: number } = {}): TopLevelSpec {
  const values = bins.filter((bin) => bin.count > 0).map((bin) => ({
    bin: `${round(bin.lower, 2)}–${round(bin.upper, 2)}`,
    confidence: round(bin.meanConfidence),
    accuracy: round(bin.accuracy),
    count: bin.count,
  }));
  const ece = options.expectedCalibrationError;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? (ece === undefined ? "Reliability diagram" : `Reliability diagram (ECE ${ece.toFixed(3)})`),
    config: CHART_CONFIG,
    width: 300,
    height: 300,
    layer: [
      {
        data: { values: [{ confidence: 0, accuracy: 0 }, { confidence: 1, accuracy: 1 }] },
        mark: { type: "line", color: "#999999", strokeDash: [4, 4] },
        encoding: {
          x: { field: "confidence", type: "quantitative" },
          y: { field: "accuracy", type: "quantitative" },
        },
      },
      {
        data: { values },
        mark: { type: "line", point: { filled: true }, color: "#2f7ebc" },
        encoding: {
          x: { field: "confidence", type: "quantitative", scale: { domain: [0, 1] }, title: "mean top score (confidence)" },
          y: { field: "accuracy", type: "quantitative", scale: { domain: [0, 1] }, title: "accuracy" },
          tooltip: [{ field: "bin" }, { field: "confidence" }, { field: "accuracy" }, { field: "count" }],
        },
      },
      {
        data: { values },
        mark: { type: "circle", color: "#2f7ebc", opacity: 0.35 },
        encoding: {
          x: { field: "confidence", type: "quantitative" },
          y: { field: "accuracy", type: "quantitative" },
          size: { field: "count", type: "quantitative", title: "predictions", scale: { range: [20, 600] } },
        },
      },
    ],
  };
}
