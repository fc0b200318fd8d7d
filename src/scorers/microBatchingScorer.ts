/**
 * Dynamic micro-batching as an `NliScorer`: `scorePairs` calls that arrive within a short window are
 * run as one call on the model, so concurrent requests share forward passes, and each caller gets
 * back exactly its own logits. Up to `maxConcurrentBatches` batches are in flight (two by default, so
 * the next batch is prepared while the model runs one); calls arriving meanwhile form the next one.
 * The window is adaptive: while callers overlap it is `maxWaitMs`; a lone caller on an idle model
 * waits only for the calls of the same tick, so sequential clients pay no batching delay.
 * Large calls are cut into slices and every waiting caller gets a share of each batch, so one big
 * request cannot starve small ones; a batch that fails is retried caller by caller, so only the
 * request that caused the failure sees it.
 */
import type { NliScorer, PremiseHypothesisPair, ProgressCallback } from "../classification/contract";
import type { NliLabelIds } from "../nli/labels";
import type { PairLogits } from "../nli/scores";

/** How long to wait for company and how much to run at once. */
export interface MicroBatchOptions {
  /** Longest wait (ms) for more calls before a batch starts, while callers overlap. Default 5. */
  maxWaitMs?: number;
  /** Most pairs in one batch; a batch starts at once when this many are waiting. Default 64. */
  maxPairs?: number;
  /**
   * Batches in flight at once. Default 2: while one runs on the model, the next is tokenized and
   * queued, so the cores never wait for the JavaScript side.
   */
  maxConcurrentBatches?: number;
}

export const DEFAULT_MAX_WAIT_MS = 5;
export const DEFAULT_MAX_PAIRS = 64;
export const DEFAULT_MAX_CONCURRENT_BATCHES = 2;

/** One waiting `scorePairs` call. */
interface PendingCall {
  readonly pairs: readonly PremiseHypothesisPair[];
  readonly logits: PairLogits[];
  /** Pairs handed to a batch so far. */
  next: number;
  /** Pairs scored so far. */
  done: number;
  failed: boolean;
  readonly onProgress?: ProgressCallback;
  resolve(logits: PairLogits[]): void;
  reject(error: unknown): void;
}

/** A caller's consecutive pairs inside one batch. */
interface Slice {
  call: PendingCall;
  start: number;
  end: number;
}

/** Queues concurrent `scorePairs` calls and runs them together on the wrapped scorer. */
export class MicroBatchingScorer implements NliScorer {
  readonly maxWaitMs: number;
  readonly maxPairs: number;
  private readonly queue: PendingCall[] = [];
  /** The pending start of the next batch: a window timer, or an immediate for same-tick company. */
  private timer: { cancel(): void } | undefined;
  readonly maxConcurrentBatches: number;
  private running = 0;
  /** Whether callers overlapped lately (the last batch had several, or a call came while one ran). */
  private recentlyConcurrent = false;
  /** Batches run so far: what the benchmark and tests read to see batching happen. */
  batchesRun = 0;

  constructor(
    readonly inner: NliScorer,
    options: MicroBatchOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.maxPairs = options.maxPairs ?? DEFAULT_MAX_PAIRS;
    this.maxConcurrentBatches = options.maxConcurrentBatches ?? DEFAULT_MAX_CONCURRENT_BATCHES;
    if (!Number.isInteger(this.maxConcurrentBatches) || this.maxConcurrentBatches < 1) {
      throw new RangeError(`maxConcurrentBatches must be a whole number of at least 1, not ${this.maxConcurrentBatches}`);
    }
    if (!(this.maxWaitMs >= 0)) throw new RangeError(`maxWaitMs must be 0 or more, not ${this.maxWaitMs}`);
    if (!Number.isInteger(this.maxPairs) || this.maxPairs < 1) throw new RangeError(`maxPairs must be a whole number of at least 1, not ${this.maxPairs}`);
  }

  get modelId(): string {
    return this.inner.modelId;
  }

  get labelIds(): NliLabelIds {
    return this.inner.labelIds;
  }

  /** Pairs waiting for a batch. */
  get queuedPairs(): number {
    return this.queue.reduce((sum, call) => sum + call.pairs.length - call.next, 0);
  }

