import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/**
 * One small histogram per label of that label's score on every text, split by whether the label is
 * the text's gold label: separated colours mean the label's hypothesis tells its texts apart.
 */
export function labelScoreHistogramsChart(
  predictions: readonly { gold: string; scores: Readonly<Record<string, number>> }[],
  labels: readonly string[],
  options: { title?: string; columns?: number; binStep?: number } = {},
): TopLevelSpec {
  const values = predictions.flatMap((p) =>
    labels.map((label) => ({ label, score: round(p.scores[label] ?? 0), text: p.gold === label ? "of this label" : "of other labels" })),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Score of each label, on texts of that label and on the others",
    config: CHART_CONFIG,
    data: { values },
    facet: { field: "label", type: "nominal", sort: [...labels], title: null, header: { labelFontSize: 12 } },
    columns: options.columns ?? 3,
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 180,
      height: 110,
      mark: { type: "bar", opacity: 0.6, binSpacing: 0 },
      encoding: {
        x: { field: "score", type: "quantitative", bin: { extent: [0, 1], step: options.binStep ?? 0.1 }, title: "score" },
        y: { aggregate: "count", type: "quantitative", stack: null, title: "texts" },
        color: { field: "text", type: "nominal", scale: { domain: ["of this label", "of other labels"], range: ["#2f7ebc", "#b8b8b8"] }, title: "texts" },
      },
    },
  };
}
