import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import { classifyWith } from "../../src/classification/classify";
import { InputError } from "../../src/errors";
import { softmax } from "../../src/nli/scores";
import { maxDifference } from "../helpers/lists";
import { tinyBart, tinyBert } from "../helpers/models";
import { recordingScorer } from "../helpers/recordingScorer";

for (const [name, modelDir] of [["BERT-style, entailment first", tinyBert], ["BART-style, entailment last", tinyBart]] as const) {
  describe(`classifyWith on a real model (${name})`, () => {
    let model: LocalNliModel;
    before(async () => {
      model = await LocalNliModel.load(modelDir(), { batchSize: 4 });
    });
    after(() => model.dispose());

    /** The model's own logits of one (premise, hypothesis) pair. */
    const logitsOf = async (premise: string, hypothesis: string) => Array.from((await model.scorePairs([{ premise, hypothesis }]))[0]);

    it("pairs every text with every label's hypothesis in one call, texts outer, labels inner", async () => {
      const scorer = recordingScorer(model);
      await classifyWith(scorer, ["I will run a marathon", "Save more money"], "Health, Finance", { hypothesisTemplate: "This resolution is about {}." });
      assert.deepEqual(scorer.calls, [
        [
          { premise: "I will run a marathon", hypothesis: "This resolution is about Health." },
          { premise: "I will run a marathon", hypothesis: "This resolution is about Finance." },
          { premise: "Save more money", hypothesis: "This resolution is about Health." },
          { premise: "Save more money", hypothesis: "This resolution is about Finance." },
        ],
      ]);
    });

    it("single-label scores are the softmax of the entailment logits across labels, best first", async () => {
      const labels = ["Health", "Finance", "Humor"];
      const [result] = await classifyWith(model, "I will run a marathon", labels);
      const entailment = await Promise.all(labels.map(async (label) => (await logitsOf("I will run a marathon", `This example is ${label}.`))[model.labelIds.entailment]));
      const expected = softmax(entailment);
      assert.equal(result.sequence, "I will run a marathon");
      assert.deepEqual([...result.labels].sort(), [...labels].sort());
      assert.ok(maxDifference(result.scores, result.labels.map((label) => expected[labels.indexOf(label)])) < 1e-6);
      assert.ok(Math.abs(result.scores.reduce((a, b) => a + b) - 1) < 1e-9, "single-label scores sum to 1");
      assert.deepEqual(result.scores, [...result.scores].sort((a, b) => b - a), "best first");
    });

    it("multi-label scores each label on its own: entailment against contradiction of its own pair", async () => {
      const labels = ["Health", "Finance"];
      const [result] = await classifyWith(model, "Learn to cook", labels, { multiLabel: true });
      for (const [i, label] of result.labels.entries()) {
        const logits = await logitsOf("Learn to cook", `This example is ${label}.`);
        const [, entailment] = softmax([logits[model.labelIds.contradiction], logits[model.labelIds.entailment]]);
        assert.ok(Math.abs(result.scores[i] - entailment) < 1e-6, label);
      }
    });

    it("gives each text the scores it gets alone, whatever else is in the call", async () => {
      const texts = ["first text", "a much longer second text about saving money every month", "third"];
      const together = await classifyWith(model, texts, ["Health", "Finance"]);
      for (const [i, text] of texts.entries()) {
        const [alone] = await classifyWith(model, text, ["Health", "Finance"]);
        assert.deepEqual(together[i].labels, alone.labels);
        assert.ok(maxDifference(together[i].scores, alone.scores) < 1e-6, text);
      }
    });

    it("reports progress in pairs and ends at the total", async () => {
      const seen: [number, number][] = [];
      await classifyWith(model, ["a", "b", "c"], ["X", "Y", "Z"], { onProgress: (done, total) => seen.push([done, total]) });
      assert.deepEqual(seen.at(-1), [9, 9]);
      assert.ok(seen.every(([done, total], i) => total === 9 && (i === 0 || done >= seen[i - 1][0])));
    });
  });
}

describe("classifyWith input checks", () => {
  it("refuses empty labels, a template without {} and no texts before scoring anything", async () => {
    const model = await LocalNliModel.load(tinyBert());
    const scorer = recordingScorer(model);
    await assert.rejects(classifyWith(scorer, "text", []), (error: unknown) => error instanceof InputError && /candidate_labels is empty/.test(error.message));
    await assert.rejects(classifyWith(scorer, "text", ["A"], { hypothesisTemplate: "About that." }), /has no "\{\}" placeholder/);
    await assert.rejects(classifyWith(scorer, [], ["A"]), InputError);
    assert.deepEqual(scorer.calls, []);
    await model.dispose();
  });
});
