/**
 * An `NliScorer` whose model lives in a worker thread: `scorePairs` sends the pairs to the thread that
 * owns the tokenizer and the ONNX session and awaits their logits, so the caller's event loop stays
 * free while the model runs (a server keeps answering `/ping` during a long forward pass). Jobs wait
 * here, on the caller's side, until the worker is free, so a job whose caller gave up (its `signal`
 * aborted) is dropped before the model sees it. A worker that dies fails only the job it was running;
 * the next job starts a fresh worker.
 */
import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import type { NliScorer, PremiseHypothesisPair, ProgressCallback, ScorePairsOptions } from "../../classification/contract";
import { ZeroShotClassifier } from "../../classification/classifier";
import { InferenceError } from "../../errors";
import { DEFAULT_MODEL } from "../../models/resolve";
import type { NliLabelIds } from "../../nli/labels";
import { MicroBatchingScorer, type MicroBatchOptions } from "../../scorers/microBatchingScorer";
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
  private handle: WorkerHandle;
  private pumping = false;
  private nextId = 0;
  private disposed = false;
  /** Jobs the worker has run (or failed) so far. */
  jobsRun = 0;
  /** Workers started so far: 1 until a worker dies and is replaced. */
  workersStarted = 0;

  private constructor(
    readonly modelId: string,
    readonly labelIds: NliLabelIds,
    /** The model's longest input in tokens. */
    readonly maxLength: number,
    /** Whether the model is a generated random-weight test model (its scores mean nothing). */
    readonly randomWeights: boolean,
    private readonly model: string,
    private readonly options: WorkerScorerOptions,
    handle: WorkerHandle,
  ) {
    this.handle = handle;
  }

  /**
   * Starts a worker thread and loads the model in it; resolves once the model is ready. Load failures
   * keep their kind (`ModelLoadError`, `ModelConfigError`).
   * @example
   * const scorer = await WorkerNliScorer.start("models/tiny-bert-nli");
   * const classifier = new ZeroShotClassifier(new MicroBatchingScorer(scorer));
   */
  static async start(model: string = DEFAULT_MODEL, options: WorkerScorerOptions = {}): Promise<WorkerNliScorer> {
    const handle = spawnWorker(model, options);
    let ready;
    try {
      ready = await handle.ready;
    } catch (error) {
      await handle.worker.terminate();
      throw error;
    }
    const scorer = new WorkerNliScorer(ready.modelId, ready.labelIds, ready.maxLength, ready.randomWeights, model, options, handle);
    scorer.workersStarted = 1;
    handle.worker.unref();
    return scorer;
  }

  /** Jobs waiting for the worker (not counting the one it runs). */
  get queuedJobs(): number {
    return this.queue.length;
  }

  /** Whether the worker is scoring a job right now. */
  get busy(): boolean {
    return this.handle.running !== undefined;
  }

  scorePairs(pairs: readonly PremiseHypothesisPair[], options: ScorePairsOptions = {}): Promise<Float32Array[]> {
    if (this.disposed) return Promise.reject(new InferenceError(`the model ${this.modelId} was disposed: load it again to score more pairs`));
    if (pairs.length === 0) return Promise.resolve([]);
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    return new Promise((resolve, reject) => {
      const job: Job = { pairs, onProgress: options.onProgress, signal: options.signal, resolve, reject };
      this.queue.push(job);
      // A job still waiting leaves the queue at once; one already on the worker runs to its end.
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
      void this.pump();
    });
  }

  /** Runs the queued jobs one at a time; a job whose signal aborted while it waited is dropped unrun. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    this.handle.worker.ref();
    try {
      for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
        if (job.signal?.aborted) {
          job.reject(job.signal.reason);
          continue;
        }
        try {
          job.resolve(await this.run(job));
        } catch (error) {
          job.reject(error);
        }
      }
    } finally {
      this.pumping = false;
      if (!this.handle.exited) this.handle.worker.unref();
    }
  }

  private async run(job: Job): Promise<Float32Array[]> {
    if (this.handle.exited) {
      // The last worker died: start another (it loads the model again).
      this.handle = spawnWorker(this.model, this.options);
      this.workersStarted += 1;
    }
    const handle = this.handle;
    await handle.ready;
    this.jobsRun += 1;
    const id = this.nextId++;
    const message = encodeJob(id, job.pairs);
    return new Promise<Float32Array[]>((resolve, reject) => {
      handle.running = { id, job, resolve, reject };
      handle.worker.postMessage(message, [message.pairIndex.buffer as ArrayBuffer]);
    });
  }

  /** Stops the worker and frees its ONNX session; queued jobs fail. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const error = new InferenceError(`the model ${this.modelId} was disposed before this request was scored`);
    for (const job of this.queue.splice(0)) job.reject(error);
    const { worker, exited } = this.handle;
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
  const { onDownloadProgress, workerScript = DEFAULT_WORKER_SCRIPT, hooks, ...modelOptions } = options;
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
