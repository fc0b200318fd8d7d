import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { confusionMatrix } from "../../src/evaluation/confusionMatrix";

describe("confusionMatrix", () => {
  it("counts gold rows against predicted columns, in the labels' order", () => {
    const gold = ["cat", "cat", "cat", "dog", "dog", "bird"];
    const predicted = ["cat", "dog", "cat", "dog", "cat", "dog"];
    assert.deepEqual(confusionMatrix(gold, predicted, ["cat", "dog", "bird"]), {
      labels: ["cat", "dog", "bird"],
      counts: [
        [2, 1, 0],
        [1, 1, 0],
        [0, 1, 0],
      ],
    });
  });

  it("names a label that is not in the matrix", () => {
    assert.throws(() => confusionMatrix(["cat"], ["fox"], ["cat"]), /"fox" \(example 1\)/);
  });
});
