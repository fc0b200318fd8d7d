import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/**
 * Notebook 01's picture of the NLI step, one row of bars per label: the model's three logits, the
 * single-label score (softmax of the entailment logits across labels) and the multi-label score
 * (softmax over that label's [contradiction, entailment] logits).
 */
export function nliScoresChart(
  labels: readonly string[],
  logits: readonly ArrayLike<number>[],
  outputNames: readonly string[],
  scores: { singleLabel: readonly number[]; multiLabel: readonly number[] },
  options: { title?: string } = {},
): TopLevelSpec {
  const logitValues = labels.flatMap((label, row) => outputNames.map((output, i) => ({ label, output, logit: round(logits[row][i]) })));
  const scoreValues = labels.flatMap((label, row) => [
    { label, kind: "single-label (softmax across labels)", score: round(scores.singleLabel[row]) },
    { label, kind: "multi-label (each label on its own)", score: round(scores.multiLabel[row]) },
  ]);
  const y = { field: "label", type: "nominal", sort: [...labels], title: null } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "From logits to scores, per label",
    config: CHART_CONFIG,
    hconcat: [
      {
        title: "logits",
        width: 200,
        height: { step: 14 },
        data: { values: logitValues },
        mark: { type: "bar" },
        encoding: {
          y,
          yOffset: { field: "output", type: "nominal", sort: [...outputNames] },
          x: { field: "logit", type: "quantitative", title: "logit" },
          color: { field: "output", type: "nominal", sort: [...outputNames], title: "output", scale: { scheme: "set2" }, legend: { orient: "bottom" } },
          tooltip: [{ field: "label" }, { field: "output" }, { field: "logit", type: "quantitative", format: ".3f" }],
        },
      },
      {
        title: "scores",
        width: 200,
        height: { step: 14 },
        data: { values: scoreValues },
        mark: { type: "bar" },
        encoding: {
          y,
          yOffset: { field: "kind", type: "nominal" },
          x: { field: "score", type: "quantitative", scale: { domain: [0, 1] }, title: "score" },
          color: { field: "kind", type: "nominal", title: null, scale: { range: ["#2f7ebc", "#f2a541"] }, legend: { orient: "bottom", direction: "vertical", labelLimit: 320 } },
          tooltip: [{ field: "label" }, { field: "kind" }, { field: "score", type: "quantitative", format: ".4f" }],
        },
      },
    ],
    resolve: { scale: { color: "independent", yOffset: "independent" } },
  } as TopLevelSpec;
}
