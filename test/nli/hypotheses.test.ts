import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors";
import {
  DEFAULT_HYPOTHESIS_TEMPLATE,
  hypothesesFor,
  hypothesisFor,
  parseCandidateLabels,
  parseSequences,
  validateTemplate,
} from "../../src/nli/hypotheses";

describe("hypotheses from a template", () => {
  it("uses the Hugging Face default template", () => {
    assert.equal(DEFAULT_HYPOTHESIS_TEMPLATE, "This example is {}.");
    assert.equal(hypothesisFor("Health"), "This example is Health.");
  });

  it("fills a custom template, one hypothesis per label in order", () => {
    assert.deepEqual(hypothesesFor(["Health", "Personal Growth"], "This tweet is about {}."), [
      "This tweet is about Health.",
      "This tweet is about Personal Growth.",
    ]);
  });

  it("rejects a template without {} and says how to write one", () => {
    assert.throws(() => validateTemplate("This example is about health."), (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /no "\{\}" placeholder/);
      assert.match(error.message, /This example is \{\}\./);
      return true;
    });
    assert.throws(() => hypothesesFor(["A"], "no placeholder"), InputError);
  });
});

describe("candidate labels", () => {
  it("splits a comma-separated string, trims, drops empty parts", () => {
    assert.deepEqual(parseCandidateLabels(" Health, Finance ,,Time Management,"), ["Health", "Finance", "Time Management"]);
  });

  it("keeps an array as given (trimmed)", () => {
    assert.deepEqual(parseCandidateLabels(["Health", " Humor "]), ["Health", "Humor"]);
  });

  it("rejects no labels with a message that shows how to pass them", () => {
    for (const empty of ["", " , ,", [], undefined, null]) {
      assert.throws(() => parseCandidateLabels(empty as string), (error: Error) => {
        assert.ok(error instanceof InputError);
        assert.match(error.message, /at least one label, e\.g\. --labels Health,Finance/);
        return true;
      });
    }
  });

  it("rejects non-string and empty entries of an array, naming the position", () => {
    assert.throws(() => parseCandidateLabels(["A", 3 as unknown as string]), /candidate_labels\[1\] is 3, not a string/);
    assert.throws(() => parseCandidateLabels(["A", " "]), /candidate_labels\[1\] is empty/);
  });
});

describe("texts to classify", () => {
  it("accepts a string or a list of strings", () => {
    assert.deepEqual(parseSequences("one"), ["one"]);
    assert.deepEqual(parseSequences(["one", "two"]), ["one", "two"]);
  });

  it("rejects an empty list and non-strings", () => {
    assert.throws(() => parseSequences([]), /inputs is an empty list: pass at least one text/);
    assert.throws(() => parseSequences(["ok", 1 as unknown as string]), /inputs\[1\] is 1, not a string/);
    assert.throws(() => parseSequences(null), /inputs must be a string or a list of strings, not null/);
  });
});
