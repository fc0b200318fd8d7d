import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import { classifyWith } from "../../src/classification/classify";
import type { ZeroShotBackend } from "../../src/classification/contract";
import { InputError } from "../../src/errors";
import { tinyBert } from "../helpers/models";

describe("ZeroShotClassifier over a real model", () => {
  let model: LocalNliModel;
  let classifier: ZeroShotClassifier;
  before(async () => {
    model = await LocalNliModel.load(tinyBert());
    classifier = new ZeroShotClassifier(model);
  });
  after(() => model.dispose());

  it("is a ZeroShotBackend named after its model", () => {
    const backend: ZeroShotBackend = classifier;
    assert.equal(backend.modelId, model.modelId);
    assert.equal(classifier.scorer, model);
  });

  it("classify gives what classifyWith gives over the same scorer", async () => {
    const options = { multiLabel: true, hypothesisTemplate: "This tweet is about {}." };
    assert.deepEqual(
      await classifier.classify(["Run a marathon", "Pay off my loans"], "Health,Finance", options),
      await classifyWith(model, ["Run a marathon", "Pay off my loans"], ["Health", "Finance"], options),
    );
  });

  it("answers a JumpStart payload: one result for a string, a list for a list, with its parameters applied", async () => {
    const single = await classifier.answer({ inputs: "Learn to cook", parameters: { candidate_labels: "Health, Education", multi_label: true, hypothesis_template: "I want {}." } });
    const [expected] = await classifier.classify("Learn to cook", ["Health", "Education"], { multiLabel: true, hypothesisTemplate: "I want {}." });
    assert.deepEqual(single, expected);
    const list = await classifier.answer({ inputs: ["Learn to cook"], parameters: { candidate_labels: ["Health", "Education"] } });
    assert.ok(Array.isArray(list));
    assert.deepEqual(list, await classifier.classify(["Learn to cook"], ["Health", "Education"]));
  });

  it("refuses a malformed payload with an InputError naming the field", async () => {
    await assert.rejects(classifier.answer({ inputs: "x" }), (error: unknown) => error instanceof InputError && /candidate_labels/.test(error.message));
    await assert.rejects(classifier.answer({ inputs: "x", parameters: { candidate_labels: ["A"], multi_label: "yes" } }), /"multi_label" must be true or false/);
    await assert.rejects(classifier.answer("just text"), InputError);
  });

  it("passes progress through answer", async () => {
    const seen: number[] = [];
    await classifier.answer({ inputs: ["a", "b"], parameters: { candidate_labels: ["X", "Y"] } }, { onProgress: (done) => seen.push(done) });
    assert.equal(seen.at(-1), 4);
  });
});
