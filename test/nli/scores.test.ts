import assert from "node:assert/strict";
import { InferenceError } from "../../src/errors";
import { describe, it } from "node:test";
import { maxDifference } from "../helpers/lists";
import { labelScores, rankLabels, softmax } from "../../src/nli/scores";

const BART = { entailment: 2, contradiction: 0, numLabels: 3 };
const close = (actual: number[], expected: number[], tolerance = 1e-12) => assert.ok(maxDifference(actual, expected) <= tolerance, `${actual} vs ${expected}`);

describe("softmax", () => {
  it("matches hand-computed values", () => {
    // e^0 / (e^0 + e^ln3) = 1/4, e^ln3 / (...) = 3/4
    close(softmax([0, Math.log(3)]), [0.25, 0.75]);
  });

  it("stays finite for logits in the hundreds, where exp overflows", () => {
    const scores = softmax([800, 800 + Math.log(3)]);
    close(scores, [0.25, 0.75]);
    assert.ok(Number.isFinite(Math.exp(0)) && !Number.isFinite(Math.exp(800)), "exp(800) overflows in float64");
  });
});

describe("label scores from NLI logits (the Python pipeline's rules)", () => {
  // Logits per label, [contradiction, neutral, entailment].
  const logits = [
    [0.5, 0, Math.log(2)], // Health
    [1, 0, 0], // Finance
    [0, 9, Math.log(5)], // Career
  ];

  it("single-label: softmax of the entailment logits across labels", () => {
    // entailment logits ln2, 0, ln5 -> e^: 2, 1, 5 -> /8
    close(labelScores(logits, BART, false), [2 / 8, 1 / 8, 5 / 8]);
  });

  it("multi-label: each label's softmax over [contradiction, entailment], neutral ignored", () => {
    const expected = [
      Math.exp(Math.log(2)) / (Math.exp(0.5) + 2), // 2 / (e^0.5 + 2)
      1 / (Math.E + 1),
      5 / (1 + 5),
    ];
    close(labelScores(logits, BART, true), expected);
  });

  it("one label alone is scored as multi-label (a softmax over one label would always be 1)", () => {
    close(labelScores([logits[0]], BART, false), [2 / (Math.exp(0.5) + 2)]);
  });

  it("logits in the hundreds give finite scores in both modes", () => {
    const huge = [
      [-300, 0, 700],
      [400, 0, 690],
    ];
    const single = labelScores(huge, BART, false);
    const multi = labelScores(huge, BART, true);
    for (const score of [...single, ...multi]) assert.ok(Number.isFinite(score));
    close(single, [1 / (1 + Math.exp(-10)), Math.exp(-10) / (1 + Math.exp(-10))], 1e-12);
    close(multi, [1, 1 / (1 + Math.exp(-290))], 1e-12);
  });

  it("the entailment index comes from the model, not a fixed position", () => {
    const entailFirst = { entailment: 0, contradiction: 2, numLabels: 3 };
    close(labelScores([[Math.log(3), 0, 0], [0, 0, 0]], entailFirst, false), [0.75, 0.25]);
  });

  it("blames the model, not the request, for logits of the wrong width", () => {
    assert.throws(
      () => labelScores([[1, 2]], BART, false),
      (error: unknown) => error instanceof InferenceError && /returned 2 logits for a pair but its config.json names 3 labels/.test(error.message),
    );
  });
});

describe("ranking", () => {
  it("sorts by score, highest first", () => {
    assert.deepEqual(rankLabels("text", ["A", "B", "C"], [0.2, 0.5, 0.3]), {
      sequence: "text",
      labels: ["B", "C", "A"],
      scores: [0.5, 0.3, 0.2],
    });
  });

  it("keeps ties in input order", () => {
    assert.deepEqual(rankLabels("t", ["A", "B", "C", "D"], [0.1, 0.4, 0.1, 0.4]).labels, ["B", "D", "A", "C"]);
  });
});
