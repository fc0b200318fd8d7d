import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors";
import { evaluateResults } from "../../src/evaluation/fromResults";
import type { ZeroShotResult } from "../../src/payload/types";

const answer = (sequence: string, scores: Record<string, number>): ZeroShotResult => {
  const labels = Object.keys(scores).sort((a, b) => scores[b] - scores[a]);
  return { sequence, labels, scores: labels.map((label) => scores[label]) };
};

const answers = [
  answer("run", { Health: 0.7, Finance: 0.2, Humor: 0.1 }),
  answer("save", { Health: 0.1, Finance: 0.8, Humor: 0.1 }),
  answer("bank run", { Health: 0.6, Finance: 0.3, Humor: 0.1 }),
  answer("lol", { Health: 0.2, Finance: 0.2, Humor: 0.6 }),
];

describe("evaluateResults", () => {
  it("measures precomputed answers against gold labels, as evaluate does", async () => {
    const evaluation = await evaluateResults(answers, ["Health", "Finance", "Finance", "Humor"], { labels: ["Health", "Finance", "Humor"], model: "transform" });
    const [t] = evaluation.templates;
    assert.equal(evaluation.model, "transform");
    assert.equal(evaluation.size, 4);
    assert.equal(t.template, "This example is {}.");
    assert.equal(t.accuracy, 0.75);
    assert.deepEqual(t.confusion.counts, [
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    assert.deepEqual(t.predictions.map((p) => p.predicted), ["Health", "Finance", "Health", "Humor"]);
    assert.equal(t.predictions[2].scores.Finance, 0.3);
  });

  it("leaves out rows whose gold label is not a candidate, and drops the other labels' scores", async () => {
    const evaluation = await evaluateResults(answers, ["Health", "Finance", "Family", "Humor"], { labels: ["Health", "Finance"] });
    assert.deepEqual(evaluation.leftOut, { Family: 1, Humor: 1 });
    assert.equal(evaluation.size, 2);
    assert.deepEqual(evaluation.templates[0].predictions.map((p) => p.predicted), ["Health", "Finance"]);
    assert.deepEqual(Object.keys(evaluation.templates[0].predictions[0].scores), ["Health", "Finance"]);
  });

  it("takes the labels from the first answer by default", async () => {
    const evaluation = await evaluateResults(answers.slice(0, 2), ["Health", "Finance"]);
    assert.deepEqual(evaluation.labels, ["Health", "Finance", "Humor"]);
  });

  it("refuses mismatched lengths and answers without a candidate label", async () => {
    await assert.rejects(() => evaluateResults(answers, ["Health"]), (e: Error) => e instanceof InputError && /4 answers but 1 gold/.test(e.message));
    await assert.rejects(
      () => evaluateResults(answers.slice(0, 1), ["Health"], { labels: ["Health", "Career"] }),
      (e: Error) => e instanceof InputError && /answer 1 has no score for Career/.test(e.message),
    );
  });
});
