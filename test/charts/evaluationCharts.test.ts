import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LocalNliModel } from "../../src/backends/local/localNliModel";
import { loadClassifier } from "../../src/backends/local/loadClassifier";
import type { ZeroShotClassifier } from "../../src/classification/classifier";
import { evaluationCharts } from "../../src/charts/evaluationCharts";
import { VEGA_LITE_SCHEMA } from "../../src/charts/spec";
import { evaluate, type Evaluation } from "../../src/evaluation/evaluate";
import { tinyBert } from "../helpers/models";

/** The inline data rows of a spec. */
const values = (spec: unknown) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

describe("evaluationCharts of a real evaluation", () => {
  const data = {
    texts: ["Run a marathon", "Eat more vegetables", "Save money every month", "Pay off my loans", "Tell more jokes", "Laugh every day"],
    gold: ["Health", "Health", "Finance", "Finance", "Humor", "Humor"],
  };
  let evaluation: Evaluation;
  let classifier: ZeroShotClassifier;
  before(async () => {
    classifier = await loadClassifier(tinyBert());
    evaluation = await evaluate(classifier, data, { templates: ["This example is {}.", "This resolution is about {}."] });
  });
  after(() => (classifier.scorer as LocalNliModel).dispose());

  it("lists the template comparison, F1, confusion, score, label-score and reliability charts, in that order", () => {
    const charts = evaluationCharts(evaluation);
    assert.deepEqual(charts.map((chart) => chart.id), ["templates", "f1", "confusion", "scores", "label-scores", "reliability"]);
    assert.equal(new Set(charts.map((chart) => chart.id)).size, charts.length, "ids are unique anchors in the report");
    for (const chart of charts) assert.equal(chart.spec.$schema, VEGA_LITE_SCHEMA, chart.id);
  });

  it("drops the template comparison when there is one template", async () => {
    const one = await evaluate(classifier, data);
    assert.deepEqual(evaluationCharts(one).map((chart) => chart.id), ["f1", "confusion", "scores", "label-scores", "reliability"]);
  });

  it("draws the chosen template's numbers: every text in its confusion matrix, F1 for every label and template", () => {
    for (const index of [0, 1]) {
      const chosen = evaluation.templates[index];
      const charts = evaluationCharts(evaluation, index);
      const confusion = charts.find((chart) => chart.id === "confusion")!;
      assert.equal(confusion.title, `Confusion matrix (${chosen.template})`);
      const cells = values(confusion.spec);
      assert.equal(cells.reduce((sum, cell) => sum + (cell.count as number), 0), data.texts.length);
      const diagonal = cells.filter((cell) => cell.gold === cell.predicted).reduce((sum, cell) => sum + (cell.count as number), 0);
      assert.equal(diagonal / data.texts.length, chosen.accuracy);
      const f1 = values(charts.find((chart) => chart.id === "f1")!.spec);
      assert.equal(f1.length, evaluation.labels.length * evaluation.templates.length);
    }
  });
});
