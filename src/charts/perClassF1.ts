import type { ClassMetrics } from "../evaluation/classMetrics";
import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/** F1 per label as horizontal bars; with several templates, one bar per template side by side. */
export function perClassF1Chart(rows: readonly (ClassMetrics & { template?: string })[], options: { title?: string } = {}): TopLevelSpec {
  const templates = [...new Set(rows.map((row) => row.template ?? ""))];
  const values = rows.map((row) => ({
    label: row.label,
    template: row.template ?? "",
    f1: round(row.f1),
    precision: round(row.precision),
    recall: round(row.recall),
    support: row.support,
  }));
  const labels = [...new Set(rows.map((row) => row.label))];
  const several = templates.length > 1;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "F1 per label",
    config: CHART_CONFIG,
    width: 360,
    height: { step: several ? 8 * templates.length + 6 : 20 },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "label", type: "nominal", sort: labels, title: null },
      x: { field: "f1", type: "quantitative", scale: { domain: [0, 1] }, title: "F1" },
      ...(several
        ? { yOffset: { field: "template", type: "nominal", sort: templates }, color: { field: "template", type: "nominal", sort: templates, title: "template", legend: { orient: "bottom", direction: "vertical", labelLimit: 480 } } }
        : { color: { value: "#2f7ebc" } }),
      tooltip: [
        { field: "label", type: "nominal" },
        { field: "template", type: "nominal" },
        { field: "precision", type: "quantitative", format: ".3f" },
        { field: "recall", type: "quantitative", format: ".3f" },
        { field: "f1", type: "quantitative", format: ".3f" },
        { field: "support", type: "quantitative" },
      ],
    },
  };
}
