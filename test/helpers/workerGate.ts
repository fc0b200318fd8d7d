/** The test's side of `gatedNliWorker`: hold the worker busy, see what reached it, let it go. */
import { resolve } from "node:path";
import { WorkerNliScorer, type WorkerScorerOptions } from "../../src/backends/worker/workerNliScorer";

export const GATE_HELD = 0;
export const JOBS_REACHED = 1;
export const PAIRS_SEEN = 2;
/** Jobs still let through while the gate is held (`holdAfter`). */
export const ALLOWANCE = 3;

export class WorkerGate {
  private readonly view: Int32Array;
  readonly buffer = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
  constructor() {
    this.view = new Int32Array(this.buffer);
  }

  /** Options that make a `WorkerNliScorer` run the gated worker. */
  get scorerOptions(): WorkerScorerOptions {
    return { workerScript: resolve(__dirname, "gatedNliWorker.ts"), hooks: { gate: this.buffer } };
  }

  start(model: string, options: WorkerScorerOptions = {}): Promise<WorkerNliScorer> {
    return WorkerNliScorer.start(model, { ...options, ...this.scorerOptions });
  }

  /** Jobs that reached the worker so far. */
  get jobsReached(): number {
    return Atomics.load(this.view, JOBS_REACHED);
  }

  /** Pairs the worker was asked to score so far. */
  get pairsSeen(): number {
    return Atomics.load(this.view, PAIRS_SEEN);
  }

  /** The next job to reach the worker blocks there until `open()`. */
  hold(): void {
    Atomics.store(this.view, ALLOWANCE, 0);
    Atomics.store(this.view, GATE_HELD, 1);
  }

  /** The next `jobs` jobs pass; the one after them blocks there until `open()`. */
  holdAfter(jobs: number): void {
    Atomics.store(this.view, ALLOWANCE, jobs);
    Atomics.store(this.view, GATE_HELD, 1);
  }

  open(): void {
    Atomics.store(this.view, GATE_HELD, 0);
    Atomics.store(this.view, ALLOWANCE, 0);
    Atomics.notify(this.view, GATE_HELD);
  }

  /** Resolves once `count` jobs in all have reached the worker. */
  reached(count: number, limitMs?: number): Promise<void> {
    return until(() => this.jobsReached >= count, `${count} job(s) reached the worker`, limitMs);
  }
}

/** Resolves once `condition()` holds, checking after each turn of the event loop (a state wait, not a timer race). */
export async function until(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolveTurn) => setTimeout(resolveTurn, 2));
  }
}
