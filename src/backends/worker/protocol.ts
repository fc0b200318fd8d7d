/**
 * The messages between a `WorkerNliScorer` and its worker thread, and how errors cross the thread
 * boundary: by name, so an `InputError` in the worker is an `InputError` in the server (400) and a
 * model fault stays a model fault (500).
 */
import { InferenceError, InputError, ModelConfigError, ModelLoadError, ZeroShotError } from "../../errors";
import type { LocalModelOptions } from "../local/localNliModel";
import type { ProgressInfo } from "../local/transformers";
import type { NliLabelIds } from "../../nli/labels";

/** The model options that can cross to a worker (everything but callbacks). */
export type WorkerModelOptions = Omit<LocalModelOptions, "onDownloadProgress">;

/** What a worker starts with. `hooks` is free-form data for a wrapping worker script (tests use it for a gate). */
export interface NliWorkerData {
  model: string;
  options: WorkerModelOptions;
  hooks?: unknown;
}

/**
 * A batch of pairs, sent as string tables plus index pairs: a long premise shared by many hypotheses
 * crosses the thread boundary once, not once per label.
 */
export interface ScoreJob {
  type: "score";
  id: number;
  premises: string[];
  hypotheses: string[];
  /** `[premiseIndex, hypothesisIndex]` for each pair, flattened. */
  pairIndex: Uint32Array;
}

export type ToWorker = ScoreJob | { type: "dispose" };

export interface SerializedError {
  name: string;
  message: string;
}

export type FromWorker =
  | { type: "ready"; modelId: string; labelIds: NliLabelIds; maxLength: number; randomWeights: boolean }
  | { type: "download"; info: ProgressInfo }
  | { type: "progress"; id: number; done: number; total: number }
  /** Logits of every pair in job order, `width` numbers each. */
  | { type: "scored"; id: number; logits: Float32Array; width: number }
  | { type: "failed"; id?: number; error: SerializedError }
  | { type: "disposed" };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

const KNOWN_ERRORS: Record<string, new (message: string) => ZeroShotError> = {
  InputError,
  ModelLoadError,
  ModelConfigError,
  InferenceError,
};

/** The project error a worker's error stands for; anything unknown is a fault of the model (`InferenceError`). */
export function deserializeError(error: SerializedError): ZeroShotError {
  const Known = Object.hasOwn(KNOWN_ERRORS, error.name) ? KNOWN_ERRORS[error.name] : undefined;
  if (Known) return new Known(error.message);
  return new InferenceError(`the model failed (${error.name}: ${error.message}): see the server's log; if it repeats, check the model files`);
}
