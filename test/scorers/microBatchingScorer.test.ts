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
  /** Every pair the model was asked to score, in order. */
  seen: PremiseHypothesisPair[] = [];
  /** While set, calls wait for it: the test holds the model busy for as long as it needs. */
  gate: Promise<void> | undefined;
  constructor(readonly model: LocalNliModel) {}
  get modelId(): string {
    return this.model.modelId;
  }
  get labelIds(): NliLabelIds {
    return this.model.labelIds;
  }
  async scorePairs(pairs: readonly PremiseHypothesisPair[]): Promise<PairLogits[]> {
    this.calls.push(pairs.length);
    this.seen.push(...pairs);
    if (pairs.some((pair) => pair.premise.includes("POISON"))) {
      throw new InferenceError("the model failed on a batch of pairs");
    }
    await this.gate;
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

  it("caps a batch at maxPairs, and a small caller rides the first batch beside a big one", async () => {
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

  it("answers each request from one batch where it fits: three 5-pair calls with room for 8 go as 5, 5, 5, not as slices", async () => {
    const counting = new CountingModel(model);
    const batched = new ZeroShotClassifier(new MicroBatchingScorer(counting, { maxWaitMs: 5, maxPairs: 8 }));
    const labels = ["A", "B", "C", "D", "E"];
    const texts = ["one request", "another request", "a third request"];
    const answers = await Promise.all(texts.map((text) => batched.classify(text, labels)));
    assert.deepEqual(counting.calls, [5, 5, 5]);
    for (const [i, text] of texts.entries()) assert.deepEqual(answers[i], await plain.classify(text, labels));
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

  it("a lone caller on an idle model does not wait out the window; overlapping callers still share a batch", async (t) => {
    // The window's timer never fires here (the test owns setTimeout's clock): a call that waited for it would never reach the model.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const counting = new CountingModel(model);
    const batched = new ZeroShotClassifier(new MicroBatchingScorer(counting, { maxWaitMs: 1500 }));
    for (const [i, text] of ["first alone", "second alone"].entries()) {
      const answer = batched.classify(text, ["A", "B"]);
      for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(counting.calls.length, i + 1, `call ${i + 1} reached the model at once, without the 1.5 s window`);
      assert.deepEqual(await answer, await plain.classify(text, ["A", "B"]));
    }
    assert.deepEqual(counting.calls, [2, 2]);
    await Promise.all([batched.classify("together 1", ["A", "B"]), batched.classify("together 2", ["A", "B"])]);
    assert.deepEqual(counting.calls, [2, 2, 4]);
  });

  it("scores identical (premise, hypothesis) pairs of different requests once, and gives each request its answer", async () => {
    const counting = new CountingModel(model);
    const batcher = new MicroBatchingScorer(counting, { maxWaitMs: 20 });
    const batched = new ZeroShotClassifier(batcher);
    const [a, b, c] = await Promise.all([
      batched.classify("the same text", ["Health", "Finance"]),
      batched.classify("the same text", ["Finance", "Travel"]),
      batched.classify(["the same text", "another text"], ["Health"]),
    ]);
    assert.deepEqual(counting.calls, [4], "Health, Finance, Travel for the shared text, Health for the other");
    assert.equal(batcher.duplicatePairsSkipped, 2, "6 pairs asked, 4 distinct");
    assert.deepEqual(a, await plain.classify("the same text", ["Health", "Finance"]));
    assert.deepEqual(b, await plain.classify("the same text", ["Finance", "Travel"]));
    assert.deepEqual(c, await plain.classify(["the same text", "another text"], ["Health"]));
  });

  it("drops the queued pairs of a caller whose signal aborts: the model never scores them", async () => {
    const counting = new CountingModel(model);
    const batcher = new MicroBatchingScorer(counting, { maxWaitMs: 1 });
    const batched = new ZeroShotClassifier(batcher);
    let release!: () => void;
    counting.gate = new Promise<void>((resolve) => (release = resolve));
    const busy = batched.classify("keeps the model busy", ["A", "B"]);
    while (counting.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const hungUp = new AbortController();
    const abandoned = batched.classify("nobody waits for this", ["A", "B", "C"], { signal: hungUp.signal });
    const wanted = batched.classify("still wanted", ["A"]);
    assert.equal(batcher.queuedPairs, 4);
    hungUp.abort();
    await assert.rejects(abandoned, { name: "AbortError" });
    assert.equal(batcher.queuedPairs, 1);
    release();
    counting.gate = undefined;
    assert.deepEqual(await busy, await plain.classify("keeps the model busy", ["A", "B"]));
    assert.deepEqual(await wanted, await plain.classify("still wanted", ["A"]));
    assert.deepEqual(counting.calls, [2, 1]);
    assert.ok(!counting.seen.some((pair) => pair.premise === "nobody waits for this"));
    assert.equal(batcher.abandonedPairs, 3);
  });

  it("runs every call that arrived while the model was busy as the next batch, without waiting out the window", async () => {
    const counting = new CountingModel(model);
    const batched = new ZeroShotClassifier(new MicroBatchingScorer(counting, { maxWaitMs: 60_000, maxPairs: 1000 }));
    let release!: () => void;
    counting.gate = new Promise<void>((resolve) => (release = resolve));
    const first = batched.classify("first", ["A", "B"]);
    while (counting.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const queued = Array.from({ length: 5 }, (_, i) => batched.classify(`queued ${i}`, ["A", "B"]));
    release();
    counting.gate = undefined;
    await Promise.all([first, ...queued]);
    // A 60 s window was never waited out: the 5 calls that queued during the first batch ran next, together.
    assert.deepEqual(counting.calls, [2, 10]);
  });

  it("merges callers only while that measured cheaper per pair than running them one after another", async () => {
    /** The real model, plus a cost the test sets: padding-heavy merged calls, or a fixed cost per call. */
    class CostedModel extends CountingModel {
      constructor(
        model: LocalNliModel,
        readonly costMs: (pairs: readonly PremiseHypothesisPair[]) => number,
      ) {
        super(model);
      }
      override async scorePairs(pairs: readonly PremiseHypothesisPair[]): Promise<PairLogits[]> {
        await new Promise((resolve) => setTimeout(resolve, this.costMs(pairs)));
        return super.scorePairs(pairs);
      }
    }
    const premises = (pairs: readonly PremiseHypothesisPair[]) => new Set(pairs.map((pair) => pair.premise)).size;
    const rounds = async (batcher: MicroBatchingScorer, count: number) => {
      const batched = new ZeroShotClassifier(batcher);
      for (let round = 0; round < count; round++) {
        const texts = [`round ${round} first`, `round ${round} second`, `round ${round} third`];
        const answers = await Promise.all(texts.map((text) => batched.classify(text, ["A", "B"])));
        assert.deepEqual(answers, await Promise.all(texts.map((text) => plain.classify(text, ["A", "B"]))));
      }
    };
    // Merging costs 10x per pair (as padding different texts together can): after trying both, callers run one by one.
    const padded = new CostedModel(model, (pairs) => (premises(pairs) > 1 ? 20 : 2) * pairs.length);
    const slowMerge = new MicroBatchingScorer(padded, { maxWaitMs: 1 });
    await rounds(slowMerge, 7);
    assert.deepEqual(padded.calls.slice(0, 4), [6, 2, 2, 2], "tried merged, then caller by caller");
    assert.deepEqual(slowMerge.regimeBatches, { merged: 1, separate: 6 });
    // A fixed cost per call (as a model whose large batches pay): merging wins and stays.
    const perCall = new CostedModel(model, (pairs) => 60 + pairs.length);
    const fastMerge = new MicroBatchingScorer(perCall, { maxWaitMs: 1 });
    await rounds(fastMerge, 7);
    assert.deepEqual(fastMerge.regimeBatches, { merged: 6, separate: 1 });
    assert.ok(fastMerge.msPerPair.merged! < fastMerge.msPerPair.separate!);
  });

  it("tries the slower regime again less and less often while it stays slower: decisions 8, 24, 56, 120, then every 128th", async () => {
    // The batcher's clock is the test's: a merged call costs 10 ms per pair on it, a call per caller 1 ms.
    let clock = 0;
    const mergedCalls: number[] = [];
    const costed = new (class extends CountingModel {
      override async scorePairs(pairs: readonly PremiseHypothesisPair[]): Promise<PairLogits[]> {
        const callers = new Set(pairs.map((pair) => pair.premise)).size;
        if (callers > 1) mergedCalls.push(callers);
        clock += (callers > 1 ? 10 : 1) * pairs.length;
        return super.scorePairs(pairs);
      }
    })(model);
    const batcher = new MicroBatchingScorer(costed, { maxWaitMs: 1, now: () => clock });
    const batched = new ZeroShotClassifier(batcher);
    const mergedAfter: number[] = [];
    // The first two batches try each regime once; the 130 after them are decisions.
    for (let round = 0; round < 2 + 130; round++) {
      const texts = [`round ${round} a`, `round ${round} b`, `round ${round} c`];
      const answers = await Promise.all(texts.map((text) => batched.classify(text, ["A", "B"])));
      if (round % 50 === 0) assert.deepEqual(answers, await Promise.all(texts.map((text) => plain.classify(text, ["A", "B"]))));
      mergedAfter.push(batcher.regimeBatches.merged);
    }
    // One first try, then tries at decisions 8, 24, 56 and 120 (the old rule, every 8th, made 16).
    assert.equal(batcher.probes, 4);
    assert.deepEqual(batcher.regimeBatches, { merged: 5, separate: 127 });
    // Round r >= 2 is decision r - 1; round 0 was the first try of merging.
    const mergedRounds = mergedAfter.flatMap((count, round) => (count > (mergedAfter[round - 1] ?? 0) ? [round] : []));
    assert.deepEqual(mergedRounds, [0, 8 + 1, 24 + 1, 56 + 1, 120 + 1]);
    assert.deepEqual(batcher.msPerPair, { merged: 10, separate: 1 });
    // The first try, before any choice, merged all three waiting callers; each later try merges two only,
    // so a try holds few callers for the longer batch.
    assert.deepEqual(mergedCalls, [3, 2, 2, 2, 2]);
  });

  it("follows a machine that changes: a try that finds the slower regime cheaper now switches to it, and tries begin again every 8th decision", async () => {
    // On the test's clock a call per caller costs 1 ms per pair; merging 10 ms per pair until round 30, then 0.125.
    let clock = 0;
    let round = 0;
    const costed = new (class extends CountingModel {
      override async scorePairs(pairs: readonly PremiseHypothesisPair[]): Promise<PairLogits[]> {
        const merged = new Set(pairs.map((pair) => pair.premise)).size > 1;
        clock += (merged ? (round < 30 ? 10 : 0.125) : 1) * pairs.length;
        return super.scorePairs(pairs);
      }
    })(model);
    const batcher = new MicroBatchingScorer(costed, { maxWaitMs: 1, now: () => clock });
    const batched = new ZeroShotClassifier(batcher);
    const merged: number[] = [];
    for (round = 0; round < 100; round++) {
      const before = batcher.regimeBatches.merged;
      await Promise.all([`${round} a`, `${round} b`, `${round} c`].map((text) => batched.classify(text, ["A", "B"])));
      if (round === 0 || batcher.regimeBatches.merged > before) merged.push(round);
    }
    // Merged: the first try (round 0), tries at decisions 8, 24 and 56 (rounds 9, 25, 57); the last finds
    // merging cheaper, so from decision 57 on it merges, trying a call per caller at decisions 64 and 80.
    const separateFromRound57 = Array.from({ length: 100 - 57 }, (_, i) => 57 + i).filter((r) => !merged.includes(r));
    assert.deepEqual(merged.filter((r) => r <= 57), [0, 9, 25, 57]);
    assert.deepEqual(separateFromRound57, [65, 81]);
    assert.deepEqual(batcher.msPerPair, { merged: 0.125, separate: 1 });
  });

  it("keeps as many batches in flight as its scorer runs calls at once; caller by caller is then one caller per batch", async () => {
    const counting = Object.assign(new CountingModel(model), { concurrency: 2 });
    const batcher = new MicroBatchingScorer(counting, { maxWaitMs: 60_000, maxPairs: 1000 });
    assert.equal(batcher.maxConcurrentBatches, 2);
    // As measured on a small CPU: merging costs more per pair than a call per caller.
    Object.assign(batcher.msPerPair, { merged: 10, separate: 1 });
    const batched = new ZeroShotClassifier(batcher);
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    let release!: () => void;
    counting.gate = new Promise<void>((resolve) => (release = resolve));
    const texts = ["first", "second", "third", "fourth", "fifth"];
    const answers = [batched.classify(texts[0], ["A", "B"])];
    while (counting.calls.length < 1) await turn();
    // The model is busy with the first call, yet the second starts at once, beside it (no 60 s wait).
    answers.push(batched.classify(texts[1], ["A", "B"]));
    while (counting.calls.length < 2) await turn();
    answers.push(...texts.slice(2).map((text) => batched.classify(text, ["A", "B"])));
    await turn();
    assert.equal(counting.calls.length, 2, "two batches in flight, no third");
    assert.equal(batcher.queuedPairs, 6);
    release();
    counting.gate = undefined;
    const results = await Promise.all(answers);
    assert.deepEqual(counting.calls, [2, 2, 2, 2, 2], "every caller its own call");
    assert.deepEqual(batcher.regimeBatches, { merged: 0, separate: 2 }, "two decisions while several waited; the last caller ran alone");
    for (const [i, text] of texts.entries()) assert.deepEqual(results[i], await plain.classify(text, ["A", "B"]));
  });

  it("answers an empty call at once", async () => {
    assert.deepEqual(await new MicroBatchingScorer(model).scorePairs([]), []);
  });
});
