/**
 * Local inference with transformers.js's tokenizer and an ONNX Runtime session of our own: all
 * (premise, hypothesis) pairs of a call are encoded once, sorted by length so padding stays small, and
 * run in forward passes of `batchSize`; the stock pipeline runs them one by one.
 *
 * Loading is tuned for the machine (threads = physical cores, every graph optimisation, memory arena
 * and pattern) and pays for graph optimisation and weight pre-packing once: the optimised graph and its
 * pre-packed weights are saved in the model cache, keyed by the model's content fingerprint, and later
 * loads map them (./sessionOptions.ts).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { transformers, type PreTrainedTokenizer, type ProgressInfo } from "./transformers";
import type { NliScorer, PremiseHypothesisPair, ProgressCallback } from "../../classification/contract";
import { InferenceError, InputError, ModelLoadError, ZeroShotError } from "../../errors";
import { nliLabelIds, type NliLabelIds } from "../../nli/labels";
import { missingModelFiles, parseDtype, resolveModel, weightsFile, DEFAULT_MODEL, type ModelDtype, type ModelSource } from "../../models/resolve";
import { hubEndpoint, hubOffline } from "../../models/hubFiles";
import { assertDeviceAvailable, explainDeviceFailure, parseDevice, type Device } from "./device";
import { modelFingerprint } from "../../models/fingerprint";
import { PairEncoder, type EncodedPair } from "./pairEncoder";
import { OPTIMIZED_GRAPH_FILE, optimizedGraphDir, optimizedGraphName, savedGraphSessionOptions, savingSessionOptions, sessionOptionsFor, type GraphVariant } from "./sessionOptions";
import { firstTokenGraph, logitsDifference, FIRST_TOKEN_TOLERANCE, type FirstTokenRewrite } from "./firstTokenGraph";
import { isRandomTestModelConfig } from "../../models/generate/marker";
import { describeNetworkError } from "../../io/networkError";
import { userCacheDir } from "../../io/cacheHome";

let ortModule: typeof import("onnxruntime-node") | undefined;

/** onnxruntime-node, required on first use: importing this module must not load the native runtime. */
function onnxRuntime(): typeof import("onnxruntime-node") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ortModule ??= require("onnxruntime-node") as typeof import("onnxruntime-node");
  return ortModule;
}

/** How to load a local model. */
export interface LocalModelOptions {
  /** Weight precision: `fp32` (default) or a quantized variant such as `q8` (faster, scores differ slightly). */
  dtype?: ModelDtype | string;
  /** Where the model runs: `cpu` (default), `cuda` or `webgpu` (needs onnxruntime-node's GPU support; see the README). */
  device?: Device | string;
  /** Pairs per forward pass. Default 32. */
  batchSize?: number;
  /** Threads per forward pass. Default: the machine's physical cores (fewer can be faster where other work keeps cores busy). */
  threads?: number;
  /** Hub revision (branch, tag or commit) of a hub model. Default `main`. */
  revision?: string;
  /** Save the optimised graph in the cache directory and start later loads from it. Default true (CPU only). */
  reuseOptimizedGraph?: boolean;
  /**
   * Where the classifier reads the first token only, compute the layers after the last attention for that
   * token alone (./firstTokenGraph.ts): the same scores up to float rounding (checked when the graph is
   * first optimised), less arithmetic. Default true (CPU only), unless `ZERO_SHOT_FULL_GRAPH=1` is set in `env`
   * (how a command-line user turns it off).
   */
  firstTokenGraph?: boolean;
  /** Memory the token cache may hold, in bytes. Default 32 MiB. */
  tokenCacheBytes?: number;
  /** Never contact the hub; use local directories and the download cache only. Default: `HF_HUB_OFFLINE=1` or `ZERO_SHOT_OFFLINE=1`. */
  offline?: boolean;
  /**
   * The environment `LOAD_ENV_VARIABLES` are read from: `HF_ENDPOINT` (a mirror), `HF_HUB_OFFLINE`,
   * `ZERO_SHOT_OFFLINE`, `ZERO_SHOT_CACHE` and `ZERO_SHOT_FULL_GRAPH`.
   * Default `process.env`; the CLI passes the environment it was run with.
   */
  env?: NodeJS.ProcessEnv;
  /** Where hub downloads (and optimised graphs) are kept. Default `$ZERO_SHOT_CACHE`, else `~/.cache/zero-shot-ts/models`. */
  cacheDir?: string;
  /** Receives transformers.js's download progress events (file, bytes loaded and total). */
  onDownloadProgress?: (info: ProgressInfo) => void;
}

