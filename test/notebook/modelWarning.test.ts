/** The notebook-wide model warning: set by configureNotebook, read by every chart and answer. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RANDOM_MODEL_WARNING } from "../../src/models/generate/marker";
import { currentModelWarning, setModelWarning } from "../../src/notebook/modelWarning";

describe("model warning", () => {
  it("is unset until configured, holds what was set, and clears with undefined", () => {
    assert.equal(currentModelWarning(), undefined);
    setModelWarning(RANDOM_MODEL_WARNING);
    try {
      assert.equal(currentModelWarning(), RANDOM_MODEL_WARNING);
      assert.match(currentModelWarning()!, /random test model/);
    } finally {
      setModelWarning(undefined);
    }
    assert.equal(currentModelWarning(), undefined);
  });

  it("a later configuration replaces the earlier warning", () => {
    setModelWarning("first");
    setModelWarning("second");
    try {
      assert.equal(currentModelWarning(), "second");
    } finally {
      setModelWarning(undefined);
    }
  });
});
