/**
 * A score cache in front of any NLI scorer: the logits of every (model, dtype, premise, hypothesis)
 * pair are kept on disk, so a re-run, or a run with some labels or the template changed, sends only
 * pairs never seen before to the model. Identical pairs within a call are scored once.
 *
 * Safe under crashes and concurrent runs: see `segmentFile.ts`. Each process appends to a new segment
 * file of its own, in chunks as the model finishes them, so an interrupted run keeps what it computed.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import type { NliScorer, PremiseHypothesisPair, ProgressCallback } from "../classification/contract";
import { InputError } from "../errors";
import type { NliLabelIds } from "../nli/labels";
import { writeFileAtomically } from "../io/atomicFile";
import { modelFingerprint } from "../models/fingerprint";
import { MODEL_DTYPES, type ModelDtype } from "../models/resolve";
import { decodeRecords, encodeRecords, KEY_BYTES, SEGMENT_MAGIC, type CacheRecord } from "./segmentFile";

/** What makes two scorers give the same logits: the model, its weight precision and the model's content. */
export interface ScorerIdentity {
  model: string;
  dtype: string;
  /**
   * A content fingerprint (sha256) of the model's weights, tokenizer and config files, when known: new
   * weights or a changed tokenizer give a new identity, whatever their size and modification time.
   */
  fingerprint?: string;
  /** The hub revision a hub model was loaded at. */
  revision?: string;
}

/** Where the cache lives and how often it writes. */
export interface CacheOptions {
  /** The cache directory. Default `$ZERO_SHOT_SCORE_CACHE`, else `.cache/scores` under the working directory. */
  dir?: string;
  /** Overrides the identity read from the scorer (e.g. for a remote endpoint whose model you name). */
  identity?: ScorerIdentity;
  /** Pairs sent to the inner scorer per call; each chunk is on disk before the next starts. Default 1024. */
  chunkSize?: number;
}

/** Pair counts of a `scorePairs` call, or of all calls so far. */
export interface CacheStats {
  /** Pairs asked for. */
  pairs: number;
  /** Distinct pairs among them. */
  unique: number;
  /** Distinct pairs answered from the cache. */
  cached: number;
  /** Distinct pairs the inner scorer computed. */
  computed: number;
}

export function defaultScoreCacheDir(): string {
  return process.env.ZERO_SHOT_SCORE_CACHE ?? resolve(".cache", "scores");
}

/**
 * The identity of a scorer: for a local model, its directory (or hub id and revision), dtype and content
 * fingerprint; for anything else, its `modelId` and `dtype` when it has one.
 */
export function scorerIdentity(scorer: NliScorer): ScorerIdentity {
  const local = scorer as NliScorer & { dtype?: string; source?: { kind: string; path?: string; id?: string }; fingerprint?: string; revision?: string };
  const dtype = local.dtype ?? "default";
  let fingerprint = typeof local.fingerprint === "string" ? local.fingerprint : undefined;
  if (local.source?.kind === "directory" && local.source.path) {
    // A decorator that does not pass the fingerprint on: hash the directory's files (content, not dates).
    fingerprint ??= Object.hasOwn(MODEL_DTYPES, dtype) ? modelFingerprint(local.source.path, dtype as ModelDtype) : undefined;
    return { model: resolve(local.source.path), dtype, fingerprint };
  }
  if (local.source?.kind === "hub" && local.source.id) return { model: local.source.id, dtype, fingerprint, revision: local.revision };
  return { model: scorer.modelId, dtype };
}

function pairKey(pair: PremiseHypothesisPair): Buffer {
  return createHash("sha256").update(pair.premise).update("\u0000").update(pair.hypothesis).digest();
}

function pairChars(pair: PremiseHypothesisPair): number {
  return pair.premise.length + pair.hypothesis.length;
}

/** An `NliScorer` that answers known pairs from disk and asks `inner` for the rest. */
export class CachedScorer implements NliScorer {
  readonly modelId: string;
  readonly labelIds: NliLabelIds;
  /** The directory of this scorer's identity inside the cache directory. */
  readonly directory: string;
  readonly identity: ScorerIdentity;
  /** Counts of the last `scorePairs` call. */
  lastCall: CacheStats = { pairs: 0, unique: 0, cached: 0, computed: 0 };
  /** Counts of all calls so far. */
  readonly totals: CacheStats = { pairs: 0, unique: 0, cached: 0, computed: 0 };
  private readonly logits = new Map<string, Float32Array>();
  /** Bytes already read of each segment file (from its start), so a refresh reads only what is new. */
  private readonly readUpTo = new Map<string, number>();
  private readonly chunkSize: number;
  private ownSegment: { name: string; fd: number } | undefined;

