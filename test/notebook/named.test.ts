import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byLabel, byRowAndColumn } from "../../src/notebook/named";

describe("named numbers", () => {
  it("byLabel keys values by their label, in order, and refuses a length mismatch", () => {
    assert.deepEqual(byLabel(["Health", "Finance"], new Float32Array([0.5, 0.25])), { Health: 0.5, Finance: 0.25 });
    assert.throws(() => byLabel(["Health"], [1, 2]), /1 names but 2 values/);
  });

  it("byRowAndColumn keys each row by its name and each value by its column", () => {
    assert.deepEqual(byRowAndColumn(["entailment"], ["contradiction", "neutral", "entailment"], [[-1, 0, 2]]), { entailment: { contradiction: -1, neutral: 0, entailment: 2 } });
  });
});
