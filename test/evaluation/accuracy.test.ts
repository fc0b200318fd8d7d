import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accuracy } from "../../src/evaluation/accuracy";
import { InputError } from "../../src/errors";

describe("accuracy", () => {
  it("is the share of exact matches", () => {
    assert.equal(accuracy(["a", "b", "c", "a"], ["a", "c", "c", "b"]), 0.5);
    assert.equal(accuracy(["a"], ["a"]), 1);
  });

  it("refuses lists of different lengths or no examples", () => {
    assert.throws(() => accuracy(["a"], []), /1 gold labels but 0 predictions/);
    assert.throws(() => accuracy([], []), InputError);
  });
});
