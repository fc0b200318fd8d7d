/**
 * Dynamic micro-batching as an `NliScorer`: `scorePairs` calls that arrive while the model is busy are
 * run together as one call once it is free (continuous batching), so concurrent requests share forward
 * passes, and each caller gets back exactly its own logits. Identical (premise, hypothesis) pairs of
 * different callers are scored once. The model groups the pairs of that one call by length into its
 * forward passes, so padding stays small across requests too.
 *
 * When to start, so batching never costs a lone client: a batch starts at once when the model is
 * idle and as many callers wait as shared the last batch (a lone caller: the calls of the same tick);
 * otherwise it waits at most `maxWaitMs` for that company. While a batch runs, callers queue, and the
 * next batch takes them all when it ends: waiting then costs nothing, the model was busy anyway.
 * Whether to merge: one call for many callers pays only where the model runs larger batches faster
 * per pair, which depends on the machine (on a small CPU, padding texts of different lengths together
 * can cost more than it saves). So the batcher measures both ways, merged and caller by caller, and
 * keeps to the cheaper one (`adaptive`, see `decide`).
 * A wrapped scorer that scores several calls at once (`concurrency`, as a `WorkerNliScorer` with
 * several workers has) gets as many batches in flight; caller by caller then means one caller's call
 * per batch, each on its own worker, so the two regimes are timed alike: one worker's time per pair.
 * A batch takes whole calls where they fit; a call larger than any batch is cut into slices that get
 * the room the others leave, so one big request cannot starve small ones. A batch that fails is
 * retried caller by caller, so only the request that caused the failure sees it. A caller whose
 * `signal` aborts leaves the queue: its pairs not yet handed to the model are never scored.
 */
import type { NliScorer, PremiseHypothesisPair, ProgressCallback, ScorePairsOptions } from "../classification/contract";
import { InputError } from "../errors";
import type { NliLabelIds } from "../nli/labels";
import type { PairLogits } from "../nli/scores";

/** How long to wait for company and how much to run at once. */
export interface MicroBatchOptions {
  /** Longest wait (ms) of an idle model for the company the last batch had. Default 5. */
  maxWaitMs?: number;
  /** Most pairs in one batch; a batch starts at once when this many are waiting. Default 64. */
  maxPairs?: number;
  /**
   * Batches in flight at once. Default: the wrapped scorer's `concurrency` (its worker threads), else 1:
   * the calls that arrive while a batch runs all join the next one, which keeps batches large; a model
   * in a worker thread tokenizes there, so the caller's side has nothing to prepare meanwhile.
   */
  maxConcurrentBatches?: number;
  /**
   * Measure whether one call for several callers costs less per pair than a call per caller, and
   * merge only while it does (see `decide`). Default true; false always merges.
   */
  adaptive?: boolean;
  /** The clock (ms) batches are timed by for that measurement. Default `performance.now`. */
  now?: () => number;
}

export const DEFAULT_MAX_WAIT_MS = 5;
export const DEFAULT_MAX_PAIRS = 64;
export const DEFAULT_MAX_CONCURRENT_BATCHES = 1;
/**
 * How often the regime that measured slower is tried again: every 8th decision at first, then, each time
 * a try leaves the choice as it was, half as often, down to every 128th. A probe of merging on a machine
 * where it does not pay makes several callers wait for one long batch, so a settled choice is probed
 * rarely; a choice that flips starts again at every 8th.
 */
const PROBE_EVERY = 8;
const MAX_PROBE_EVERY = 128;
/**
 * Callers in a try of merging (while caller by caller is the choice): two show whether merging pays, and
 * only two wait for the longer batch. A full merged batch of a small CPU's single-threaded worker held
 * about seven callers for over a second, which was the p99 the tries cost at 16 clients.
 */
