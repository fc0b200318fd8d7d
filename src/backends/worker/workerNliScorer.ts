/**
 * An `NliScorer` whose model lives in worker threads: `scorePairs` sends the pairs to a thread that owns
 * a tokenizer and an ONNX session and awaits their logits, so the caller's event loop stays free while
 * the model runs (a server keeps answering `/ping` during a long forward pass). With `workers: N`, N
 * threads each own a session and score different calls at the same time: on a small CPU shared with
 * other work, two single-threaded sessions serving two requests beat one session splitting each forward
 * pass over two threads (bench/workerThreads.bench.ts). A lone call, though, is done sooner by every
 * core at once: with `soloThreads`, one more worker whose session has that many threads takes a call
 * when no other worker is busy (the rest of the time it sits idle, so threads never outnumber cores
 * for long). Jobs wait here, on the caller's side, until a
 * worker is free, so a job whose caller gave up (its `signal` aborted) is dropped before the model sees
 * it. A worker that dies fails only the job it was running; its next job starts a fresh worker.
 */
import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import type { NliScorer, PremiseHypothesisPair, ProgressCallback, ScorePairsOptions } from "../../classification/contract";
import { ZeroShotClassifier } from "../../classification/classifier";
import { InferenceError, InputError } from "../../errors";
import { DEFAULT_MODEL } from "../../models/resolve";
import type { NliLabelIds } from "../../nli/labels";
import { MicroBatchingScorer, type MicroBatchOptions } from "../../scorers/microBatchingScorer";
import { physicalCoreCount, threadsPerCopy } from "../local/sessionOptions";
import type { ProgressInfo } from "../local/transformers";
import { deserializeError, type FromWorker, type NliWorkerData, type ScoreJob, type WorkerModelOptions } from "./protocol";

/** How to start the worker and load its model. */
export interface WorkerScorerOptions extends WorkerModelOptions {
  /** Receives the model download's progress events (file, bytes loaded and total). */
  onDownloadProgress?: (info: ProgressInfo) => void;
  /**
   * The script the worker runs (default: `nliWorkerMain` beside this file). A wrapping script calls
   * `runNliWorker(hooks)`; tests use one that holds the worker busy on a gate they control.
   */
  workerScript?: string;
  /** Data for a wrapping script's hooks (`workerData.hooks`); must be cloneable (a SharedArrayBuffer works). */
  hooks?: unknown;
  /**
   * Worker threads, each with its own copy of the model (memory grows with each), scoring different
   * calls at once. Default 1. With more than one, each session gets `threads` (default: the physical
   * cores shared out, at least 1 each).
   */
  workers?: number;
  /**
   * Add a solo worker whose session has this many threads (usually the physical cores): it scores a
   * call that finds every worker idle, so a lone request is as fast as with one many-threaded worker.
   * It costs one more copy of the model. Default: no solo worker.
   */
  soloThreads?: number;
}

/** One `scorePairs` call waiting for, or running on, the worker. */
interface Job {
  readonly pairs: readonly PremiseHypothesisPair[];
  readonly onProgress?: ProgressCallback;
  readonly signal?: AbortSignal;
  resolve(logits: Float32Array[]): void;
  reject(error: unknown): void;
}

/** A started worker and the job it is running. */
interface WorkerHandle {
  readonly worker: Worker;
  readonly ready: Promise<WorkerReady>;
  running?: { id: number; job: Job; resolve(logits: Float32Array[]): void; reject(error: unknown): void };
  exited: boolean;
}

/** What a worker reports once its model is loaded. */
interface WorkerReady {
  modelId: string;
  labelIds: NliLabelIds;
  maxLength: number;
  randomWeights: boolean;
}

const DEFAULT_WORKER_SCRIPT = join(__dirname, `nliWorkerMain${extname(__filename)}`);

