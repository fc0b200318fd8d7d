/**
 * Encodes (premise, hypothesis) pairs the way the Python pipeline does (`truncation="only_first"`):
 * only the premise is cut, so the hypothesis, which carries the label, always survives. Premises and
 * hypotheses are tokenized once each and joined through the tokenizer's own pair template, so N texts
 * x M labels cost N + M tokenizations, not N x M.
 */
import type { PreTrainedTokenizer } from "./transformers";
import { InputError } from "../../errors";

/** Token ids of one pair, ready to batch. */
export interface EncodedPair {
  inputIds: number[];
  /** Present for tokenizers that return token type ids (BERT-style). */
  tokenTypeIds?: number[];
}

/** The special tokens a pair template puts around and between the two sequences, with their type ids. */
interface PairTemplate {
  prefix: number[];
  middle: number[];
  suffix: number[];
  prefixTypes: number[];
  middleTypes: number[];
  suffixTypes: number[];
  premiseType: number;
  hypothesisType: number;
}

/** The parts of the @huggingface/tokenizers object we read; transformers.js keeps it as `_tokenizer`. */
interface InnerTokenizer {
  post_processor: ((a: string[], b: string[] | null, addSpecial: boolean) => { tokens: string[]; token_type_ids?: number[] }) | null;
  token_to_id(token: string): number | undefined;
  added_tokens_map?: Map<string, { id: number }>;
}

/** Reads the pair template by post-processing two sentinel tokens and seeing where they land. */
function readPairTemplate(tokenizer: PreTrainedTokenizer): PairTemplate {
  const inner = (tokenizer as unknown as { _tokenizer: InnerTokenizer })._tokenizer;
  const premiseMark = "\u0000premise";
  const hypothesisMark = "\u0000hypothesis";
  if (!inner?.post_processor) {
    return { prefix: [], middle: [], suffix: [], prefixTypes: [], middleTypes: [], suffixTypes: [], premiseType: 0, hypothesisType: 0 };
  }
  const { tokens, token_type_ids } = inner.post_processor([premiseMark], [hypothesisMark], true);
  const types = token_type_ids ?? tokens.map(() => 0);
  const a = tokens.indexOf(premiseMark);
  const b = tokens.indexOf(hypothesisMark);
  const idOf = (token: string): number => {
    const id = inner.added_tokens_map?.get(token)?.id ?? inner.token_to_id(token);
    if (id === undefined) throw new InputError(`the tokenizer's pair template uses ${token}, which is not in its vocabulary`);
    return id;
  };
  return {
    prefix: tokens.slice(0, a).map(idOf),
    middle: tokens.slice(a + 1, b).map(idOf),
    suffix: tokens.slice(b + 1).map(idOf),
    prefixTypes: types.slice(0, a),
    middleTypes: types.slice(a + 1, b),
    suffixTypes: types.slice(b + 1),
    premiseType: types[a],
    hypothesisType: types[b],
  };
}

/**
 * A generous bound on the characters one token takes (WordPiece words longer than this become one
 * [UNK]; real BPE and WordPiece tokens average 3-5 characters). Only the first guess of how much text to
 * tokenize: if a cut gives too few tokens, more text is taken, so the result never depends on it.
 */
export const MAX_CHARS_PER_TOKEN = 24;

/**
 * The most characters per token of room ever tokenized (a 512-token model: about 128k characters), so
 * the work stays bounded even for a text with no whitespace (where only the last, cut word can differ).
 */
const CHARS_PER_TOKEN_CAP = 256;

/** Default byte budget of the token cache (texts and their ids). */
export const DEFAULT_TOKEN_CACHE_BYTES = 32 * 1024 * 1024;

/** What a cached text costs: its UTF-16 key, its ids and the map entry. */
function entryBytes(text: string, ids: Int32Array): number {
  return 2 * text.length + ids.byteLength + 96;
}

/**
 * Where to cut a long text so that tokenizing the cut gives the same first tokens as tokenizing the
 * whole: at a whitespace (every pre-tokenizer the hub's NLI models use splits there, so no word is cut),
 * searching back from `bound`; mid-text only when the window holds no whitespace at all.
 */
function cutPoint(text: string, bound: number): number {
  if (text.length <= bound) return text.length;
  // The first whitespace of a run, so the cut text ends with a whole word and no partial run of spaces.
  for (let i = bound; i > 0; i--) {
    if (isWhitespace(text.charCodeAt(i)) && !isWhitespace(text.charCodeAt(i - 1))) return i;
  }
  return bound;
}

