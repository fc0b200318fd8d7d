/**
 * The NLI worker thread's side of the protocol, spoken to directly: it loads the model named in
 * `workerData`, says `ready` with the model's facts, expands each job's string tables into pairs in
 * order, reports progress, answers logits `width` numbers per pair, fails one job without dying, and
 * says `disposed`. One worker with the tiny generated model serves every case.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import { runNliWorker } from "../../../src/backends/worker/nliWorker";
import type { FromWorker, NliWorkerData, ToWorker } from "../../../src/backends/worker/protocol";
import type { PremiseHypothesisPair } from "../../../src/classification/contract";
import { ModelLoadError } from "../../../src/errors";
import { tinyBert } from "../../helpers/models";

type Seen = FromWorker | { type: "beforeScore"; pairs: PremiseHypothesisPair[] };

/** The real worker module, with a `beforeScore` hook that tells the test which pairs each job became. */
const bootstrap = `require("tsx/cjs");
const { parentPort } = require("node:worker_threads");
require(${JSON.stringify(resolve(__dirname, "../../../src/backends/worker/nliWorker.ts"))}).runNliWorker({
  beforeScore: (pairs) => parentPort.postMessage({ type: "beforeScore", pairs }),
});`;

describe("nliWorker", () => {
  let worker: Worker;
  const messages: Seen[] = [];
  const next = (type: Seen["type"], from = 0) =>
    new Promise<Seen>((resolveMessage) => {
      const check = () => {
        const found = messages.slice(from).find((message) => message.type === type);
        if (found) {
          worker.off("message", check);
          resolveMessage(found);
        }
      };
      worker.on("message", check);
      check();
    });
  const send = (message: ToWorker) => worker.postMessage(message);

  before(() => {
    const data: NliWorkerData = { model: tinyBert(), options: { offline: true } };
    worker = new Worker(bootstrap, { eval: true, workerData: data });
    worker.on("message", (message: Seen) => messages.push(message));
  });
  after(() => worker.terminate());

  it("says ready with the model's id, label ids, maximum length and random-weights mark", async () => {
    const ready = (await next("ready")) as Extract<FromWorker, { type: "ready" }>;
    assert.equal(ready.modelId, tinyBert());
    assert.deepEqual(Object.keys(ready.labelIds).sort(), ["contradiction", "entailment", "numLabels"]);
    assert.equal(ready.labelIds.numLabels, 3);
    assert.ok(Number.isInteger(ready.maxLength) && ready.maxLength > 0);
    assert.equal(ready.randomWeights, true, "the generated test model has random weights");
  });

  it("expands a job's string tables into its pairs in order and answers width logits per pair, with progress", async () => {
    await next("ready");
    const from = messages.length;
    const premise = "The clinic opens a new wing for heart patients.";
    send({
      type: "score",
      id: 7,
      premises: [premise, "Shares fell."],
      hypotheses: ["This example is Health.", "This example is Finance."],
      pairIndex: Uint32Array.from([0, 0, 0, 1, 1, 1, 0, 0]),
    });
    const scored = (await next("scored", from)) as Extract<FromWorker, { type: "scored" }>;
    const seen = messages.slice(from).find((message) => message.type === "beforeScore") as Extract<Seen, { type: "beforeScore" }>;
    assert.deepEqual(seen.pairs, [
      { premise, hypothesis: "This example is Health." },
      { premise, hypothesis: "This example is Finance." },
      { premise: "Shares fell.", hypothesis: "This example is Finance." },
      { premise, hypothesis: "This example is Health." },
    ]);
    assert.equal(scored.id, 7);
    assert.equal(scored.width, 3);
    assert.ok(scored.logits instanceof Float32Array);
    assert.equal(scored.logits.length, 4 * 3);
    assert.deepEqual([...scored.logits.subarray(9, 12)], [...scored.logits.subarray(0, 3)], "the same pair gets the same logits");
    assert.ok([...scored.logits].every(Number.isFinite));
    const progress = messages.slice(from).filter((message): message is Extract<FromWorker, { type: "progress" }> => message.type === "progress");
    assert.ok(progress.length > 0 && progress.every((message) => message.id === 7));
    assert.deepEqual([progress.at(-1)!.done, progress.at(-1)!.total], [3, 3], "progress in the model's work: the repeated pair is scored once");
  });

  it("fails only the job that breaks, naming it, and scores the next one", async () => {
    await next("ready");
    const from = messages.length;
    send({ type: "score", id: 8, premises: ["text"], hypotheses: ["This example is Health."], pairIndex: Uint32Array.from([0, 5]) });
    const failed = (await next("failed", from)) as Extract<FromWorker, { type: "failed" }>;
    assert.equal(failed.id, 8);
    // Crosses the thread by name (the scorer turns an unknown name into an InferenceError).
    assert.equal(failed.error.name, "TypeError");
    assert.ok(failed.error.message.length > 0);
    send({ type: "score", id: 9, premises: ["text"], hypotheses: ["This example is Health."], pairIndex: Uint32Array.from([0, 0]) });
    const scored = (await next("scored", from)) as Extract<FromWorker, { type: "scored" }>;
    assert.equal(scored.id, 9);
    assert.equal(scored.logits.length, 3);
  });

  it("says disposed once it has released the model", async () => {
    await next("ready");
    const from = messages.length;
    send({ type: "dispose" });
    assert.deepEqual(await next("disposed", from), { type: "disposed" });
  });

  it("refuses to run outside a worker thread, saying how to load a model instead", () => {
    assert.throws(() => runNliWorker(), (error: unknown) => {
      assert.ok(error instanceof ModelLoadError);
      assert.equal(error.message, "runNliWorker runs inside a worker thread: load the model with WorkerNliScorer.start or loadWorkerClassifier");
      return true;
    });
  });
});
