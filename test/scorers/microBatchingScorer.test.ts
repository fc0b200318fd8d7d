import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import type { NliScorer, PremiseHypothesisPair } from "../../src/classification/contract";
import { InferenceError } from "../../src/errors";
import type { NliLabelIds } from "../../src/nli/labels";
import type { PairLogits } from "../../src/nli/scores";
import { MicroBatchingScorer } from "../../src/scorers/microBatchingScorer";
import { tinyBert } from "../helpers/models";

/** The real model, counting its calls, and failing (as a broken forward pass would) on a poisoned premise. */
class CountingModel implements NliScorer {
  calls: number[] = [];
  constructor(readonly model: LocalNliModel) {}
  get modelId(): string {
    return this.model.modelId;
  }
  get labelIds(): NliLabelIds {
    return this.model.labelIds;
  }
  scorePairs(pairs: readonly PremiseHypothesisPair[]): Promise<PairLogits[]> {
    this.calls.push(pairs.length);
    if (pairs.some((pair) => pair.premise.includes("POISON"))) {
      return Promise.reject(new InferenceError("the model failed on a batch of pairs"));
    }
    return this.model.scorePairs(pairs);
  }
}

describe("MicroBatchingScorer", () => {
  let model: LocalNliModel;
  let plain: ZeroShotClassifier;
  before(async () => {
    model = await LocalNliModel.load(tinyBert());
    plain = new ZeroShotClassifier(model);
  });

  it("runs calls that arrive together as one forward call, each caller getting its own answer", async () => {
    const counting = new CountingModel(model);
    const batched = new ZeroShotClassifier(new MicroBatchingScorer(counting, { maxWaitMs: 20, maxPairs: 1000 }));
    const requests = Array.from({ length: 8 }, (_, i) => ({ text: `text number ${i}`, labels: [`label ${i}`, "shared", `other ${i % 3}`] }));
    const answers = await Promise.all(requests.map(({ text, labels }) => batched.classify(text, labels)));
    assert.deepEqual(counting.calls, [24], "one call with every request's pairs");
    for (const [i, { text, labels }] of requests.entries()) {
      assert.deepEqual(answers[i], await plain.classify(text, labels));
    }
  });

  it("caps a batch at maxPairs and gives every waiting caller a share of it", async () => {
    const counting = new CountingModel(model);
    const batcher = new MicroBatchingScorer(counting, { maxWaitMs: 5, maxPairs: 8 });
    const batched = new ZeroShotClassifier(batcher);
    const big = Array.from({ length: 10 }, (_, i) => `long request text ${i}`);
    const labels = ["A", "B", "C"];
    const [bigAnswer, smallAnswer] = await Promise.all([batched.classify(big, labels), batched.classify("small one", labels)]);
    assert.ok(counting.calls.every((size) => size <= 8), `batches ${counting.calls}`);
    assert.equal(counting.calls.reduce((a, b) => a + b, 0), 33);
    // The small request's 3 pairs ride in the first batch, not after the 30 pairs of the big one.
    assert.equal(counting.calls[0], 8);
    assert.deepEqual(bigAnswer, await plain.classify(big, labels));
    assert.deepEqual(smallAnswer, await plain.classify("small one", labels));
  });

  it("fails only the request whose input broke the batch", async () => {
    const counting = new CountingModel(model);
    const batched = new ZeroShotClassifier(new MicroBatchingScorer(counting, { maxWaitMs: 20 }));
    const results = await Promise.allSettled([
      batched.classify("a good text", ["A", "B"]),
      batched.classify("POISON text", ["A", "B"]),
      batched.classify("another good one", ["C", "D"]),
    ]);
    assert.equal(results[0].status, "fulfilled");
    assert.equal(results[2].status, "fulfilled");
    assert.equal(results[1].status, "rejected");
    assert.ok((results[1] as PromiseRejectedResult).reason instanceof InferenceError);
    assert.deepEqual((results[0] as PromiseFulfilledResult<unknown>).value, await plain.classify("a good text", ["A", "B"]));
    // The batch, then each request alone.
    assert.deepEqual(counting.calls, [6, 2, 2, 2]);
  });

  it("a lone caller on an idle model does not wait out the window; overlapping callers still share a batch", async () => {
    const counting = new CountingModel(model);
    const batched = new ZeroShotClassifier(new MicroBatchingScorer(counting, { maxWaitMs: 1500 }));
    const started = performance.now();
    for (const text of ["first alone", "second alone"]) assert.deepEqual(await batched.classify(text, ["A", "B"]), await plain.classify(text, ["A", "B"]));
    assert.ok(performance.now() - started < 1000, `two sequential calls took ${(performance.now() - started).toFixed(0)} ms`);
    assert.deepEqual(counting.calls, [2, 2]);
    await Promise.all([batched.classify("together 1", ["A", "B"]), batched.classify("together 2", ["A", "B"])]);
    assert.deepEqual(counting.calls, [2, 2, 4]);
  });

  it("answers an empty call at once", async () => {
    assert.deepEqual(await new MicroBatchingScorer(model).scorePairs([]), []);
  });
});