/** The model's config fields this backend reads. */
interface NliModelConfig {
  label2id?: Record<string, number>;
  vocab_size?: number;
  max_position_embeddings?: number;
}

/** How the model was loaded: from the optimised graph saved by an earlier load, or optimised now. */
export type SessionOrigin = "optimized-graph" | "optimized-now";

export const DEFAULT_BATCH_SIZE = 32;

/** The environment variables a load reads (`LocalModelOptions.env`): two loads that differ in one may load different things. */
export const LOAD_ENV_VARIABLES = ["HF_ENDPOINT", "HF_HUB_OFFLINE", "ZERO_SHOT_OFFLINE", "ZERO_SHOT_CACHE", "ZERO_SHOT_FULL_GRAPH"] as const;

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ZERO_SHOT_CACHE ?? userCacheDir("models");
}

export function parseThreads(threads: number | string): number {
  const value = Number(threads);
  if (!Number.isInteger(value) || value < 1) throw new InputError(`threads ${JSON.stringify(threads)} is not a whole number of at least 1: try --threads 2`);
  return value;
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
  /** The pair encoder (token cache and tokenization counters). */
  readonly encoder: PairEncoder;
  private fingerprintValue: string | undefined;

  private constructor(
    readonly modelId: string,
    readonly source: ModelSource,
    readonly dtype: ModelDtype,
    readonly device: Device,
    readonly tokenizer: PreTrainedTokenizer,
    readonly session: InferenceSession,
    readonly config: NliModelConfig,
    readonly batchSize: number,
    readonly origin: SessionOrigin,
    /** The directory holding the model's files (the download cache for a hub model). */
    readonly modelDir: string,
    /** The hub revision a hub model was loaded at. */
    readonly revision: string | undefined,
    private readonly fingerprintMemo: string | undefined,
    private readonly release: () => Promise<void>,
    tokenCacheBytes: number | undefined,
    fingerprint: string | undefined,
    /** What narrowing the graph to the first token did; undefined where the full graph runs. */
    readonly firstToken: FirstTokenRecord | undefined,
  ) {
    this.labelIds = nliLabelIds(config.label2id);
    this.randomWeights = isRandomTestModelConfig(config);
    const tokenizerMax = tokenizer.model_max_length;
    const limit = Number.isFinite(tokenizerMax) && tokenizerMax < 1e6 ? tokenizerMax : (config.max_position_embeddings ?? 512);
    this.maxLength = Math.min(limit, config.max_position_embeddings ?? limit);
    const takesTokenTypes = session.inputNames.includes("token_type_ids");
    const tokenizerReturnsTypes = (tokenizer as unknown as { return_token_type_ids?: boolean }).return_token_type_ids === true;
    this.encoder = new PairEncoder(tokenizer, this.maxLength, takesTokenTypes && tokenizerReturnsTypes, tokenCacheBytes);
    this.fingerprintValue = fingerprint;
  }

  /**
   * The sha256 of the model's weights, tokenizer and config files (memoized on disk by path, size,
   * times and inode), so a cache keyed by it can never serve another model's scores.
   */
  get fingerprint(): string {
    this.fingerprintValue ??= modelFingerprint(this.modelDir, this.dtype, this.fingerprintMemo);
    return this.fingerprintValue;
  }

  /**
   * Loads a model by hub id, short name (`bart-large-mnli`) or directory.
   * @example const model = await LocalNliModel.load("models/tiny-bert-nli", { dtype: "q8" });
   */
  static async load(model: string = DEFAULT_MODEL, options: LocalModelOptions = {}): Promise<LocalNliModel> {
    const dtype = parseDtype(options.dtype);
    const device = parseDevice(options.device);
    const batchSize = parseBatchSize(options.batchSize);
    const threads = options.threads === undefined ? undefined : parseThreads(options.threads);
    const source = resolveModel(model);
    const env = options.env ?? process.env;
    const offline = options.offline ?? hubOffline(env);
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
    assertDeviceAvailable(device);
    const cacheDir = options.cacheDir ?? defaultCacheDir(env);
    if (source.kind === "hub" && offline) {
      // transformers.js reports a missing cached file obscurely; check the cache (id/file layout) first.
      const missing = missingModelFiles(join(cacheDir, source.id), dtype);
      if (missing.length > 0) throw offlineNotCached(source.id, cacheDir, missing);
    }
    transformers.env.cacheDir = cacheDir;
    transformers.env.allowRemoteModels = !offline;
    // HF_ENDPOINT, as in the Python hub client: a mirror, or a local server in tests.
    transformers.env.remoteHost = hubEndpoint(env);
    const path = source.kind === "directory" ? source.path : source.id;
    const revision = source.kind === "hub" ? (options.revision ?? "main") : undefined;
    const loadOptions = {
      local_files_only: source.kind === "directory" || offline,
      progress_callback: options.onDownloadProgress,
      ...(revision ? { revision } : {}),
    };
    const modelDir = source.kind === "directory" ? source.path : join(cacheDir, source.id);
    const memoFile = join(cacheDir, ".fingerprints.json");
    const sessionOptions = sessionOptionsFor(device, { threads });
    // On the CPU at the files' main revision the session is our own: the graph narrowed to what the
    // classifier reads, optimised once and saved. GPU providers optimise at load, and the cache holds
    // one revision's files, so a pinned revision goes through transformers.js as it is.
    const ownSession = device === "cpu" && (revision === undefined || revision === "main");
    const fromPretrained = async () => {
      try {
        return await transformers.AutoModelForSequenceClassification.from_pretrained(path, { ...loadOptions, dtype, device, session_options: sessionOptions });
      } catch (error) {
        throw explainDeviceFailure(device, error);
      }
    };
    try {
      const tokenizer = await transformers.AutoTokenizer.from_pretrained(path, loadOptions);
      // A hub model's first load: transformers.js downloads its files (reporting progress) and opens them;
      // that session is dropped below for one opened from the files as any local model's is.
      const downloaded = ownSession && missingModelFiles(modelDir, dtype).length > 0 ? await fromPretrained() : undefined;
      if (ownSession && missingModelFiles(modelDir, dtype).length === 0) {
        await downloaded?.dispose();
        const fingerprint = modelFingerprint(modelDir, dtype, memoFile);
        const config = JSON.parse(readFileSync(join(modelDir, "config.json"), "utf8")) as NliModelConfig;
        const opened = await openSession(onnxRuntime(), {
          modelFile: join(modelDir, weightsFile(dtype)),
          graphs: (options.reuseOptimizedGraph ?? true) ? optimizedGraphDir(cacheDir) : undefined,
          key: (variant) => optimizedGraphName(fingerprint, dtype, device, sessionOptions, variant),
          sessionOptions,
          firstToken: options.firstTokenGraph ?? env.ZERO_SHOT_FULL_GRAPH !== "1",
          vocabSize: config.vocab_size,
        });
        const release = () => opened.session.release();
        return new LocalNliModel(source.name, source, dtype, device, tokenizer, opened.session, config, batchSize, opened.origin, modelDir, revision, memoFile, release, options.tokenCacheBytes, fingerprint, opened.firstToken);
      }
      const classifier = downloaded ?? (await fromPretrained());
      const session = (classifier.sessions as unknown as { model: InferenceSession }).model;
      const config = classifier.config as unknown as NliModelConfig;
      const release = async () => void (await classifier.dispose());
      return new LocalNliModel(source.name, source, dtype, device, tokenizer, session, config, batchSize, "optimized-now", modelDir, revision, memoFile, release, options.tokenCacheBytes, undefined, undefined);
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
    const feeds: Record<string, OrtTensor> = {
      input_ids: new (onnxRuntime().Tensor)("int64", inputIds, dims),
      attention_mask: new (onnxRuntime().Tensor)("int64", attentionMask, dims),
    };
    if (this.session.inputNames.includes("token_type_ids")) feeds.token_type_ids = new (onnxRuntime().Tensor)("int64", tokenTypeIds ?? new BigInt64Array(size), dims);
    let logits: OrtTensor;
    try {
      const output = await this.session.run(feeds);
      logits = output.logits ?? output[this.session.outputNames[0]];
    } catch (error) {
      throw new InferenceError(`the model failed on a batch of ${batch.length} pairs of up to ${length} tokens: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const data = logits.data as Float32Array;
    const width = this.labelIds.numLabels;
    if (data.length !== batch.length * width) {
      throw new InferenceError(`the model returned ${data.length} logits for ${batch.length} pairs, but its config has ${width} labels: check the model's config.json (id2label / label2id)`);
    }
    return batch.map((_, row) => data.slice(row * width, (row + 1) * width));
  }

  /** Frees the ONNX session. */
  async dispose(): Promise<void> {
    await this.release();
  }
}
/** Where `openSession` finds the model and keeps its optimised graph. */
export interface OpenSessionOptions {
  /** The ONNX file. */
  modelFile: string;
  /** The optimised-graphs folder of the cache; undefined: neither read nor save one. */
  graphs?: string;
  /** The graph's folder name for a variant ("first-token" or "full"). */
  key: (variant: GraphVariant) => string;
  sessionOptions: InferenceSession.SessionOptions;
  /** Narrow the graph to what the classifier reads (./firstTokenGraph.ts). */
  firstToken: boolean;
  vocabSize?: number;
  /** What writes the narrowed graph. Default `firstTokenGraph`; tests hand in a faulty one to see the full graph kept. */
  narrow?: typeof firstTokenGraph;
}

/** What narrowing the graph to the first token did, and how far its probe logits were from the full graph's. */
export type FirstTokenRecord = FirstTokenRewrite & { difference: number };

/** What a saved graph's folder records beside the graph: whether it was narrowed, by how much, and how closely it agreed. */
export const GRAPH_RECORD_FILE = "graph.json";

/** The narrowing a saved graph's record names; undefined for a full graph, or a record missing or damaged (the graph serves all the same). */
function readGraphRecord(file: string): FirstTokenRecord | undefined {
  try {
    const record = (JSON.parse(readFileSync(file, "utf8")) as { firstToken?: Partial<FirstTokenRecord> } | null)?.firstToken;
    const numbers = record && [record.narrowed, record.slices, record.difference].every((value) => typeof value === "number");
    return numbers ? (record as FirstTokenRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An ONNX Runtime session of the model: from its saved optimised graph where there is one; else the
 * graph narrowed to the first token (kept only if its logits agree with the full graph's on a probe
 * input, so a first load opens the model twice), or the full graph, optimised now and saved into a
 * folder renamed into place once complete.
 */
export async function openSession(ort: typeof import("onnxruntime-node"), options: OpenSessionOptions): Promise<{ session: InferenceSession; origin: SessionOrigin; firstToken: FirstTokenRecord | undefined }> {
  const { graphs, sessionOptions } = options;
  const variant: GraphVariant = options.firstToken ? "first-token" : "full";
  if (graphs) {
    const saved = join(graphs, options.key(variant));
    if (existsSync(join(saved, OPTIMIZED_GRAPH_FILE))) {
      try {
        const session = await ort.InferenceSession.create(join(saved, OPTIMIZED_GRAPH_FILE), savedGraphSessionOptions(sessionOptions));
        return { session, origin: "optimized-graph", firstToken: readGraphRecord(join(saved, GRAPH_RECORD_FILE)) };
      } catch {
        rmSync(saved, { recursive: true, force: true }); // damaged or from another runtime: optimise again below
      }
    }
  }
  // A cache directory we cannot write only costs optimising again next time.
  const partial = graphs ? makeDirectory(join(graphs, `.${process.pid}-${randomBytes(4).toString("hex")}.partial`)) : undefined;
  const graphFile = partial ? join(partial, OPTIMIZED_GRAPH_FILE) : undefined;
  const creating = graphFile ? savingSessionOptions(sessionOptions, graphFile) : sessionOptions;
  try {
    let session: InferenceSession | undefined;
    let firstToken: FirstTokenRecord | undefined;
    // The narrowed graph's source, beside the saved graph while it is made (or in a temporary folder).
    const scratch = options.firstToken ? (partial ?? mkdtempSync(join(tmpdir(), "zs-first-token-"))) : undefined;
    const source = scratch ? join(scratch, "first-token-source.onnx") : undefined;
    const narrow = options.narrow ?? firstTokenGraph;
    const narrowed = source ? await narrow(ort, options.modelFile, source, { vocabSize: options.vocabSize }).catch(() => undefined) : undefined;
    if (narrowed && source) {
      // The full graph's logits first, its session released before the narrowed one opens: one model in memory at a time.
      const full = await ort.InferenceSession.create(options.modelFile, sessionOptions);
      const reference = await narrowed.probeLogits(full).finally(() => full.release());
      // A narrowed graph ONNX Runtime refuses, or whose logits differ, only means the full graph runs.
      session = await ort.InferenceSession.create(source, creating).catch(() => undefined);
      const difference = session ? logitsDifference(await narrowed.probeLogits(session), reference) : Infinity;
      if (difference <= FIRST_TOKEN_TOLERANCE) {
        firstToken = { narrowed: narrowed.narrowed, slices: narrowed.slices, difference };
      } else {
        await session?.release();
        session = undefined;
        if (partial) for (const file of readdirSync(partial)) rmSync(join(partial, file), { force: true });
      }
    }
    // The narrowed graph's source is done with: opened (and saved by the session) or refused.
    if (source) rmSync(scratch === partial ? source : scratch!, { recursive: true, force: true });
    session ??= await ort.InferenceSession.create(options.modelFile, creating);
    if (partial && graphs) {
      try {
        writeFileSync(join(partial, GRAPH_RECORD_FILE), JSON.stringify({ firstToken: firstToken ?? null }));
        renameSync(partial, join(graphs, options.key(variant)));
        tidyGraphs(graphs);
      } catch {
        // another process saved the same graph first, or the cache is read-only: optimising again next time is all it costs
        rmSync(partial, { recursive: true, force: true });
      }
    }
    return { session, origin: "optimized-now", firstToken };
  } catch (error) {
    if (partial) rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** A partial folder this old was left by a load that crashed or was killed while saving. */
const STALE_PARTIAL_MS = 60 * 60 * 1000;

/**
 * Gives back the space of what no load will read: graphs saved by earlier versions as single
 * `<key>.onnx` files, and partial folders left by loads that died while saving (over an hour old).
 */
function tidyGraphs(graphs: string): void {
  for (const entry of readdirSync(graphs, { withFileTypes: true })) {
    const path = join(graphs, entry.name);
    if (entry.isFile() && entry.name.endsWith(".onnx")) rmSync(path, { force: true });
    else if (entry.isDirectory() && entry.name.endsWith(".partial") && Date.now() - statSync(path).mtimeMs > STALE_PARTIAL_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** `path`, created (with its parents); undefined where it cannot be. */
function makeDirectory(path: string): string | undefined {
  try {
    mkdirSync(path, { recursive: true });
    return path;
  } catch {
    return undefined;
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
