import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors";
import { parseZeroShotRequest, toZeroShotRequest } from "../../src/payload";

describe("JumpStart payload", () => {
  it("normalizes a single-text request with defaults filled", () => {
    assert.deepEqual(parseZeroShotRequest({ inputs: "I will run", parameters: { candidate_labels: ["Health", "Finance"] } }), {
      sequences: ["I will run"],
      single: true,
      candidateLabels: ["Health", "Finance"],
      multiLabel: false,
      hypothesisTemplate: "This example is {}.",
    });
  });

  it("takes a list of texts, comma-separated labels, multi_label and a template", () => {
    const parsed = parseZeroShotRequest({
      inputs: ["a", "b"],
      parameters: { candidate_labels: "Health, Humor", multi_label: true, hypothesis_template: "It is about {}." },
    });
    assert.deepEqual(parsed, { sequences: ["a", "b"], single: false, candidateLabels: ["Health", "Humor"], multiLabel: true, hypothesisTemplate: "It is about {}." });
  });

  it("says exactly what is wrong with a bad payload", () => {
    const cases: [unknown, RegExp][] = [
      [[1, 2], /must be a JSON object like \{"inputs"/],
      [{ parameters: { candidate_labels: ["A"] } }, /no "inputs"/],
      [{ inputs: "x" }, /no candidate_labels were given/],
      [{ inputs: "x", parameters: [] }, /"parameters" must be an object/],
      [{ inputs: "x", parameters: { candidate_labels: ["A"], multi_label: "yes" } }, /"multi_label" must be true or false, not "yes"/],
      [{ inputs: "x", parameters: { candidate_labels: ["A"], hypothesis_template: "no slot" } }, /no "\{\}" placeholder/],
      [{ inputs: [], parameters: { candidate_labels: ["A"] } }, /inputs is an empty list/],
    ];
    for (const [body, message] of cases) {
      assert.throws(() => parseZeroShotRequest(body), (error: Error) => error instanceof InputError && message.test(error.message));
    }
  });

  it("builds the request the walkthrough sends", () => {
    assert.deepEqual(toZeroShotRequest("tweet", "Health,Finance"), {
      inputs: "tweet",
      parameters: { candidate_labels: ["Health", "Finance"], multi_label: false },
    });
  });
});
