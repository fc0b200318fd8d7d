import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/** One template's headline numbers. */
export interface TemplateScores {
  template: string;
  accuracy: number;
  macroF1: number;
  /** Top-k accuracies beyond top-1, e.g. [{k: 3, accuracy: 0.8}]. */
  topK?: readonly { k: number; accuracy: number }[];
}

/** Hypothesis templates side by side: accuracy, macro-F1 and top-k accuracy per template. */
export function templateComparisonChart(templates: readonly TemplateScores[], options: { title?: string } = {}): TopLevelSpec {
  const values = templates.flatMap((t) => [
    { template: t.template, metric: "accuracy", value: round(t.accuracy) },
    { template: t.template, metric: "macro-F1", value: round(t.macroF1) },
    ...(t.topK ?? []).filter(({ k }) => k > 1).map(({ k, accuracy }) => ({ template: t.template, metric: `top-${k} accuracy`, value: round(accuracy) })),
  ]);
  const metrics = [...new Set(values.map((v) => v.metric))];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Hypothesis templates compared",
    config: CHART_CONFIG,
    width: 360,
    height: { step: 12 },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "template", type: "nominal", sort: templates.map((t) => t.template), title: null, axis: { labelLimit: 260 } },
      yOffset: { field: "metric", type: "nominal", sort: metrics },
      x: { field: "value", type: "quantitative", scale: { domain: [0, 1] }, title: "score" },
      color: { field: "metric", type: "nominal", sort: metrics, title: null, legend: { orient: "bottom" } },
      tooltip: [{ field: "template" }, { field: "metric" }, { field: "value", format: ".3f" }],
    },
  };
}
