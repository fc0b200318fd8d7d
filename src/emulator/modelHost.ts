/**
 * What stands in for the Hugging Face inference container: it reads the container's environment the way
 * the toolkit does (`HF_MODEL_ID`, `HF_TASK`) and loads that model with the project's local classifier.
 * Endpoints and transform jobs naming the same model share one loaded copy.
 */
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { ZeroShotClassifier } from "../classification/classifier";
import type { LocalModelOptions } from "../backends/local/localNliModel";
import { parseS3Uri } from "../aws/s3Uri";
import { SageMakerApiError } from "./apiErrors";
import type { ObjectStore } from "./objectStore";
import { describeServingWorkers, loadWorkerClassifier, type WorkerNliScorer, type WorkerScorerOptions } from "../backends/worker/workerNliScorer";
import { ModelLoadError } from "../errors";
import { HF_ZERO_SHOT_TASK } from "../aws/sagemaker";

/** The container part of a CreateModel request that the emulator reads. */
export interface ContainerDefinition {
  Image?: string;
  ModelDataUrl?: string;
  Environment?: Record<string, string>;
}


/** Why a model cannot be served; its message becomes the endpoint's or job's FailureReason. */
export class ModelHostError extends ModelLoadError {}

export class ModelHost {
  private readonly loaded = new Map<string, Promise<ZeroShotClassifier>>();
  /** Each model runs in a worker thread (as in `zero-shot serve`), so the emulator's event loop stays free. */
  private readonly workers = new Set<WorkerNliScorer>();

  constructor(
    private readonly objects: ObjectStore,
    readonly loadOptions: LocalModelOptions = {},
    /** The hub model that serves a JumpStart model's container (./jumpStartModels.ts), if it is one. */
    private readonly jumpStartModelFor: (container: ContainerDefinition) => string | undefined = () => undefined,
    /**
     * The worker threads: how many copies of each model (`workers`, `soloThreads`, as `serve --workers`),
     * and their script and its hooks' data when not the project's own worker (tests hold it on a gate).
     */
    private readonly worker: Pick<WorkerScorerOptions, "workerScript" | "hooks" | "workers" | "soloThreads"> = {},
  ) {}

  /** How many copies of a model each load makes, for the log: "" for one, else e.g. " (2 single-threaded copies + 1 for lone requests)". */
  get copies(): string {
    const copies = describeServingWorkers(this.worker.workers ?? 1);
    return copies ? ` (${copies})` : "";
  }

  /** The model a container serves: `HF_MODEL_ID` (hub id or directory), else a `ModelDataUrl` directory. */
  modelLocation(container: ContainerDefinition): { model: string; dtype?: string } {
    const environment = container.Environment ?? {};
    const task = environment.HF_TASK;
    if (task !== undefined && task !== HF_ZERO_SHOT_TASK) {
      throw new ModelHostError(`HF_TASK is ${JSON.stringify(task)}: local mode serves HF_TASK=${HF_ZERO_SHOT_TASK} models only`);
    }
    const dtype = environment.ZERO_SHOT_DTYPE;
    let jumpStartModel: string | undefined;
    try {
      jumpStartModel = this.jumpStartModelFor(container);
    } catch (error) {
      throw new ModelHostError((error as Error).message);
    }
    if (jumpStartModel) return { model: jumpStartModel, dtype };
    const local = this.localFiles(container);
    if (environment.HF_MODEL_ID) return { model: local ?? environment.HF_MODEL_ID, dtype };
    const url = container.ModelDataUrl;
    if (url) {
      const path = local ?? this.s3Directory(url);
      if (!existsSync(path) || !statSync(path).isDirectory()) {
        throw new ModelHostError(
          `ModelDataUrl ${url} is not a model directory here (local mode does not unpack model.tar.gz): ` +
            `set Environment.HF_MODEL_ID to a hub id or a model directory instead`,
        );
      }
      return { model: path, dtype };
    }
    throw new ModelHostError(
      `the model's container has no HF_MODEL_ID: create the model with Environment {HF_MODEL_ID: "facebook/bart-large-mnli" ` +
        `(or a model directory), HF_TASK: "${HF_ZERO_SHOT_TASK}"}`,
    );
  }

  /**
   * The local folder a container names (`HF_MODEL_ID` as a path, or a `file://` / plain-path
   * `ModelDataUrl`), checked to lie under the folders local mode may read; `undefined` for a hub id or
   * an `s3://` location. Throws a ValidationException that says how to allow a folder elsewhere.
   */
  localFiles(container: ContainerDefinition): string | undefined {
    const id = container.Environment?.HF_MODEL_ID;
    try {
      if (id) {
        const path = resolve(id.replace(/^~(?=\/|$)/, homedir()));
        // As the model resolver reads it: a path, or a name that exists as a folder here.
        const isPath = isAbsolute(id) || id.startsWith(".") || id.startsWith("~") || id.includes("\\") || id.split("/").length > 2 || existsSync(path);
        if (!isPath) return undefined;
        // Checked whether or not it exists: a missing folder outside the allowed ones gets the same answer
        // as an existing one, so nobody can probe which paths exist on this machine.
        return this.objects.allowedPath(path, `HF_MODEL_ID ${id}`);
      }
      const url = container.ModelDataUrl;
      if (!url || url.startsWith("s3://")) return undefined;
      return url.startsWith("file://") ? this.objects.filePath(url, "ModelDataUrl") : this.objects.allowedPath(resolve(url), `ModelDataUrl ${url}`);
    } catch (error) {
      if (error instanceof SageMakerApiError) throw new ModelHostError(error.message);
      throw error;
    }
  }

  private s3Directory(url: string): string {
    const { bucket, key } = parseS3Uri(url);
    return key === "" ? this.objects.bucketPath(bucket) : this.objects.objectPath(bucket, key.replace(/\/+$/, ""));
  }

  /** Loads (once) the classifier for a container; a failure is a `ModelHostError` naming the model. */
  load(container: ContainerDefinition): Promise<ZeroShotClassifier> {
    let location: { model: string; dtype?: string };
    try {
      location = this.modelLocation(container);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = `${location.model}\u0000${location.dtype ?? ""}`;
    let classifier = this.loaded.get(key);
    if (!classifier) {
      // No batching here: the endpoint wraps the classifier in its own micro-batcher.
      classifier = loadWorkerClassifier(location.model, { ...this.loadOptions, ...this.worker, ...(location.dtype ? { dtype: location.dtype } : {}), batching: false })
        .then(({ classifier: loadedClassifier, scorer }) => {
          this.workers.add(scorer);
          return loadedClassifier;
        })
        .catch((error: unknown) => {
          this.loaded.delete(key);
          throw new ModelHostError(`cannot load HF_MODEL_ID ${location.model}: ${(error as Error).message}`);
        });
      this.loaded.set(key, classifier);
    }
    return classifier;
  }

  /** Stops every model's worker thread. */
  async close(): Promise<void> {
    const workers = [...this.workers];
    this.workers.clear();
    this.loaded.clear();
    await Promise.all(workers.map((worker) => worker.dispose()));
  }
}
