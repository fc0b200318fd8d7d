import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClassifyCallOptions, ZeroShotBackend } from "../../src/classification/contract";
import { danfo } from "../../src/data/danfo";
import { loadResolutions } from "../../src/data/load";
import { evaluate } from "../../src/evaluation/evaluate";
import type { ZeroShotResult } from "../../src/payload/types";
import { tinyBert } from "../helpers/models";
import { loadClassifier } from "../../src/backends/local/loadClassifier";

/** A backend with known answers: a label wins when its keyword is in the text (else the first label). */
class KeywordBackend implements ZeroShotBackend {
  readonly modelId = "keywords";
  readonly calls: { template?: string; multiLabel?: boolean; texts: number }[] = [];
  constructor(private readonly keywords: Record<string, string>) {}
  async classify(texts: readonly string[], labels: readonly string[], options: ClassifyCallOptions): Promise<ZeroShotResult[]> {
    this.calls.push({ template: options.hypothesisTemplate, multiLabel: options.multiLabel, texts: texts.length });
    options.onProgress?.(texts.length * labels.length, texts.length * labels.length);
    return texts.map((sequence) => {
      const hit = labels.find((label) => sequence.includes(this.keywords[label]));
      const scores = labels.map((label) => (label === (hit ?? labels[0]) ? 0.8 : 0.2 / (labels.length - 1)));
      const order = labels.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
      return { sequence, labels: order.map((i) => labels[i]), scores: order.map((i) => scores[i]) };
    });
  }
}

const data = {
  texts: ["run a marathon", "save money", "run to the bank", "lol", "budget money"],
  gold: ["Health", "Finance", "Finance", "Humor", "Finance"],
};
const backend = () => new KeywordBackend({ Health: "run", Finance: "money", Humor: "lol" });

describe("evaluate", () => {
  it("measures a backend's predictions against gold labels", async () => {
    const evaluation = await evaluate(backend(), data, { labels: ["Health", "Finance", "Humor"] });
    const [t] = evaluation.templates;
    // Predictions: Health, Finance, Health (wrong), Humor, Finance -> 4/5.
    assert.equal(t.accuracy, 0.8);
    assert.deepEqual(t.confusion.counts, [
      [1, 0, 0],
      [1, 2, 0],
      [0, 0, 1],
    ]);
    // Health P 1/2 R 1 F1 2/3; Finance P 1 R 2/3 F1 0.8; Humor 1 -> macro (2/3 + 0.8 + 1) / 3
    assert.ok(Math.abs(t.macroF1 - (2 / 3 + 0.8 + 1) / 3) < 1e-12);
    // The wrong one ranks Finance second (tie broken by label order: Finance before Humor).
    assert.deepEqual(t.topK, [
      { k: 1, accuracy: 0.8 },
      { k: 3, accuracy: 1 },
    ]);
    assert.deepEqual(t.predictions[2], {
      text: "run to the bank",
      gold: "Finance",
      predicted: "Health",
      score: 0.8,
      correct: false,
      scores: { Health: 0.8, Finance: 0.1, Humor: 0.1 },
    });
    assert.equal(t.reliability.bins[7].count, 5);
  });

  it("compares templates on the same texts, and leaves out rows whose gold label is not a candidate", async () => {
    const keywords = backend();
    let lastProgress: [number, number] = [0, 0];
    const evaluation = await evaluate(keywords, data, {
      labels: "Health, Finance",
      templates: ["This example is {}.", "This resolution is about {}."],
      onProgress: (done, total) => (lastProgress = [done, total]),
    });
    assert.deepEqual(evaluation.leftOut, { Humor: 1 });
    assert.equal(evaluation.size, 4);
    assert.deepEqual(
      evaluation.templates.map((t) => t.template),
      ["This example is {}.", "This resolution is about {}."],
    );
    assert.deepEqual(keywords.calls.map((call) => call.template), ["This example is {}.", "This resolution is about {}."]);
    assert.deepEqual(lastProgress, [16, 16]);
  });

  it("reports multi-label metrics at the threshold", async () => {
    const evaluation = await evaluate(backend(), data, { labels: ["Health", "Finance", "Humor"], multiLabel: true, threshold: 0.5 });
    const multi = evaluation.templates[0].multiLabel!;
    assert.equal(multi.threshold, 0.5);
    // One label per text passes 0.5 (the 0.8): the same decisions as single-label.
    assert.equal(multi.subsetAccuracy, 0.8);
    assert.equal(multi.meanPredictedLabels, 1);
  });

  it("runs a real local model on a DataFrame and on a loaded dataset", async () => {
    const classifier = await loadClassifier(tinyBert(), { batchSize: 16 });
    const dataset = loadResolutions("data/resolutions-sample.csv", { limit: 18 });
    const fromDataset = await evaluate(classifier, dataset);
    assert.equal(fromDataset.size, 18);
    assert.deepEqual(fromDataset.labels, dataset.labels);
    const [t] = fromDataset.templates;
    const correct = t.predictions.filter((p) => p.correct).length;
    assert.equal(t.accuracy, correct / 18);
    assert.equal(t.confusion.counts.flat().reduce((a, b) => a + b, 0), 18);
    for (const p of t.predictions) assert.ok(Math.abs(Object.values(p.scores).reduce((a, b) => a + b, 0) - 1) < 1e-5);

    const frame = new (danfo().DataFrame)({ tweet: dataset.frame.column("text").values, gold: dataset.frame.column("label").values });
    const fromFrame = await evaluate(classifier.scorer, frame, { textColumn: "tweet", labelColumn: "gold", labels: dataset.labels });
    assert.deepEqual(fromFrame.templates[0].predictions.map((p) => p.predicted), t.predictions.map((p) => p.predicted));
  });

  it("says what is wrong with bad input", async () => {
    await assert.rejects(evaluate(backend(), data, { labels: ["Career"] }), /no row's gold label is among the candidate labels \(Career\)/);
    await assert.rejects(evaluate(backend(), data, { templates: ["no placeholder"] }), /no "\{\}" placeholder/);
    await assert.rejects(evaluate(backend(), { texts: ["a"], gold: [] }), /1 texts but 0 gold labels/);
  });
});
