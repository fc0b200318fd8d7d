import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/** Latency of repeated calls: each call as a dot in call order, with the median (p50) and p90 as lines. */
export function latencyChart(millis: readonly number[], summary: { p50: number; p90: number }, options: { title?: string } = {}): TopLevelSpec {
  const values = millis.map((ms, i) => ({ call: i + 1, ms: round(ms, 1) }));
  const rules = [
    { quantile: "p50", ms: round(summary.p50, 1) },
    { quantile: "p90", ms: round(summary.p90, 1) },
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Latency of each call",
    config: CHART_CONFIG,
    width: 380,
    height: 180,
    layer: [
      {
        data: { values },
        mark: { type: "point", filled: true, size: 60, color: "#2f7ebc" },
        encoding: {
          x: { field: "call", type: "ordinal", title: "call", axis: { labelAngle: 0 } },
          y: { field: "ms", type: "quantitative", title: "milliseconds", scale: { zero: true } },
          tooltip: [{ field: "call" }, { field: "ms", type: "quantitative", title: "ms" }],
        },
      },
      {
        data: { values: rules },
        mark: { type: "rule", strokeDash: [4, 3] },
        encoding: { y: { field: "ms", type: "quantitative" }, color: { field: "quantile", type: "nominal", title: null, scale: { range: ["#e4572e", "#999999"] } } },
      },
    ],
  } as TopLevelSpec;
}
