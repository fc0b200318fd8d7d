import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { topKAccuracy } from "../../src/evaluation/topK";

describe("topKAccuracy", () => {
  const gold = ["a", "b", "c", "a"];
  const ranked = [
    ["a", "b", "c"],
    ["a", "b", "c"],
    ["a", "b", "c"],
    ["c", "b", "a"],
  ];

  it("counts the gold label among the k best", () => {
    assert.equal(topKAccuracy(gold, ranked, 1), 0.25);
    assert.equal(topKAccuracy(gold, ranked, 2), 0.5);
    assert.equal(topKAccuracy(gold, ranked, 3), 1);
  });

  it("refuses a k below 1", () => {
    assert.throws(() => topKAccuracy(gold, ranked, 0), /at least 1/);
  });
});
