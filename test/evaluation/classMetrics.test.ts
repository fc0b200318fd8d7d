import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { macroF1, perClassMetrics } from "../../src/evaluation/classMetrics";
import { confusionMatrix } from "../../src/evaluation/confusionMatrix";

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

describe("per-class metrics and macro-F1", () => {
  // gold:      cat cat cat dog dog bird
  // predicted: cat dog cat dog cat dog
  const matrix = confusionMatrix(["cat", "cat", "cat", "dog", "dog", "bird"], ["cat", "dog", "cat", "dog", "cat", "dog"], ["cat", "dog", "bird"]);
  const metrics = perClassMetrics(matrix);

  it("computes precision, recall, F1 and support by hand", () => {
    // cat: TP 2, predicted 3, support 3 -> P 2/3, R 2/3, F1 2/3
    assert.equal(metrics[0].label, "cat");
    close(metrics[0].precision, 2 / 3);
    close(metrics[0].recall, 2 / 3);
    close(metrics[0].f1, 2 / 3);
    assert.equal(metrics[0].support, 3);
    // dog: TP 1, predicted 3, support 2 -> P 1/3, R 1/2, F1 = 2*(1/6)/(5/6) = 0.4
    close(metrics[1].precision, 1 / 3);
    close(metrics[1].recall, 1 / 2);
    close(metrics[1].f1, 0.4);
    assert.equal(metrics[1].predicted, 3);
    // bird: never predicted -> P 0 (zero_division=0), R 0, F1 0
    assert.deepEqual(metrics[2], { label: "bird", precision: 0, recall: 0, f1: 0, support: 1, predicted: 0 });
  });

  it("averages F1 over labels present as gold or prediction", () => {
    close(macroF1(metrics), (2 / 3 + 0.4 + 0) / 3);
    // A candidate label with no gold example and no prediction does not count.
    const withUnused = perClassMetrics(confusionMatrix(["a", "b"], ["a", "a"], ["a", "b", "unused"]));
    // a: P 1/2 R 1 F1 2/3; b: 0
    close(macroF1(withUnused), (2 / 3 + 0) / 2);
  });
});
