import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { loadWorkerClassifier, WorkerNliScorer } from "../../../src/backends/worker/workerNliScorer";
import { ZeroShotClassifier } from "../../../src/classification/classifier";
import { InferenceError, InputError, ModelLoadError } from "../../../src/errors";
import { tinyBert } from "../../helpers/models";
import { WorkerGate } from "../../helpers/workerGate";

const pairsOf = (premise: string, labels: string[]) => labels.map((label) => ({ premise, hypothesis: `This example is ${label}.` }));
const rows = (logits: ArrayLike<number>[]) => logits.map((row) => Array.from(row));

describe("WorkerNliScorer", () => {
  let local: LocalNliModel;
  before(async () => {
    local = await LocalNliModel.load(tinyBert());
  });
  after(() => local.dispose());

  it("scores pairs in its worker thread exactly as the model does in process, with the model's label ids", async () => {
    const scorer = await WorkerNliScorer.start(tinyBert());
    try {
      assert.deepEqual(scorer.labelIds, local.labelIds);
      assert.equal(scorer.maxLength, local.maxLength);
      const long = Array.from({ length: 400 }, (_, i) => `word${i % 50}`).join(" ");
      const pairs = [...pairsOf("I will run a marathon", ["Health", "Finance"]), ...pairsOf(long, ["Health", "Finance", "Travel"]), ...pairsOf("I will run a marathon", ["Health"])];
      assert.deepEqual(rows(await scorer.scorePairs(pairs)), rows(await local.scorePairs(pairs)));
      const progress: [number, number][] = [];
      await scorer.scorePairs(pairsOf("one more", ["A", "B"]), { onProgress: (done, total) => progress.push([done, total]) });
      assert.deepEqual(progress.at(-1), [2, 2]);
    } finally {
      await scorer.dispose();
    }
  });

  it("keeps the kind of a load failure: a missing model directory is a ModelLoadError, a bad batch size an InputError", async () => {
    await assert.rejects(WorkerNliScorer.start("/nonexistent/model-dir"), (error: unknown) => error instanceof ModelLoadError && /does not exist: check the path/.test(error.message));
    await assert.rejects(WorkerNliScorer.start(tinyBert(), { batchSize: 0 }), (error: unknown) => error instanceof InputError && /batch size/.test(error.message));
  });

  it("drops a queued job whose signal aborts before the worker is free: the model never sees its pairs", async () => {
    const gate = new WorkerGate();
    const scorer = await gate.start(tinyBert());
    try {
      gate.hold();
      const first = scorer.scorePairs(pairsOf("the job that holds the worker", ["A", "B"]));
      await gate.reached(1);
      const abandoned = new AbortController();
      const second = scorer.scorePairs(pairsOf("a job nobody waits for", ["A", "B", "C"]), { signal: abandoned.signal });
      const third = scorer.scorePairs(pairsOf("a job still wanted", ["A"]));
      assert.equal(scorer.queuedJobs, 2);
      abandoned.abort();
      await assert.rejects(second, { name: "AbortError" });
      gate.open();
      assert.deepEqual(rows(await first), rows(await local.scorePairs(pairsOf("the job that holds the worker", ["A", "B"]))));
      assert.deepEqual(rows(await third), rows(await local.scorePairs(pairsOf("a job still wanted", ["A"]))));
      assert.equal(gate.jobsReached, 2, "the first and the third job");
      assert.equal(gate.pairsSeen, 3, "2 + 1 pairs; none of the abandoned job's 3");
    } finally {
      gate.open();
      await scorer.dispose();
    }
  });

  it("fails only the running job when its worker dies, as an InferenceError, and scores the next one in a new worker", async () => {
    const gate = new WorkerGate();
    const scorer = await gate.start(tinyBert());
    try {
      await assert.rejects(scorer.scorePairs(pairsOf("CRASH_WORKER now", ["A"])), (error: unknown) => error instanceof InferenceError && /worker thread stopped \(exit code 3\)/.test(error.message));
      const pairs = pairsOf("after the crash", ["A", "B"]);
      assert.deepEqual(rows(await scorer.scorePairs(pairs)), rows(await local.scorePairs(pairs)));
      assert.equal(scorer.workersStarted, 2);
    } finally {
      await scorer.dispose();
    }
  });

  it("loadWorkerClassifier answers like the in-process classifier, with and without micro-batching", async () => {
    const plain = new ZeroShotClassifier(local);
    for (const batching of [undefined, false] as const) {
      const { classifier, scorer } = await loadWorkerClassifier(tinyBert(), { batching });
      try {
        const request = { inputs: ["I will run a marathon", "Pay off my debts"], parameters: { candidate_labels: ["Health", "Finance"], multi_label: true } };
        assert.deepEqual(await classifier.answer(request), await plain.answer(request));
      } finally {
        await scorer.dispose();
      }
    }
  });
});