  /**
   * Opens (or creates) the cache for `inner`'s identity.
   * @example
   * const model = await LocalNliModel.load("models/tiny-bert-nli");
   * const classifier = new ZeroShotClassifier(new CachedScorer(model, { dir: ".cache/scores" }));
   */
  constructor(readonly inner: NliScorer, options: CacheOptions = {}) {
    this.modelId = inner.modelId;
    this.labelIds = inner.labelIds;
    this.identity = options.identity ?? scorerIdentity(inner);
    this.chunkSize = options.chunkSize ?? 1024;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1) throw new InputError(`cache chunkSize must be a whole number of at least 1, not ${options.chunkSize}`);
    const description = { ...this.identity, numLabels: this.labelIds.numLabels };
    const name = createHash("sha256").update(JSON.stringify(description)).digest("hex").slice(0, 16);
    this.directory = join(resolve(options.dir ?? defaultScoreCacheDir()), name);
    try {
      mkdirSync(this.directory, { recursive: true });
      const identityFile = join(this.directory, "identity.json");
      if (!existsSync(identityFile)) writeFileAtomically(identityFile, JSON.stringify(description, null, 2) + "\n");
    } catch (error) {
      throw new InputError(`cannot use ${this.directory} as a score cache (${(error as Error).message}): pass a writable --cache-dir`, { cause: error });
    }
    this.refresh();
  }

  /** Distinct pairs known to this cache. */
  get size(): number {
    return this.logits.size;
  }

  /** Reads records appended since the last read, by this or any other process. */
  refresh(): void {
    for (const name of readdirSync(this.directory)) {
      if (!name.endsWith(".seg") || name === this.ownSegment?.name) continue;
      const path = join(this.directory, name);
      const from = this.readUpTo.get(name) ?? 0;
      let fd: number;
      try {
        fd = openSync(path, "r");
      } catch {
        continue;
      }
      try {
        const size = fstatSync(fd).size;
        if (size <= from) continue;
        const bytes = Buffer.alloc(size - from);
        readSync(fd, bytes, 0, bytes.length, from);
        let start = 0;
        if (from === 0) {
          if (bytes.length < SEGMENT_MAGIC.length) continue;
          // Not a segment of this format: skip it for good.
          if (!bytes.subarray(0, SEGMENT_MAGIC.length).equals(SEGMENT_MAGIC)) {
            this.readUpTo.set(name, Number.MAX_SAFE_INTEGER);
            continue;
          }
          start = SEGMENT_MAGIC.length;
        }
        const { records, end } = decodeRecords(bytes.subarray(start));
        for (const record of records) this.remember(record);
        this.readUpTo.set(name, from + start + end);
      } finally {
        closeSync(fd);
      }
    }
  }

  /** Logits for every pair, in order: cached ones from disk, the rest from the inner scorer. */
  async scorePairs(pairs: readonly PremiseHypothesisPair[], options: { onProgress?: ProgressCallback } = {}): Promise<Float32Array[]> {
    this.refresh();
    const keys = pairs.map(pairKey);
    const missing = new Map<string, { key: Buffer; pair: PremiseHypothesisPair }>();
    const unique = new Set<string>();
    keys.forEach((key, i) => {
      const id = key.toString("latin1");
      unique.add(id);
      if (!this.logits.has(id) && !missing.has(id)) missing.set(id, { key, pair: pairs[i] });
    });
    // Longest first across the whole call (characters stand in for tokens), so each chunk holds pairs of
    // like length and the inner scorer's length-sorted batches pad as little as one global sort would.
    const todo = [...missing.values()].sort((a, b) => pairChars(b.pair) - pairChars(a.pair));
    const cached = unique.size - todo.length;
    options.onProgress?.(cached, unique.size);
    for (let start = 0; start < todo.length; start += this.chunkSize) {
      const chunk = todo.slice(start, start + this.chunkSize);
      const computed = await this.inner.scorePairs(
        chunk.map(({ pair }) => pair),
        { onProgress: options.onProgress && ((done) => options.onProgress!(cached + start + done, unique.size)) },
      );
      const records: CacheRecord[] = chunk.map(({ key }, i) => {
        const logits = Float32Array.from(computed[i]);
        if (logits.length !== this.labelIds.numLabels) {
          throw new InputError(`the scorer returned ${logits.length} logits for a pair, but its model has ${this.labelIds.numLabels} labels: nothing was cached`);
        }
        return { key, logits };
      });
      this.append(records);
      for (const record of records) this.remember(record);
    }
    this.lastCall = { pairs: pairs.length, unique: unique.size, cached, computed: todo.length };
    for (const field of Object.keys(this.totals) as (keyof CacheStats)[]) this.totals[field] += this.lastCall[field];
    return keys.map((key) => this.logits.get(key.toString("latin1"))!);
  }

  /** Closes this process's segment file. The scorer stays usable; a later write opens a new segment. */
  close(): void {
    if (this.ownSegment) closeSync(this.ownSegment.fd);
    this.ownSegment = undefined;
  }

  private remember(record: CacheRecord): void {
    if (record.key.length === KEY_BYTES && record.logits.length === this.labelIds.numLabels) {
      this.logits.set(record.key.toString("latin1"), record.logits);
    }
  }

  /** Appends whole records with one write to this process's own segment, so a crash tears at most the tail. */
  private append(records: readonly CacheRecord[]): void {
    if (records.length === 0) return;
    if (!this.ownSegment) {
      const name = `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString("hex")}.seg`;
      const fd = openSync(join(this.directory, name), "a");
      writeSync(fd, SEGMENT_MAGIC);
      this.ownSegment = { name, fd };
    }
    const bytes = encodeRecords(records);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.ownSegment.fd, bytes, written, bytes.length - written);
  }
}
