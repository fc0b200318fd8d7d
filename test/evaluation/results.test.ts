import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluate } from "../../src/evaluation/evaluate";
import { confusionFrame, evaluationToJSON, perClassFrame, predictionsFrame, summaryFrame } from "../../src/evaluation/results";
import type { ZeroShotResult } from "../../src/payload/types";

/** Predicts the label whose first letter starts the text. */
const firstLetter = {
  modelId: "first-letter",
  async classify(texts: readonly string[], labels: readonly string[]): Promise<ZeroShotResult[]> {
    return texts.map((sequence) => {
      const winner = labels.find((label) => label[0] === sequence[0]) ?? labels[0];
      const rest = labels.filter((label) => label !== winner);
      return { sequence, labels: [winner, ...rest], scores: [0.9, ...rest.map(() => 0.1 / rest.length)] };
    });
  },
};

describe("evaluation results", async () => {
  const evaluation = await evaluate(firstLetter, { texts: ["apple", "banana", "cherry", "avocado"], gold: ["a", "b", "b", "a"] }, { labels: ["a", "b", "c"], templates: ["{}", "It is {}."] });

  it("has a summary DataFrame with one row per template", () => {
    const summary = summaryFrame(evaluation);
    assert.deepEqual(summary.shape, [2, 7]);
    assert.deepEqual(summary.column("template").values, ["{}", "It is {}."]);
    assert.deepEqual(summary.column("accuracy").values, [0.75, 0.75]);
  });

  it("has per-class, confusion and prediction DataFrames", () => {
    const perClass = perClassFrame(evaluation);
    assert.deepEqual(perClass.shape, [6, 7]);
    assert.deepEqual(perClass.column("support").values.slice(0, 3), [2, 2, 0]);
    const confusion = confusionFrame(evaluation);
    assert.deepEqual(confusion.columns, ["a", "b", "c"]);
    assert.deepEqual(confusion.values, [
      [2, 0, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    assert.deepEqual(predictionsFrame(evaluation).column("predicted").values, ["a", "b", "c", "a"]);
  });

  it("serialises to JSON with predictions only on request, and NaN bins as null", () => {
    const json = JSON.parse(JSON.stringify(evaluationToJSON(evaluation)));
    assert.equal(json.templates[0].accuracy, 0.75);
    assert.equal(json.templates[0].predictions, undefined);
    assert.equal(json.templates[0].reliability.bins[0].accuracy, null);
    const withPredictions = JSON.parse(JSON.stringify(evaluationToJSON(evaluation, { predictions: true })));
    assert.equal(withPredictions.templates[1].predictions.length, 4);
  });
});
