/**
 * The worker thread of a `WorkerNliScorer`: it owns the ONNX session and the tokenizer, so
 * tokenisation and forward passes (which hold their thread for the whole pass) never stall the
 * server's event loop. It loads the model named in `workerData`, says `ready`, then answers one
 * `score` job at a time. `nliWorkerMain` starts it plainly; a wrapping script (a test's gate) calls
 * `runNliWorker` with hooks instead.
 */
import { parentPort, workerData } from "node:worker_threads";
import { InferenceError, ModelLoadError } from "../../errors";
import { LocalNliModel } from "../local/localNliModel";
import type { PremiseHypothesisPair } from "../../classification/contract";
import { serializeError, type FromWorker, type NliWorkerData, type ScoreJob, type ToWorker } from "./protocol";

/** Extension points for a script that wraps this worker (tests hold it busy with a gate). */
export interface NliWorkerHooks {
  /** Runs, on the worker thread, before each job is scored. */
  beforeScore?(pairs: readonly PremiseHypothesisPair[]): void;
}

/** Runs the worker's message loop on this thread. */
export function runNliWorker(hooks: NliWorkerHooks = {}): void {
  const port = parentPort;
  if (!port) throw new ModelLoadError("runNliWorker runs inside a worker thread: load the model with WorkerNliScorer.start or loadWorkerClassifier");
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const { model: modelName, options } = workerData as NliWorkerData;

  void LocalNliModel.load(modelName, { ...options, onDownloadProgress: (info) => post({ type: "download", info }) }).then(
    (model) => {
      port.on("message", (message: ToWorker) => {
        if (message.type === "dispose") {
          void model.dispose().finally(() => post({ type: "disposed" }));
          return;
        }
        void score(model, message, hooks).then(
          (logits) => post({ type: "scored", id: message.id, logits, width: model.labelIds.numLabels }, [logits.buffer as ArrayBuffer]),
          (error: unknown) => post({ type: "failed", id: message.id, error: serializeError(error) }),
        );
      });
      // A generated random-weight test model says so (outputs made with it carry a warning).
      const randomWeights = (model as { randomWeights?: boolean }).randomWeights === true;
      post({ type: "ready", modelId: model.modelId, labelIds: model.labelIds, maxLength: model.maxLength, randomWeights });
    },
    (error: unknown) => post({ type: "failed", error: serializeError(error) }),
  );

  async function score(model: LocalNliModel, job: ScoreJob, workerHooks: NliWorkerHooks): Promise<Float32Array> {
    const pairs: PremiseHypothesisPair[] = new Array(job.pairIndex.length / 2);
    for (let i = 0; i < pairs.length; i++) {
      pairs[i] = { premise: job.premises[job.pairIndex[2 * i]], hypothesis: job.hypotheses[job.pairIndex[2 * i + 1]] };
    }
    workerHooks.beforeScore?.(pairs);
    const rows = await model.scorePairs(pairs, { onProgress: (done, total) => post({ type: "progress", id: job.id, done, total }) });
    const width = model.labelIds.numLabels;
    const logits = new Float32Array(rows.length * width);
    rows.forEach((row, i) => {
      if (row.length !== width) {
        throw new InferenceError(`the model returned ${row.length} logits for a pair but its config.json names ${width} labels: check that the ONNX file and config.json belong to the same model`);
      }
      logits.set(row, i * width);
    });
    return logits;
  }
}
