import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/**
 * One small histogram per label of that label's score on every text, split by whether the label is
 * the text's gold label: separated colours mean the label's hypothesis tells its texts apart. Each bar is
 * the share of its group's texts (normalised), on one y scale for every label, so a rare label's few texts
 * show as clearly as a common label's many.
 */
export function labelScoreHistogramsChart(
  predictions: readonly { gold: string; scores: Readonly<Record<string, number>> }[],
  labels: readonly string[],
  options: { title?: string; columns?: number; binStep?: number } = {},
): TopLevelSpec {
  const step = options.binStep ?? 0.1;
  const bins = Math.round(1 / step);
  const groups = ["of this label", "of other labels"] as const;
  const values = labels.flatMap((label) =>
    groups.flatMap((group) => {
      const scores = predictions.filter((p) => (p.gold === label) === (group === "of this label")).map((p) => p.scores[label] ?? 0);
      const counts = new Array<number>(bins).fill(0);
      for (const score of scores) counts[Math.min(bins - 1, Math.max(0, Math.floor(score / step)))]++;
      return counts.map((count, bin) => ({ label, text: group, start: round(bin * step), end: round((bin + 1) * step), texts: count, share: scores.length ? round(count / scores.length) : 0 }));
    }),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Score of each label, on texts of that label and on the others (share of each group)",
    config: CHART_CONFIG,
    data: { values },
    facet: { field: "label", type: "nominal", sort: [...labels], title: null, header: { labelFontSize: 12 } },
    columns: options.columns ?? 3,
    spec: {
      width: 180,
      height: 110,
      mark: { type: "bar", opacity: 0.6 },
      encoding: {
        x: { field: "start", type: "quantitative", bin: "binned", scale: { domain: [0, 1] }, title: "score" },
        x2: { field: "end" },
        y: { field: "share", type: "quantitative", stack: null, title: "share of texts", axis: { format: "%" } },
        color: { field: "text", type: "nominal", scale: { domain: [...groups], range: ["#2f7ebc", "#b8b8b8"] }, title: "texts" },
        tooltip: [{ field: "label" }, { field: "text" }, { field: "start", title: "from" }, { field: "end", title: "to" }, { field: "texts", type: "quantitative" }, { field: "share", type: "quantitative", format: ".0%" }],
      },
    },
  } as TopLevelSpec;
}
