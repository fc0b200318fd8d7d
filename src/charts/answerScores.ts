import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/** An answer's scores by label, under a name (e.g. "single-label", "multi-label", "recorded: bart-large-mnli"). */
export interface NamedAnswer {
  name: string;
  labels: readonly string[];
  scores: readonly (number | null)[];
}

/**
 * One or more `{labels, scores}` answers as labelled horizontal bars, labels in the first answer's order
 * (best first); several answers sit side by side per label. A `null` score (not published) is left out.
 */
export function answerScoresChart(answers: readonly NamedAnswer[], options: { title?: string } = {}): TopLevelSpec {
  const values = answers.flatMap((answer) =>
    answer.labels.flatMap((label, i) => (answer.scores[i] === null || answer.scores[i] === undefined ? [] : [{ answer: answer.name, label, score: round(answer.scores[i] as number) }])),
  );
  const order = answers[0]?.labels ?? [];
  const names = answers.map((answer) => answer.name);
  const several = names.length > 1;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "The answer's scores",
    config: CHART_CONFIG,
    width: 340,
    height: { step: several ? 8 * names.length + 6 : 18 },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "label", type: "nominal", sort: [...order], title: null },
      x: { field: "score", type: "quantitative", scale: { domain: [0, 1] }, title: "score" },
      ...(several
        ? { yOffset: { field: "answer", type: "nominal", sort: names }, color: { field: "answer", type: "nominal", sort: names, title: null, legend: { orient: "bottom", direction: "vertical", labelLimit: 420 } } }
        : { color: { value: "#2f7ebc" } }),
      tooltip: [{ field: "answer" }, { field: "label" }, { field: "score", type: "quantitative", format: ".4f" }],
    },
  } as TopLevelSpec;
}