export class WorkerNliScorer implements NliScorer {
  private readonly queue: Job[] = [];
  /** One started worker per slot; a slot whose worker died gets a new one when it next has a job. */
  private readonly handles: WorkerHandle[];
  /** Each slot's load options (its threads), to start a replacement alike. */
  private readonly slotOptions: WorkerScorerOptions[];
  /** The solo worker's slot (the last), or -1 without one. */
  private readonly soloSlot: number;
  /** Calls the solo worker has scored. */
  soloJobs = 0;
  /** Slots scoring a job right now (or starting their worker for one). */
  private readonly slotBusy: boolean[];
  private nextId = 0;
  private disposed = false;
  /** Jobs the workers have run (or failed) so far. */
  jobsRun = 0;
  /** Workers started so far: `workers` until one dies and is replaced. */
  workersStarted = 0;

  private constructor(
    readonly modelId: string,
    readonly labelIds: NliLabelIds,
    /** The model's longest input in tokens. */
    readonly maxLength: number,
    /** Whether the model is a generated random-weight test model (its scores mean nothing). */
    readonly randomWeights: boolean,
    private readonly model: string,
    slotOptions: WorkerScorerOptions[],
    handles: WorkerHandle[],
    solo: boolean,
  ) {
    this.handles = handles;
    this.slotOptions = slotOptions;
    this.soloSlot = solo ? handles.length - 1 : -1;
    this.slotBusy = handles.map(() => false);
    this.workersStarted = handles.length;
  }

  /**
   * Starts the worker threads and loads the model in each; resolves once every copy is ready. Load
   * failures keep their kind (`ModelLoadError`, `ModelConfigError`).
   * @example
   * const scorer = await WorkerNliScorer.start("models/tiny-bert-nli", { workers: 2 });
   * const classifier = new ZeroShotClassifier(new MicroBatchingScorer(scorer));
   */
  static async start(model: string = DEFAULT_MODEL, options: WorkerScorerOptions = {}): Promise<WorkerNliScorer> {
    const workers = checkWorkerCount(options.workers ?? 1, "workers");
    const { soloThreads } = options;
    if (soloThreads !== undefined && (!Number.isInteger(soloThreads) || soloThreads < 1)) {
      throw new InputError(`soloThreads must be a whole number of at least 1, not ${soloThreads}: usually the physical cores, e.g. 2`);
    }
    const threads = options.threads ?? (workers > 1 ? threadsPerCopy(workers) : undefined);
    const slotOptions = Array.from({ length: workers }, () => ({ ...options, threads }));
    if (soloThreads !== undefined) slotOptions.push({ ...options, threads: soloThreads });
    const handles = slotOptions.map((slotOption) => spawnWorker(model, slotOption));
    let ready;
    try {
      ready = (await Promise.all(handles.map((handle) => handle.ready)))[0];
    } catch (error) {
      await Promise.all(handles.map((handle) => handle.worker.terminate()));
      throw error;
    }
    const scorer = new WorkerNliScorer(ready.modelId, ready.labelIds, ready.maxLength, ready.randomWeights, model, slotOptions, handles, soloThreads !== undefined);
    for (const handle of handles) handle.worker.unref();
    return scorer;
  }

  /** Calls scored at the same time: the number of workers (the solo worker only stands in for them). */
  get concurrency(): number {
    return this.soloSlot >= 0 ? this.handles.length - 1 : this.handles.length;
  }

  /** Jobs waiting for a worker (not counting the ones running). */
  get queuedJobs(): number {
    return this.queue.length;
  }

  /** Whether any worker is scoring a job right now. */
  get busy(): boolean {
    return this.slotBusy.some(Boolean);
  }

  scorePairs(pairs: readonly PremiseHypothesisPair[], options: ScorePairsOptions = {}): Promise<Float32Array[]> {
    if (this.disposed) return Promise.reject(new InferenceError(`the model ${this.modelId} was disposed: load it again to score more pairs`));
    if (pairs.length === 0) return Promise.resolve([]);
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    return new Promise((resolve, reject) => {
      const job: Job = { pairs, onProgress: options.onProgress, signal: options.signal, resolve, reject };
      this.queue.push(job);
      // A job still waiting leaves the queue at once; one already on a worker runs to its end.
      options.signal?.addEventListener(
        "abort",
        () => {
          const index = this.queue.indexOf(job);
          if (index >= 0) {
            this.queue.splice(index, 1);
            reject(options.signal!.reason);
          }
        },
        { once: true },
      );
      this.dispatch();
    });
  }

