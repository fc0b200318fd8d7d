import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import { labelScores } from "../../src/nli/scores";
import {
  assertScoresAgree,
  classifyWithTemplates,
  nliProbabilities,
  nliProbabilityTable,
  outputLabels,
  scoresInLabelOrder,
  scoreTable,
  templateTable,
} from "../../src/notebook/nliSteps";
import { tinyBart, tinyBert } from "../helpers/models";

const BART_IDS = { entailment: 2, contradiction: 0, numLabels: 3 };

describe("notebook NLI steps", () => {
  it("names the outputs from config.id2label, lower-cased, in index order", () => {
    assert.deepEqual(outputLabels({ labelIds: BART_IDS, config: { id2label: { 0: "contradiction", 1: "neutral", 2: "entailment" } } }), ["contradiction", "neutral", "entailment"]);
    assert.deepEqual(outputLabels({ labelIds: { entailment: 0, contradiction: 2, numLabels: 3 }, config: { id2label: { 0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION" } } }), ["entailment", "neutral", "contradiction"]);
    assert.deepEqual(outputLabels({ labelIds: BART_IDS }), ["contradiction", "label_1", "entailment"]);
  });

  it("names a loaded model's outputs from its own config", async () => {
    const bart = await LocalNliModel.load(tinyBart());
    const bert = await LocalNliModel.load(tinyBert());
    assert.deepEqual(outputLabels(bart), ["contradiction", "neutral", "entailment"]);
    assert.deepEqual(outputLabels(bert), ["entailment", "neutral", "contradiction"]);
  });

  it("turns one pair's logits into probabilities over all outputs", () => {
    // e^0, e^ln2, e^ln5 -> 1/8, 2/8, 5/8
    const probabilities = nliProbabilities([0, Math.log(2), Math.log(5)], ["contradiction", "neutral", "entailment"]);
    assert.ok(Math.abs(probabilities.contradiction - 1 / 8) < 1e-12 && Math.abs(probabilities.neutral - 2 / 8) < 1e-12 && Math.abs(probabilities.entailment - 5 / 8) < 1e-12);
    assert.throws(() => nliProbabilities([0, 1], ["a", "b", "c"]), /2 logits but 3 output names/);
  });

  it("tables the example pairs with each output's probability and the model's answer", () => {
    const html = nliProbabilityTable([{ premise: "p", hypothesis: "h", expected: "entailment" }], [[0, Math.log(2), Math.log(5)]], ["contradiction", "neutral", "entailment"]);
    assert.match(html, /<td[^>]*>p<\/td><td[^>]*>h<\/td><td[^>]*>entailment<\/td><td[^>]*>0\.125<\/td><td[^>]*>0\.250<\/td><td[^>]*>0\.625<\/td><td[^>]*>entailment<\/td>/);
  });

  it("puts a sorted result's scores back in label order", () => {
    const result = { sequence: "s", labels: ["B", "A"], scores: [0.7, 0.3] };
    assert.deepEqual(scoresInLabelOrder(["A", "B"], result), [0.3, 0.7]);
    assert.match(scoreTable(["A", "B"], { "by hand": [0.3, 0.7], library: result }), /<td[^>]*>A<\/td><td[^>]*>0\.3000<\/td><td[^>]*>0\.3000<\/td>/);
  });

  it("returns the largest difference when hand and library agree, and throws when they do not", () => {
    const result = { sequence: "s", labels: ["B", "A"], scores: [0.7, 0.3] };
    assert.ok(assertScoresAgree(["A", "B"], [0.3 + 1e-9, 0.7], result) < 2e-9);
    assert.throws(() => assertScoresAgree(["A", "B"], [0.7, 0.3], result), /differ by 0\.(4|39)/);
  });

  for (const [name, dir] of [["BART-style", tinyBart], ["BERT-style", tinyBert]] as const) {
    describe(`with a real model (${name})`, () => {
      let model: LocalNliModel;
      before(async () => (model = await LocalNliModel.load(dir())));

      it("hand-computed scores from the logits agree with the classifier, single- and multi-label", async () => {
        const labels = ["Health", "Sports", "Finance"];
        const text = "I run every morning.";
        const logits = await model.scorePairs(labels.map((label) => ({ premise: text, hypothesis: `This example is ${label}.` })));
        const classifier = new ZeroShotClassifier(model);
        for (const multiLabel of [false, true]) {
          const [result] = await classifier.classify(text, labels, { multiLabel });
          assert.ok(assertScoresAgree(labels, labelScores(logits, model.labelIds, multiLabel), result) <= 1e-12);
        }
      });

      it("classifies under each template, in template order, as classify does", async () => {
        const classifier = new ZeroShotClassifier(model);
        const templates = ["This example is {}.", "The topic is {}."];
        const answers = await classifyWithTemplates(classifier, "I run every morning.", ["Health", "Finance"], templates);
        assert.deepEqual(answers.map((answer) => answer.template), templates);
        const [direct] = await classifier.classify("I run every morning.", ["Health", "Finance"], { hypothesisTemplate: "The topic is {}." });
        assert.deepEqual(answers[1].result, direct);
        assert.match(templateTable(["Health", "Finance"], answers), /<th[^>]*>The topic is \{\}\.<\/th>[\s\S]*<td[^>]*>top label<\/td>/);
      });
    });
  }
});
