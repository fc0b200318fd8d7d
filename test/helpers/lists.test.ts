import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maxDifference } from "./lists";

describe("maxDifference", () => {
  it("is the largest absolute element-wise difference", () => {
    assert.equal(maxDifference([0.25, 0.75], [0.5, 0.5]), 0.25);
    assert.equal(maxDifference([1, 2, 3], [1, 2, 3]), 0);
  });

  it("fails on empty lists and on lists of different lengths, so nothing compared never passes", () => {
    assert.throws(() => maxDifference([], []), /both score lists are empty/);
    assert.throws(() => maxDifference([0.5], []), /lengths differ: 1 vs 0/);
  });
});
