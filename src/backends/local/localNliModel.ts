/**
 * Local inference with transformers.js: its tokenizer and `AutoModelForSequenceClassification`, driven
 * by our own batching. All (premise, hypothesis) pairs of a call are encoded once, sorted by length so
 * padding stays small, and run in forward passes of `batchSize`; the stock pipeline runs them one by one.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { transformers, type PreTrainedModel, type PreTrainedTokenizer, type ProgressInfo, type TensorType } from "./transformers";
import type { NliScorer, PremiseHypothesisPair, ProgressCallback } from "../../classification/contract";
import { InferenceError, InputError, ModelLoadError, ZeroShotError } from "../../errors";
import { nliLabelIds, type NliLabelIds } from "../../nli/labels";
import { missingModelFiles, parseDtype, resolveModel, DEFAULT_MODEL, type ModelDtype, type ModelSource } from "../../models/resolve";
import { isRandomTestModelConfig } from "../../models/generate/marker";
import { PairEncoder, type EncodedPair } from "./pairEncoder";
import { describeNetworkError } from "../../io/networkError";


/** How to load a local model. */
export interface LocalModelOptions {
  /** Weight precision: `fp32` (default) or a quantized variant such as `q8`. */
  dtype?: ModelDtype | string;
  /** Pairs per forward pass. Default 32. */
  batchSize?: number;
  /** Never contact the hub; use local directories and the download cache only. Default: `HF_HUB_OFFLINE=1` or `ZERO_SHOT_OFFLINE=1`. */
  offline?: boolean;
  /** Where hub downloads are kept. Default `$ZERO_SHOT_CACHE`, else `~/.cache/zero-shot-ts/models`. */
  cacheDir?: string;
  /** Receives transformers.js's download progress events (file, bytes loaded and total). */
  onDownloadProgress?: (info: ProgressInfo) => void;
}

export const DEFAULT_BATCH_SIZE = 32;

const HUB_URL = "https://huggingface.co/";

function envFlag(name: string): boolean {
  const value = process.env[name];
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

export function defaultCacheDir(): string {
  return process.env.ZERO_SHOT_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "zero-shot-ts", "models");
}

export function parseBatchSize(batchSize: number | string | undefined): number {
  const value = batchSize === undefined ? DEFAULT_BATCH_SIZE : Number(batchSize);
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(`batch size ${JSON.stringify(batchSize)} is not a whole number of at least 1: try --batch-size 32`);
  }
  return value;
}

/** A loaded NLI model that scores (premise, hypothesis) pairs on this machine. */
export class LocalNliModel implements NliScorer {
  readonly labelIds: NliLabelIds;
  readonly maxLength: number;
  /** True for a model made by this project's generator (its config.json is marked): its scores mean nothing. */
  readonly randomWeights: boolean;
  private readonly encoder: PairEncoder;

  private constructor(
    readonly modelId: string,
    readonly source: ModelSource,
    readonly dtype: ModelDtype,
    readonly tokenizer: PreTrainedTokenizer,
    readonly model: PreTrainedModel,
    readonly batchSize: number,
  ) {
    const config = model.config as unknown as { label2id?: Record<string, number>; max_position_embeddings?: number };
    this.labelIds = nliLabelIds(config.label2id);
    this.randomWeights = isRandomTestModelConfig(config);
    const tokenizerMax = tokenizer.model_max_length;
    const limit = Number.isFinite(tokenizerMax) && tokenizerMax < 1e6 ? tokenizerMax : (config.max_position_embeddings ?? 512);
    this.maxLength = Math.min(limit, config.max_position_embeddings ?? limit);
    const takesTokenTypes = model.sessions.model.inputNames.includes("token_type_ids");
    const tokenizerReturnsTypes = (tokenizer as unknown as { return_token_type_ids?: boolean }).return_token_type_ids === true;
    this.encoder = new PairEncoder(tokenizer, this.maxLength, takesTokenTypes && tokenizerReturnsTypes);
  }

