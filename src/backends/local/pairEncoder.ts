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

export class PairEncoder {
  private readonly template: PairTemplate;
  private readonly specialCount: number;
  private readonly idsCache = new Map<string, number[]>();

  /**
   * @param maxLength the model's maximum input length in tokens, special tokens included
   * @param withTokenTypes whether to return token type ids (as the tokenizer class does)
   */
  constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    readonly maxLength: number,
    private readonly withTokenTypes: boolean,
  ) {
    this.template = readPairTemplate(tokenizer);
    this.specialCount = this.template.prefix.length + this.template.middle.length + this.template.suffix.length;
  }

  private idsOf(text: string): number[] {
    let ids = this.idsCache.get(text);
    if (!ids) {
      ids = this.tokenizer.encode(text, { add_special_tokens: false });
      // Keep the memo bounded: a long run over many texts must not grow memory without limit.
      if (this.idsCache.size > 50_000) this.idsCache.clear();
      this.idsCache.set(text, ids);
    }
    return ids;
  }

  /** The pair's ids; a premise too long for the model is cut from its end, the hypothesis never. */
  encode(premise: string, hypothesis: string): EncodedPair {
    const hypothesisIds = this.idsOf(hypothesis);
    const room = this.maxLength - this.specialCount - hypothesisIds.length;
    if (room < 1) {
      throw new InputError(
        `the hypothesis ${JSON.stringify(hypothesis)} is ${hypothesisIds.length} tokens, which leaves no room for the text ` +
          `in the model's ${this.maxLength}-token input: use a shorter label or hypothesis template`,
      );
    }
    let premiseIds = this.idsOf(premise);
    if (premiseIds.length > room) premiseIds = premiseIds.slice(0, room);
    const t = this.template;
    const inputIds = [...t.prefix, ...premiseIds, ...t.middle, ...hypothesisIds, ...t.suffix];
    if (!this.withTokenTypes) return { inputIds };
    const tokenTypeIds = [
      ...t.prefixTypes,
      ...premiseIds.map(() => t.premiseType),
      ...t.middleTypes,
      ...hypothesisIds.map(() => t.hypothesisType),
      ...t.suffixTypes,
    ];
    return { inputIds, tokenTypeIds };
  }
}
