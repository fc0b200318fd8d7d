import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { physicalCoreCount } from "../../../src/backends/local/sessionOptions";
import { describeServingWorkers, loadWorkerClassifier, servingWorkers, WorkerNliScorer } from "../../../src/backends/worker/workerNliScorer";
import { ZeroShotClassifier } from "../../../src/classification/classifier";
import { InferenceError, InputError, ModelLoadError } from "../../../src/errors";
import { MicroBatchingScorer } from "../../../src/scorers/microBatchingScorer";
import { tinyBert } from "../../helpers/models";
import { until, WorkerGate } from "../../helpers/workerGate";

const pairsOf = (premise: string, labels: string[]) => labels.map((label) => ({ premise, hypothesis: `This example is ${label}.` }));
const rows = (logits: ArrayLike<number>[]) => logits.map((row) => Array.from(row));

describe("WorkerNliScorer", () => {
  let local: LocalNliModel;
  /** Two worker threads and a solo one behind one gate, shared by the tests (each model load costs CPU). */
  const gate = new WorkerGate();
  let pool: WorkerNliScorer;
  before(async () => {
    [local, pool] = await Promise.all([LocalNliModel.load(tinyBert()), gate.start(tinyBert(), { workers: 2, soloThreads: 1 })]);
  });
  after(async () => {
    gate.open();
    await Promise.all([local.dispose(), pool.dispose()]);
  });

  it("scores pairs in its worker threads exactly as the model does in process, with the model's label ids", async () => {
    assert.deepEqual(pool.labelIds, local.labelIds);
    assert.equal(pool.maxLength, local.maxLength);
    const long = Array.from({ length: 400 }, (_, i) => `word${i % 50}`).join(" ");
    const pairs = [...pairsOf("I will run a marathon", ["Health", "Finance"]), ...pairsOf(long, ["Health", "Finance", "Travel"]), ...pairsOf("I will run a marathon", ["Health"])];
    assert.deepEqual(rows(await pool.scorePairs(pairs)), rows(await local.scorePairs(pairs)));
    const progress: [number, number][] = [];
    await pool.scorePairs(pairsOf("one more", ["A", "B"]), { onProgress: (done, total) => progress.push([done, total]) });
    assert.deepEqual(progress.at(-1), [2, 2]);
  });

  it("keeps the kind of a load failure: a missing model directory is a ModelLoadError, a bad batch size or worker count an InputError", async () => {
    await assert.rejects(WorkerNliScorer.start("/nonexistent/model-dir"), (error: unknown) => error instanceof ModelLoadError && /does not exist: check the path/.test(error.message));
    await assert.rejects(WorkerNliScorer.start(tinyBert(), { batchSize: 0 }), (error: unknown) => error instanceof InputError && /batch size/.test(error.message));
    await assert.rejects(WorkerNliScorer.start(tinyBert(), { workers: 0 }), (error: unknown) => error instanceof InputError && /workers must be a whole number of at least 1, not 0: try --workers 1/.test(error.message));
    await assert.rejects(WorkerNliScorer.start(tinyBert(), { soloThreads: 1.5 }), (error: unknown) => error instanceof InputError && /soloThreads must be a whole number/.test(error.message));
  });

  it("gives a lone call to the solo worker, and spreads calls that come together over the workers", async () => {
    assert.equal(pool.concurrency, 2, "the solo worker stands in for the others, it does not add to them");
    const [reachedBefore, soloBefore] = [gate.jobsReached, pool.soloJobs];
    await pool.scorePairs(pairsOf("a lone call", ["A"]));
    assert.equal(pool.soloJobs, soloBefore + 1);
    gate.hold();
    const texts = ["first", "second", "third", "fourth"];
    const calls = texts.map((text) => pool.scorePairs(pairsOf(text, ["A", "B"])));
    // The first finds every worker idle (solo), the next two take the two workers: three held at once.
    await gate.reached(reachedBefore + 4);
    assert.equal(pool.queuedJobs, 1, "the fourth waits: the solo worker is not used while others work");
    gate.open();
    const answers = await Promise.all(calls);
    assert.equal(pool.soloJobs, soloBefore + 2);
    for (const [i, text] of texts.entries()) assert.deepEqual(rows(answers[i]), rows(await local.scorePairs(pairsOf(text, ["A", "B"]))));
  });

  it("drops a queued job whose signal aborts before a worker is free: the model never sees its pairs", async () => {
    const [reachedBefore, pairsBefore] = [gate.jobsReached, gate.pairsSeen];
    gate.hold();
    const holding = [pool.scorePairs(pairsOf("the job that holds one worker", ["A", "B"])), pool.scorePairs(pairsOf("the job that holds another", ["A"])), pool.scorePairs(pairsOf("and the last", ["A"]))];
    await gate.reached(reachedBefore + 3);
    const abandoned = new AbortController();
    const second = pool.scorePairs(pairsOf("a job nobody waits for", ["A", "B", "C"]), { signal: abandoned.signal });
    const third = pool.scorePairs(pairsOf("a job still wanted", ["A"]));
    assert.equal(pool.queuedJobs, 2);
    abandoned.abort();
    await assert.rejects(second, { name: "AbortError" });
    gate.open();
    assert.deepEqual(rows(await holding[0]), rows(await local.scorePairs(pairsOf("the job that holds one worker", ["A", "B"]))));
    await Promise.all(holding);
    assert.deepEqual(rows(await third), rows(await local.scorePairs(pairsOf("a job still wanted", ["A"]))));
    assert.equal(gate.jobsReached - reachedBefore, 4, "the three holding jobs and the wanted one");
    assert.equal(gate.pairsSeen - pairsBefore, 5, "2 + 1 + 1 + 1 pairs; none of the abandoned job's 3");
  });

  it("fails only the running job when its worker dies, as an InferenceError, and scores the next one in a new worker", async () => {
    const startedBefore = pool.workersStarted;
    await assert.rejects(pool.scorePairs(pairsOf("CRASH_WORKER now", ["A"])), (error: unknown) => error instanceof InferenceError && /worker thread stopped \(exit code 3\)/.test(error.message));
    const pairs = pairsOf("after the crash", ["A", "B"]);
    assert.deepEqual(rows(await pool.scorePairs(pairs)), rows(await local.scorePairs(pairs)));
    assert.equal(pool.workersStarted, startedBefore + 1);
    await until(() => !pool.busy, "the pool is idle");
  });

  it("loadWorkerClassifier answers like the in-process classifier, micro-batching over as many batches at once as it has workers", async () => {
    const plain = new ZeroShotClassifier(local);
    const { classifier, scorer } = await loadWorkerClassifier(tinyBert(), { workers: 2 });
    try {
      assert.ok(classifier.scorer instanceof MicroBatchingScorer);
      assert.equal(classifier.scorer.maxConcurrentBatches, 2);
      const request = { inputs: ["I will run a marathon", "Pay off my debts"], parameters: { candidate_labels: ["Health", "Finance"], multi_label: true } };
      assert.deepEqual(await classifier.answer(request), await plain.answer(request));
    } finally {
      await scorer.dispose();
    }
  });
});

describe("servingWorkers (serve --workers N, local mode's --workers N)", () => {
  it("is one copy with every core for 1, and N single-threaded copies plus a solo one with every core for N > 1", () => {
    assert.deepEqual(servingWorkers(1), { workers: 1 });
    assert.deepEqual(servingWorkers(3), { workers: 3, soloThreads: physicalCoreCount() });
    assert.equal(describeServingWorkers(1), "");
    assert.equal(describeServingWorkers(3), "3 single-threaded copies + 1 for lone requests");
  });

  it("refuses a count below 1 or not whole, naming the option it came from", () => {
    assert.throws(() => servingWorkers(0, "modelWorkers"), (error: Error) => error instanceof InputError && /^modelWorkers must be a whole number of at least 1, not 0: try --workers 1$/.test(error.message));
    assert.throws(() => servingWorkers(1.5), (error: Error) => error instanceof InputError && /^workers must be a whole number of at least 1, not 1.5/.test(error.message));
  });
});
