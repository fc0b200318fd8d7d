/**
 * The real NLI worker with a gate the test controls, for tests that need the model busy for as long
 * as they say (no timing races): before each job the worker thread counts the job and its pairs and
 * blocks on the gate while it is held, as a long forward pass would. A premise containing
 * "CRASH_WORKER" makes the thread exit, as a runtime that crashes would.
 */
import { workerData } from "node:worker_threads";
import { runNliWorker } from "../../src/backends/worker/nliWorker";
import { ALLOWANCE, GATE_HELD, JOBS_REACHED, PAIRS_SEEN } from "./workerGate";

const gate = new Int32Array((workerData as { hooks: { gate: SharedArrayBuffer } }).hooks.gate);

runNliWorker({
  beforeScore(pairs) {
    if (pairs.some((pair) => pair.premise.includes("CRASH_WORKER"))) process.exit(3);
    Atomics.add(gate, PAIRS_SEEN, pairs.length);
    Atomics.add(gate, JOBS_REACHED, 1);
    Atomics.notify(gate, JOBS_REACHED);
    while (Atomics.load(gate, GATE_HELD) === 1) {
      // Held, but with jobs still allowed through (`holdAfter`): take one.
      const allowed = Atomics.load(gate, ALLOWANCE);
      if (allowed > 0) {
        if (Atomics.compareExchange(gate, ALLOWANCE, allowed, allowed - 1) === allowed) break;
        continue;
      }
      Atomics.wait(gate, GATE_HELD, 1);
    }
  },
});
