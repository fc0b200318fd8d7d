import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { multiLabelMetrics } from "../../src/evaluation/multiLabel";

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

describe("multiLabelMetrics", () => {
  const labels = ["Health", "Finance", "Career"];
  const gold = [["Health"], ["Finance", "Career"], ["Career"]];
  const scores = [
    { Health: 0.9, Finance: 0.6, Career: 0.1 }, // predicted {Health, Finance}: 1 TP, 1 FP
    { Health: 0.2, Finance: 0.7, Career: 0.8 }, // predicted {Finance, Career}: exact
    { Health: 0.5, Finance: 0.1, Career: 0.4 }, // predicted {Health} (0.5 reaches the threshold): 1 FP, 1 FN
  ];
  const metrics = multiLabelMetrics(gold, scores, labels, 0.5);

  it("computes subset accuracy, Hamming loss and micro scores by hand", () => {
    close(metrics.subsetAccuracy, 1 / 3);
    // wrong decisions: ex1 Finance, ex3 Health and Career = 3 of 9
    close(metrics.hammingLoss, 3 / 9);
    // TP 1+2+0 = 3, predicted 2+2+1 = 5, gold 1+2+1 = 4
    close(metrics.microPrecision, 3 / 5);
    close(metrics.microRecall, 3 / 4);
    close(metrics.microF1, (2 * 0.6 * 0.75) / (0.6 + 0.75));
    close(metrics.meanPredictedLabels, 5 / 3);
  });

  it("computes per-label metrics and their macro mean", () => {
    // Health: TP 1, predicted 2, support 1 -> P .5 R 1 F1 2/3
    // Finance: TP 1, predicted 2, support 1 -> F1 2/3
    // Career: TP 1, predicted 1, support 2 -> P 1 R .5 F1 2/3
    for (const label of metrics.perLabel) close(label.f1, 2 / 3);
    close(metrics.macroF1, 2 / 3);
  });

  it("moves with the threshold", () => {
    const strict = multiLabelMetrics(gold, scores, labels, 0.85);
    // Only Health on example 1 passes: TP 1, predicted 1.
    close(strict.microPrecision, 1);
    close(strict.microRecall, 1 / 4);
    assert.throws(() => multiLabelMetrics(gold, scores, labels, 1.5), /between 0 and 1/);
  });
});