  /** Hands queued jobs to free workers, oldest first; a job whose signal aborted while it waited is dropped unrun. */
  private dispatch(): void {
    for (let slot = this.freeSlot(); slot >= 0 && this.queue.length > 0 && !this.disposed; slot = this.freeSlot()) {
      const job = this.queue.shift()!;
      if (job.signal?.aborted) {
        job.reject(job.signal.reason);
        continue;
      }
      this.slotBusy[slot] = true;
      if (slot === this.soloSlot) this.soloJobs += 1;
      this.run(slot, job).then(
        (logits) => this.finish(slot, () => job.resolve(logits)),
        (error: unknown) => this.finish(slot, () => job.reject(error)),
      );
    }
  }

  /** The solo worker for a lone job on idle workers, else the first idle worker (-1: none). */
  private freeSlot(): number {
    if (this.soloSlot >= 0 && this.queue.length === 1 && !this.busy) return this.soloSlot;
    const slot = this.slotBusy.indexOf(false);
    return slot === this.soloSlot ? -1 : slot;
  }

  /** Frees the slot before its caller hears back (a caller may dispose at once), then gives it the next job. */
  private finish(slot: number, answer: () => void): void {
    this.slotBusy[slot] = false;
    // A worker with nothing to do must not keep the process alive.
    if (!this.handles[slot].exited && !this.disposed) this.handles[slot].worker.unref();
    answer();
    this.dispatch();
  }

  private async run(slot: number, job: Job): Promise<Float32Array[]> {
    if (this.handles[slot].exited) {
      // This slot's worker died: start another (it loads the model again).
      this.handles[slot] = spawnWorker(this.model, this.slotOptions[slot]);
      this.workersStarted += 1;
    }
    const handle = this.handles[slot];
    handle.worker.ref();
    await handle.ready;
    this.jobsRun += 1;
    const id = this.nextId++;
    const message = encodeJob(id, job.pairs);
    return new Promise<Float32Array[]>((resolve, reject) => {
      handle.running = { id, job, resolve, reject };
      handle.worker.postMessage(message, [message.pairIndex.buffer as ArrayBuffer]);
    });
  }