  /**
   * Loads a model by hub id, short name (`bart-large-mnli`) or directory.
   * @example const model = await LocalNliModel.load("models/tiny-bert-nli");
   */
  static async load(model: string = DEFAULT_MODEL, options: LocalModelOptions = {}): Promise<LocalNliModel> {
    const dtype = parseDtype(options.dtype);
    const batchSize = parseBatchSize(options.batchSize);
    const source = resolveModel(model);
    const offline = options.offline ?? (envFlag("HF_HUB_OFFLINE") || envFlag("ZERO_SHOT_OFFLINE"));
    if (source.kind === "directory") {
      const missing = missingModelFiles(source.path, dtype);
      if (missing.length > 0) {
        throw new ModelLoadError(
          `model directory ${source.path} is missing ${missing.join(", ")}: a transformers.js model needs config.json, ` +
            `tokenizer.json, tokenizer_config.json and onnx/model.onnx (fp32) or onnx/model_quantized.onnx (q8)` +
            (dtype !== "fp32" && missing.length === 1 ? `; or load it with --dtype fp32` : ""),
        );
      }
    }
    const cacheDir = options.cacheDir ?? defaultCacheDir();
    if (source.kind === "hub" && offline) {
      // transformers.js reports a missing cached file obscurely; check the cache (id/file layout) first.
      const missing = missingModelFiles(join(cacheDir, source.id), dtype);
      if (missing.length > 0) throw offlineNotCached(source.id, cacheDir, missing);
    }
    transformers.env.cacheDir = cacheDir;
    transformers.env.allowRemoteModels = !offline;
    // HF_ENDPOINT, as in the Python hub client: a mirror, or a local server in tests.
    transformers.env.remoteHost = process.env.HF_ENDPOINT ? process.env.HF_ENDPOINT.replace(/\/*$/, "/") : HUB_URL;
    const path = source.kind === "directory" ? source.path : source.id;
    const loadOptions = {
      local_files_only: source.kind === "directory" || offline,
      progress_callback: options.onDownloadProgress,
    };
    try {
      const tokenizer = await transformers.AutoTokenizer.from_pretrained(path, loadOptions);
      const classifier = await transformers.AutoModelForSequenceClassification.from_pretrained(path, { ...loadOptions, dtype, device: "cpu" });
      return new LocalNliModel(source.name, source, dtype, tokenizer, classifier, batchSize);
    } catch (error) {
      throw explainLoadError(error, source, dtype, offline);
    }
  }

  /** Logits for each pair, in input order; identical pairs are computed once. */
  async scorePairs(pairs: readonly PremiseHypothesisPair[], options: { onProgress?: ProgressCallback } = {}): Promise<Float32Array[]> {
    const uniqueIndex = new Map<string, number>();
    const unique: PremiseHypothesisPair[] = [];
    const slotOf = pairs.map((pair) => {
      const key = `${pair.premise}\u0000${pair.hypothesis}`;
      let slot = uniqueIndex.get(key);
      if (slot === undefined) {
        slot = unique.length;
        uniqueIndex.set(key, slot);
        unique.push(pair);
      }
      return slot;
    });
    const encoded = unique.map((pair) => this.encoder.encode(pair.premise, pair.hypothesis));
    // Longest first, so the first batch shows the peak memory at once; ties keep input order.
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[b].inputIds.length - encoded[a].inputIds.length || a - b);
    const logits: Float32Array[] = new Array(unique.length);
    let done = 0;
    options.onProgress?.(0, unique.length);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const batch = order.slice(start, start + this.batchSize);
      const rows = await this.forward(batch.map((i) => encoded[i]));
      batch.forEach((pairIndex, row) => (logits[pairIndex] = rows[row]));
      done += batch.length;
      options.onProgress?.(done, unique.length);
    }
    return slotOf.map((slot) => logits[slot]);
  }

  /** One forward pass over encoded pairs, right-padded to the longest. */
  private async forward(batch: EncodedPair[]): Promise<Float32Array[]> {
    const length = Math.max(...batch.map((pair) => pair.inputIds.length));
    const size = batch.length * length;
    const inputIds = new BigInt64Array(size).fill(BigInt(this.tokenizer.pad_token_id ?? 0));
    const attentionMask = new BigInt64Array(size);
    const tokenTypeIds = batch[0].tokenTypeIds ? new BigInt64Array(size) : undefined;
    batch.forEach((pair, row) => {
      const offset = row * length;
      pair.inputIds.forEach((id, i) => {
        inputIds[offset + i] = BigInt(id);
        attentionMask[offset + i] = 1n;
      });
      pair.tokenTypeIds?.forEach((type, i) => (tokenTypeIds![offset + i] = BigInt(type)));
    });
    const dims = [batch.length, length];
    const inputs: Record<string, TensorType> = {
      input_ids: new transformers.Tensor("int64", inputIds, dims),
      attention_mask: new transformers.Tensor("int64", attentionMask, dims),
    };
    if (tokenTypeIds) inputs.token_type_ids = new transformers.Tensor("int64", tokenTypeIds, dims);
    let output: { logits: TensorType };
    try {
      output = await this.model(inputs);
    } catch (error) {
      throw new InferenceError(`the model failed on a batch of ${batch.length} pairs of up to ${length} tokens: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const data = output.logits.data as Float32Array;
    const width = this.labelIds.numLabels;
    return batch.map((_, row) => data.slice(row * width, (row + 1) * width));
  }

  /** Frees the ONNX session. */
  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

function offlineNotCached(id: string, cacheDir: string, missing: string[], cause?: unknown): ModelLoadError {
  return new ModelLoadError(
    `model ${id} is not in the download cache (${cacheDir}${missing.length ? `: no ${missing.join(", ")}` : ""}) and offline mode is on: ` +
      `run once with the internet (unset HF_HUB_OFFLINE / ZERO_SHOT_OFFLINE) to download it, or pass --model DIR with a local copy`,
    { cause },
  );
}

function explainLoadError(error: unknown, source: ModelSource, dtype: ModelDtype, offline: boolean): Error {
  if (error instanceof ZeroShotError) return error;
  const message = (error as Error)?.message ?? String(error);
  if (source.kind === "hub" && offline) return offlineNotCached(source.id, transformers.env.cacheDir ?? "", [], error);
  if (source.kind === "hub") {
    // fetch's own message is only "fetch failed": the reason (ENOTFOUND, ECONNREFUSED, ...) is in its cause.
    const network = describeNetworkError(error, transformers.env.remoteHost);
    return new ModelLoadError(
      `could not load ${source.id} (${dtype}) from the Hugging Face hub at ${transformers.env.remoteHost}: ${network ?? message}; ` +
        (network ? `or, without the hub, pass --model DIR with a local copy` : `check the model id and your connection, or pass --model DIR with a local copy`),
      { cause: error },
    );
  }
  return new ModelLoadError(`could not load model ${source.name}: ${message}`, { cause: error });
}