  scorePairs(pairs: readonly PremiseHypothesisPair[], options: { onProgress?: ProgressCallback } = {}): Promise<PairLogits[]> {
    if (pairs.length === 0) return Promise.resolve([]);
    return new Promise<PairLogits[]>((resolve, reject) => {
      this.queue.push({ pairs, logits: new Array(pairs.length), next: 0, done: 0, failed: false, onProgress: options.onProgress, resolve, reject });
      options.onProgress?.(0, pairs.length);
      this.schedule();
    });
  }

  /** Starts a batch now if it is full, else after the wait window; never more than `maxConcurrentBatches` at once. */
  private schedule(): void {
    if (this.running > 0) this.recentlyConcurrent = true;
    if (this.running >= this.maxConcurrentBatches) return;
    if (this.queue.length === 0) return;
    if (this.queuedPairs >= this.maxPairs || this.maxWaitMs === 0) {
      this.startBatch();
    } else if (this.timer === undefined) {
      // Without overlapping callers lately, only the calls of this same turn of the event loop can join.
      if (this.recentlyConcurrent) {
        const timeout = setTimeout(() => this.startBatch(), this.maxWaitMs);
        this.timer = { cancel: () => clearTimeout(timeout) };
      } else {
        const immediate = setImmediate(() => this.startBatch());
        this.timer = { cancel: () => clearImmediate(immediate) };
      }
    }
  }

  private startBatch(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.running >= this.maxConcurrentBatches || this.queue.length === 0) return;
    this.running += 1;
    const slices = this.takeSlices();
    this.recentlyConcurrent = slices.length > 1;
    this.batchesRun += 1;
    this.runSlices(slices)
      .catch(() => undefined) // failures are already delivered to the callers concerned
      .finally(() => {
        this.running -= 1;
        // Calls that arrived during the batch have waited long enough: start the next one at once.
        if (this.queue.length > 0) this.startBatch();
      });
  }

  /** Up to `maxPairs` pairs: first an equal share for every waiting call, then what is left, in arrival order. */
  private takeSlices(): Slice[] {
    const slices = new Map<PendingCall, Slice>();
    let room = this.maxPairs;
    const share = Math.max(1, Math.floor(this.maxPairs / this.queue.length));
    const take = (call: PendingCall, limit: number) => {
      const count = Math.min(limit, room, call.pairs.length - call.next);
      if (count <= 0) return;
      const slice = slices.get(call) ?? { call, start: call.next, end: call.next };
      slice.end += count;
      call.next += count;
      room -= count;
      slices.set(call, slice);
    };
    for (const call of this.queue) take(call, share);
    for (const call of this.queue) take(call, Infinity);
    // Fully handed out calls leave the queue; they resolve when their last slice is scored.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].next === this.queue[i].pairs.length) this.queue.splice(i, 1);
    }
    return [...slices.values()];
  }

  private async runSlices(slices: Slice[]): Promise<void> {
    const pairs = slices.flatMap((slice) => slice.call.pairs.slice(slice.start, slice.end));
    let logits: PairLogits[];
    try {
      logits = await this.inner.scorePairs(pairs);
    } catch (error) {
      if (slices.length === 1) return this.fail(slices[0].call, error);
      // Find whose pairs broke the batch: each caller's slice alone.
      for (const slice of slices) await this.runSlices([slice]);
      return;
    }
    let offset = 0;
    for (const slice of slices) {
      const count = slice.end - slice.start;
      this.deliver(slice, logits.slice(offset, offset + count));
      offset += count;
    }
  }

  private deliver(slice: Slice, logits: PairLogits[]): void {
    const { call } = slice;
    if (call.failed) return;
    logits.forEach((row, i) => (call.logits[slice.start + i] = row));
    call.done += logits.length;
    call.onProgress?.(call.done, call.pairs.length);
    if (call.done === call.pairs.length) call.resolve(call.logits);
  }

  private fail(call: PendingCall, error: unknown): void {
    if (call.failed) return;
    call.failed = true;
    const index = this.queue.indexOf(call);
    if (index >= 0) this.queue.splice(index, 1);
    call.reject(error);
  }
}
