import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { multiLabelMetrics } from "../../src/evaluation/multiLabel";
import { thresholdSweep } from "../../src/notebook/thresholds";

describe("thresholdSweep", () => {
  const labels = ["Health", "Finance"];
  const predictions = [
    { gold: "Health", scores: { Health: 0.9, Finance: 0.4 } },
    { gold: "Finance", scores: { Health: 0.6, Finance: 0.7 } },
    { gold: "Health", scores: { Health: 0.3, Finance: 0.2 } },
  ];

  it("gives the evaluation's own multi-label metrics at each threshold", () => {
    const [low, middle, high] = thresholdSweep(predictions, labels, [0.1, 0.5, 0.95]);
    // 0.1: every label predicted: 6 predictions, 3 right.
    assert.deepEqual(low, { threshold: 0.1, precision: 0.5, recall: 1, f1: 2 / 3, labelsPerText: 2 });
    const expected = multiLabelMetrics([["Health"], ["Finance"], ["Health"]], predictions.map((p) => p.scores), labels, 0.5);
    assert.deepEqual(middle, { threshold: 0.5, precision: expected.microPrecision, recall: expected.microRecall, f1: expected.microF1, labelsPerText: expected.meanPredictedLabels });
    assert.equal(high.labelsPerText, 0);
  });

  it("defaults to 0.05 ... 0.95", () => {
    assert.deepEqual(thresholdSweep(predictions, labels).map((p) => p.threshold), Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100));
  });
});