const PROBE_CALLERS = 2;
/**
 * Merged must cost at most this share of caller-by-caller per pair to be kept: every caller of a merged
 * batch waits for the whole batch, so merging has to pay clearly, not within the noise of a busy machine.
 * On the 2-core benchmark machine single tries of either regime scatter by ±20% (`npm run bench:server`
 * printed 17-22 ms/pair merged against 19-24 apart, where batching gains nothing), and at 0.9 such noise
 * made "on" merge often enough to run at 0.94x the same workers without batching at 16 clients. Where
 * batching pays (a GPU, many threads per forward pass) it pays by far more than 25%.
 */
const MERGE_MARGIN = 0.75;
/** Weight of the newest measurement in the moving average of milliseconds per pair. */
const EMA_WEIGHT = 0.25;

/** A wrapped scorer that can say how many calls it scores at the same time (a pool of worker threads). */
interface ConcurrentScorer extends NliScorer {
  readonly concurrency?: number;
}

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
  readonly signal?: AbortSignal;
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
  private timer: { kind: "immediate" | "window"; cancel(): void } | undefined;
  readonly maxConcurrentBatches: number;
  private running = 0;
  /** Callers that shared the last batch: the company an idle model waits for (up to `maxWaitMs`). */
  private expectedCallers = 1;
  /** Batches run so far: what the benchmark and tests read to see batching happen. */
  batchesRun = 0;
  /** Pairs not sent to the model because another caller's identical pair was in the same batch. */
  duplicatePairsSkipped = 0;
  /** Pairs never scored because their caller's signal aborted first. */
  abandonedPairs = 0;
  /** Batches of several callers run as one call (`merged`) or caller after caller (`separate`). */
  readonly regimeBatches = { merged: 0, separate: 0 };
  /** Measured milliseconds per pair of each regime (moving averages); `undefined` until tried. */
  readonly msPerPair: { merged?: number; separate?: number } = {};
  readonly adaptive: boolean;
  private readonly now: () => number;
  /** Decisions between two tries of the slower regime, now; since the last try; and the choice they follow. */
  private probeEvery = PROBE_EVERY;
  private sinceProbe = 0;
  private choice: boolean | undefined;
  /** Tries of the regime that measured slower, so far. */
  probes = 0;

  constructor(
    readonly inner: NliScorer,
    options: MicroBatchOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.maxPairs = options.maxPairs ?? DEFAULT_MAX_PAIRS;
    this.maxConcurrentBatches = options.maxConcurrentBatches ?? (inner as ConcurrentScorer).concurrency ?? DEFAULT_MAX_CONCURRENT_BATCHES;
    this.adaptive = options.adaptive ?? true;
    this.now = options.now ?? (() => performance.now());
    if (!Number.isInteger(this.maxConcurrentBatches) || this.maxConcurrentBatches < 1) {
      throw new InputError(`maxConcurrentBatches must be a whole number of at least 1, not ${this.maxConcurrentBatches}`);
    }
    if (!(this.maxWaitMs >= 0)) throw new InputError(`the batch window must be 0 ms or more, not ${this.maxWaitMs}: try --batch-window-ms 5`);
    if (!Number.isInteger(this.maxPairs) || this.maxPairs < 1) throw new InputError(`the most pairs in a batch must be a whole number of at least 1, not ${this.maxPairs}: try --max-batch-pairs 64`);
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

  scorePairs(pairs: readonly PremiseHypothesisPair[], options: ScorePairsOptions = {}): Promise<PairLogits[]> {
    if (pairs.length === 0) return Promise.resolve([]);
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<PairLogits[]>((resolve, reject) => {
      const call: PendingCall = { pairs, logits: new Array(pairs.length), next: 0, done: 0, failed: false, onProgress, signal, resolve, reject };
      this.queue.push(call);
      signal?.addEventListener("abort", () => this.abandon(call), { once: true });
      onProgress?.(0, pairs.length);
      this.schedule();
    });
  }

  /** Starts a batch now if it is full or has the company it waits for, else after the wait window. */
  private schedule(): void {
    if (this.running >= this.maxConcurrentBatches) return; // the next batch starts when one ends
    if (this.queue.length === 0) return;
    if (this.queuedPairs >= this.maxPairs || this.maxWaitMs === 0) {
      this.startBatch();
    } else if (this.queue.length >= this.expectedCallers) {
      // Enough company (a lone caller needs none): start after the calls of this same tick have joined.
      if (this.timer?.kind !== "immediate") {
        this.timer?.cancel();
        const immediate = setImmediate(() => this.startBatch());
        this.timer = { kind: "immediate", cancel: () => clearImmediate(immediate) };
      }
    } else if (this.timer === undefined) {
      const timeout = setTimeout(() => this.startBatch(), this.maxWaitMs);
      this.timer = { kind: "window", cancel: () => clearTimeout(timeout) };
    }
  }

  private startBatch(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.running >= this.maxConcurrentBatches || this.queue.length === 0) return;
    this.running += 1;
    const several = this.queue.length > 1 && this.maxPairs > 1;
    const { merge, probe } = several ? this.decide() : { merge: false, probe: false };
    const regime = merge ? "merged" : "separate";
    // With batches in flight side by side, caller by caller is one caller per batch (each on its own worker).
    const oneCaller = !merge && this.maxConcurrentBatches > 1;
    const slices = oneCaller ? this.takeOneCall() : this.takeSlices(merge && probe ? PROBE_CALLERS : Infinity);
    this.expectedCallers = Math.max(1, slices.length);
    this.batchesRun += 1;
    if (several) this.regimeBatches[regime] += 1;
    const pairs = slices.reduce((sum, slice) => sum + slice.end - slice.start, 0);
    const started = this.now();
    (merge ? this.runSlices(slices) : this.runSeparately(slices))
      .then(() => this.record(regime, pairs, this.now() - started, probe))
      .catch(() => undefined) // failures are already delivered to the callers concerned
      .finally(() => {
        this.running -= 1;
        // Calls that arrived during the batch have waited long enough: start the next one at once.
        if (this.queue.length > 0) this.startBatch();
      });
    // Room for another batch in flight (a second worker) and callers left: they need not wait for this one.
    if (this.queue.length > 0 && this.running < this.maxConcurrentBatches) this.startBatch();
  }

  /**
   * The measured decision rule: several callers' pairs go to the model as one call only while that
   * has cost clearly less per pair (`MERGE_MARGIN`) than running them caller by caller (a lone caller
   * is the latter).
   * Each regime is tried first, and the losing one is tried again now and then (`PROBE_EVERY`, less
   * often while the choice holds), so the rule follows a machine whose load changes: `probe` says the
   * decision is such a try.
   */
  private decide(): { merge: boolean; probe: boolean } {
    if (!this.adaptive) return { merge: true, probe: false };
    const { merged, separate } = this.msPerPair;
    if (merged === undefined) return { merge: true, probe: false };
    if (separate === undefined) return { merge: false, probe: false };
    const mergedCheaper = merged <= MERGE_MARGIN * separate;
    if (mergedCheaper !== this.choice) {
      this.choice = mergedCheaper;
      this.probeEvery = PROBE_EVERY;
      this.sinceProbe = 0;
    }
    this.sinceProbe += 1;
    if (this.sinceProbe < this.probeEvery) return { merge: mergedCheaper, probe: false };
    this.sinceProbe = 0;
    this.probeEvery = Math.min(MAX_PROBE_EVERY, this.probeEvery * 2);
    this.probes += 1;
    return { merge: !mergedCheaper, probe: true };
  }

  /**
   * A batch's cost per pair joins its regime's moving average; a try of the slower regime replaces it, as
   * that regime's older figures may come from a machine whose load has since changed.
   */
  private record(regime: "merged" | "separate", pairs: number, ms: number, probe: boolean): void {
    const perPair = ms / pairs;
    const last = this.msPerPair[regime];
    this.msPerPair[regime] = last === undefined || probe ? perPair : last + EMA_WEIGHT * (perPair - last);
  }

  /** Each caller's slice as its own call, one after another (dedup within a caller only). */
  private async runSeparately(slices: Slice[]): Promise<void> {
    for (const slice of slices) await this.runSlices([slice]);
  }

  /** The first waiting call, up to `maxPairs` of its pairs; a call with pairs left goes to the back of the queue. */
  private takeOneCall(): Slice[] {
    const call = this.queue.shift()!;
    const slice = { call, start: call.next, end: Math.min(call.pairs.length, call.next + this.maxPairs) };
    call.next = slice.end;
    if (call.next < call.pairs.length) this.queue.push(call);
    return [slice];
  }

  /**
   * Up to `maxPairs` pairs of at most `maxCallers` calls: first every waiting call that fits whole, in
   * arrival order, then the room left to calls too big for any batch. A request is thus answered by one
   * batch whenever it can be (cutting every caller into small shares made each wait for several
   * batches), and a big request gets only the room that the small ones leave, so it cannot starve them.
   */
  private takeSlices(maxCallers: number): Slice[] {
    const slices = new Map<PendingCall, Slice>();
    let room = this.maxPairs;
    const take = (call: PendingCall, count: number) => {
      if (count <= 0) return;
      const slice = slices.get(call) ?? { call, start: call.next, end: call.next };
      slice.end += count;
      call.next += count;
      room -= count;
      slices.set(call, slice);
    };
    const roomFor = (call: PendingCall) => slices.has(call) || slices.size < maxCallers;
    for (const call of this.queue) {
      const left = call.pairs.length - call.next;
      if (left <= room && roomFor(call)) take(call, left);
    }
    for (const call of this.queue) {
      const left = call.pairs.length - call.next;
      if (left > this.maxPairs && roomFor(call)) take(call, Math.min(left, room));
    }
    // Fully handed out calls leave the queue; they resolve when their last slice is scored.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].next === this.queue[i].pairs.length) this.queue.splice(i, 1);
    }
    return [...slices.values()];
  }

  private async runSlices(slices: Slice[]): Promise<void> {
    // Callers that hung up while waiting for this batch need nothing from it.
    const live = slices.filter((slice) => !slice.call.failed);
    if (live.length === 0) return;
    // Identical pairs of different callers (or of one caller) go to the model once.
    const unique: PremiseHypothesisPair[] = [];
    const byPremise = new Map<string, Map<string, number>>();
    const rowOf = live.map((slice) =>
      slice.call.pairs.slice(slice.start, slice.end).map(({ premise, hypothesis }) => {
        let byHypothesis = byPremise.get(premise);
        if (!byHypothesis) byPremise.set(premise, (byHypothesis = new Map()));
        let row = byHypothesis.get(hypothesis);
        if (row === undefined) {
          row = unique.push({ premise, hypothesis }) - 1;
          byHypothesis.set(hypothesis, row);
        } else {
          this.duplicatePairsSkipped += 1;
        }
        return row;
      }),
    );
    let logits: PairLogits[];
    try {
      logits = await this.inner.scorePairs(unique);
    } catch (error) {
      if (live.length === 1) return this.fail(live[0].call, error);
      // Find whose pairs broke the batch: each caller's slice alone.
      for (const slice of live) await this.runSlices([slice]);
      return;
    }
    live.forEach((slice, i) => this.deliver(slice, rowOf[i].map((row) => logits[row])));
  }

  private deliver(slice: Slice, logits: PairLogits[]): void {
    const { call } = slice;
    if (call.failed) return;
    logits.forEach((row, i) => (call.logits[slice.start + i] = row));
    call.done += logits.length;
    call.onProgress?.(call.done, call.pairs.length);
    if (call.done === call.pairs.length) call.resolve(call.logits);
  }

  /** A caller gave up: its pairs not yet handed out are dropped, and it gets its signal's reason. */
  private abandon(call: PendingCall): void {
    if (call.failed || call.done === call.pairs.length) return;
    this.abandonedPairs += call.pairs.length - call.next;
    this.fail(call, call.signal?.reason);
  }

  private fail(call: PendingCall, error: unknown): void {
    if (call.failed) return;
    call.failed = true;
    const index = this.queue.indexOf(call);
    if (index >= 0) this.queue.splice(index, 1);
    call.reject(error);
  }
}
