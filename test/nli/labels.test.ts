import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ModelConfigError } from "../../src/errors";
import { nliLabelIds } from "../../src/nli/labels";

describe("entailment and contradiction indices from label2id", () => {
  it("bart-large-mnli's order: contradiction 0, neutral 1, entailment 2", () => {
    assert.deepEqual(nliLabelIds({ contradiction: 0, neutral: 1, entailment: 2 }), { entailment: 2, contradiction: 0, numLabels: 3 });
  });

  it("entailment at index 0 makes the last output the contradiction (DistilBERT-MNLI)", () => {
    assert.deepEqual(nliLabelIds({ ENTAILMENT: 0, NEUTRAL: 1, CONTRADICTION: 2 }), { entailment: 0, contradiction: 2, numLabels: 3 });
  });

  it("two-label entailment / not_entailment models work", () => {
    assert.deepEqual(nliLabelIds({ entailment: 0, not_entailment: 1 }), { entailment: 0, contradiction: 1, numLabels: 2 });
  });

  it("takes the first label whose lower-case name starts with 'entail'", () => {
    assert.equal(nliLabelIds({ contradiction: 0, Entails: 1, entailment: 2 }).entailment, 1);
  });

  it("a model with no entailment label is an error naming the labels it has", () => {
    assert.throws(() => nliLabelIds({ POSITIVE: 0, NEGATIVE: 1 }), (error: Error) => {
      assert.ok(error instanceof ModelConfigError);
      assert.match(error.message, /no entailment label \(its labels are POSITIVE, NEGATIVE\)/);
      assert.match(error.message, /bart-large-mnli/);
      return true;
    });
    assert.throws(() => nliLabelIds(undefined), /its labels are none/);
  });
});