function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || code === 0x2028 || code === 0x2029;
}

/** Counts tokenization work, so tests can check it is bounded however long a premise is. */
export interface EncoderStats {
  /** Characters handed to the tokenizer. */
  charsTokenized: number;
  /** Token-cache hits and misses. */
  hits: number;
  misses: number;
}

export class PairEncoder {
  private readonly template: PairTemplate;
  private readonly specialCount: number;
  /** Token ids by text, least recently used first (a Map iterates in insertion order). */
  private readonly idsCache = new Map<string, Int32Array>();
  private cacheBytes = 0;
  readonly stats: EncoderStats = { charsTokenized: 0, hits: 0, misses: 0 };

  /**
   * @param maxLength the model's maximum input length in tokens, special tokens included
   * @param withTokenTypes whether to return token type ids (as the tokenizer class does)
   * @param cacheBudgetBytes the most memory the token cache may hold (least recently used texts go first)
   */
  constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    readonly maxLength: number,
    private readonly withTokenTypes: boolean,
    readonly cacheBudgetBytes: number = DEFAULT_TOKEN_CACHE_BYTES,
  ) {
    this.template = readPairTemplate(tokenizer);
    this.specialCount = this.template.prefix.length + this.template.middle.length + this.template.suffix.length;
  }

  /** Bytes the token cache holds now (never more than `cacheBudgetBytes`). */
  get cachedBytes(): number {
    return this.cacheBytes;
  }

  private tokenize(text: string): Int32Array {
    this.stats.charsTokenized += text.length;
    return Int32Array.from(this.tokenizer.encode(text, { add_special_tokens: false }));
  }

  private cached(key: string, compute: () => Int32Array): Int32Array {
    const known = this.idsCache.get(key);
    if (known) {
      this.stats.hits++;
      this.idsCache.delete(key); // move to the most recently used end
      this.idsCache.set(key, known);
      return known;
    }
    this.stats.misses++;
    const ids = compute();
    const bytes = entryBytes(key, ids);
    if (bytes > this.cacheBudgetBytes) return ids;
    this.idsCache.set(key, ids);
    this.cacheBytes += bytes;
    for (const [oldest, oldIds] of this.idsCache) {
      if (this.cacheBytes <= this.cacheBudgetBytes) break;
      this.idsCache.delete(oldest);
      this.cacheBytes -= entryBytes(oldest, oldIds);
    }
    return ids;
  }

  /**
   * The first `room` token ids of `text` (fewer if it is shorter), tokenizing no more of it than those
   * need: a cut by characters first (at most `room x MAX_CHARS_PER_TOKEN`, at a whitespace), taken
   * further only when the cut holds fewer than `room` tokens.
   */
  private leadingIds(text: string, room: number): Int32Array {
    const cap = (room + 1) * CHARS_PER_TOKEN_CAP;
    let bound = (room + 1) * MAX_CHARS_PER_TOKEN;
    for (;;) {
      const end = cutPoint(text, bound);
      const prefix = end === text.length ? text : text.slice(0, end);
      // Keyed by the cut text, so a huge premise never sits in the cache whole.
      const ids = this.cached(prefix, () => this.tokenize(prefix));
      if (end === text.length || ids.length >= room || bound >= cap) return ids.length > room ? ids.subarray(0, room) : ids;
      bound = Math.min(cap, bound * 4);
    }
  }

  /** The pair's ids; a premise too long for the model is cut from its end, the hypothesis never. */
  encode(premise: string, hypothesis: string): EncodedPair {
    const hypothesisIds = this.cached(hypothesis, () => this.tokenize(hypothesis));
    const room = this.maxLength - this.specialCount - hypothesisIds.length;
    if (room < 1) {
      throw new InputError(
        `the hypothesis ${JSON.stringify(hypothesis)} is ${hypothesisIds.length} tokens, which leaves no room for the text ` +
          `in the model's ${this.maxLength}-token input: use a shorter label or hypothesis template`,
      );
    }
    const premiseIds = this.leadingIds(premise, room);
    const t = this.template;
    const inputIds = [...t.prefix, ...premiseIds, ...t.middle, ...hypothesisIds, ...t.suffix];
    if (!this.withTokenTypes) return { inputIds };
    const tokenTypeIds = [
      ...t.prefixTypes,
      ...new Array<number>(premiseIds.length).fill(t.premiseType),
      ...t.middleTypes,
      ...new Array<number>(hypothesisIds.length).fill(t.hypothesisType),
      ...t.suffixTypes,
    ];
    return { inputIds, tokenTypeIds };
  }
}