  /** Stops the workers and frees their ONNX sessions; queued jobs fail. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const error = new InferenceError(`the model ${this.modelId} was disposed before this request was scored`);
    for (const job of this.queue.splice(0)) job.reject(error);
    await Promise.all(this.handles.map(disposeWorker));
  }
}

/** `workers`, checked to be a whole number of at least 1 (`name` is the option it came from, for the error). */
function checkWorkerCount(workers: number, name: string): number {
  if (!Number.isInteger(workers) || workers < 1) throw new InputError(`${name} must be a whole number of at least 1, not ${workers}: try --workers 1`);
  return workers;
}

/**
 * The workers that `zero-shot serve --workers N` and local mode's `--workers N` (`modelWorkers`) run: one
 * copy of the model using every core for N = 1; for N > 1, N single-threaded copies plus a solo one using
 * every core for a request that finds them all idle. Throws an `InputError` naming `name` for N < 1.
 */
export function servingWorkers(workers: number, name = "workers"): Pick<WorkerScorerOptions, "workers" | "soloThreads"> {
  checkWorkerCount(workers, name);
  return workers > 1 ? { workers, soloThreads: physicalCoreCount() } : { workers };
}

/** What `servingWorkers(workers)` loads, for a log line: "" for one copy, else e.g. "2 single-threaded copies + 1 for lone requests". */
export function describeServingWorkers(workers: number): string {
  return workers > 1 ? `${workers} single-threaded copies + 1 for lone requests` : "";
}

/** Asks a worker to free its session, then stops it (after 5 s at most). */
async function disposeWorker({ worker, exited }: WorkerHandle): Promise<void> {
  if (exited) return;
  const disposed = new Promise<void>((resolve) => {
    worker.on("message", (message: FromWorker) => message.type === "disposed" && resolve());
    worker.once("exit", () => resolve());
  });
  worker.ref(); // the caller awaits the worker's goodbye
  worker.postMessage({ type: "dispose" });
  await Promise.race([disposed, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  await worker.terminate();
}

/** A classifier over a worker-thread model with micro-batching in front: what `serve` and local mode's endpoints run. */
export async function loadWorkerClassifier(
  model?: string,
  options: WorkerScorerOptions & { batching?: MicroBatchOptions | false } = {},
): Promise<{ classifier: ZeroShotClassifier; scorer: WorkerNliScorer }> {
  const { batching, ...workerOptions } = options;
  const scorer = await WorkerNliScorer.start(model, workerOptions);
  const front = batching === false ? scorer : new MicroBatchingScorer(scorer, batching);
  return { classifier: new ZeroShotClassifier(front), scorer };
}

function spawnWorker(model: string, options: WorkerScorerOptions): WorkerHandle {
  const { onDownloadProgress, workerScript = DEFAULT_WORKER_SCRIPT, hooks, workers: _workers, soloThreads: _solo, ...modelOptions } = options;
  const data: NliWorkerData = { model, options: modelOptions, hooks };
  // From TypeScript sources (tests, tsx) the worker needs tsx's loader too; the built package runs plain JS.
  const bootstrap = `${workerScript.endsWith(".ts") ? 'require("tsx/cjs");' : ""}require(${JSON.stringify(workerScript)});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: data });
  let lastError: string | undefined;
  let readyResolve!: (value: WorkerReady) => void;
  let readyReject!: (error: unknown) => void;
  const handle: WorkerHandle = {
    worker,
    exited: false,
    ready: new Promise((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    }),
  };
  handle.ready.catch(() => undefined); // awaited by whoever needs it
  worker.on("message", (message: FromWorker) => {
    switch (message.type) {
      case "ready":
        readyResolve(message);
        break;
      case "download":
        onDownloadProgress?.(message.info);
        break;
      case "progress":
        if (handle.running?.id === message.id) handle.running.job.onProgress?.(message.done, message.total);
        break;
      case "scored": {
        const running = handle.running;
        if (running?.id !== message.id) break;
        handle.running = undefined;
        const rows = Array.from({ length: message.logits.length / message.width }, (_, i) => message.logits.subarray(i * message.width, (i + 1) * message.width));
        running.resolve(rows);
        break;
      }
      case "failed": {
        const error = deserializeError(message.error);
        if (message.id === undefined) {
          readyReject(error);
        } else if (handle.running?.id === message.id) {
          const running = handle.running;
          handle.running = undefined;
          running.reject(error);
        }
        break;
      }
    }
  });
  worker.on("error", (error) => (lastError = `${error.name}: ${error.message}`));
  worker.on("exit", (code) => {
    handle.exited = true;
    const reason = lastError ?? `exit code ${code}`;
    readyReject(new InferenceError(`the model's worker thread stopped before the model was ready (${reason}): see the log above`));
    const running = handle.running;
    handle.running = undefined;
    running?.reject(
      new InferenceError(
        `the model's worker thread stopped (${reason}) while scoring ${running.job.pairs.length} pairs: the next request starts a new one; ` +
          `if this repeats, the input or the model's files break the runtime (see the server's log)`,
      ),
    );
  });
  return handle;
}

/** The pairs as string tables and index pairs, so a premise shared by many labels is sent once. */
function encodeJob(id: number, pairs: readonly PremiseHypothesisPair[]): ScoreJob {
  const premises: string[] = [];
  const hypotheses: string[] = [];
  const premiseIndex = new Map<string, number>();
  const hypothesisIndex = new Map<string, number>();
  const pairIndex = new Uint32Array(pairs.length * 2);
  const indexOf = (table: string[], index: Map<string, number>, text: string) => {
    let at = index.get(text);
    if (at === undefined) {
      at = table.push(text) - 1;
      index.set(text, at);
    }
    return at;
  };
  pairs.forEach((pair, i) => {
    pairIndex[2 * i] = indexOf(premises, premiseIndex, pair.premise);
    pairIndex[2 * i + 1] = indexOf(hypotheses, hypothesisIndex, pair.hypothesis);
  });
  return { type: "score", id, premises, hypotheses, pairIndex };
}
