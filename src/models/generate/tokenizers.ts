/**
 * Small but real tokenizers in the Hugging Face `tokenizer.json` format, for the generated test models:
 * a BERT-style WordPiece tokenizer (lower-cased, `[CLS] A [SEP] B [SEP]` with token type ids) and a
 * BART-style byte-level BPE tokenizer (`<s> A </s></s> B </s>`, no token type ids).
 */

/** Common English words, plus the walkthrough's label words, so sentences tokenize into whole words. */
const WORDS = `the a an and or but of to in on at for with from by as is are was were be been being this that these those it
its i me my we our you your he she they them their his her not no yes do does did will would can could should may might
must have has had go going get got make made take took give gave run running ran walk eat ate drink read write learn
study work job career money save saving spend finance financial health healthy fitness gym weight lose lost diet food
exercise marathon sport sports game games play fun funny humor joke laugh time management organize organized plan
planning education school college class book books course personal growth better best good great new year years
resolution resolutions happy more less every day days week month life family friend friends love travel leisure
recreation relax music movie movies charity donate volunteer help people world philanthropy example about what all
one two three first last much many some any other own same so than too very just also now then here there when where
why how who which while after before again only still even never always often hope want need like feel think know`;

/** The characters BERT's basic tokenizer splits off as their own tokens. */
const PUNCTUATION = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;

export interface TokenizerFiles {
  tokenizerJson: object;
  tokenizerConfig: object;
}

/** The BERT-style WordPiece tokenizer; `vocabSize` pads the vocabulary with `[unusedN]` tokens. */
export function wordPieceTokenizer(options: { maxLength: number; vocabSize?: number; tokenizerClass?: string }): TokenizerFiles {
  const special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  const characters = [...PUNCTUATION, ..."0123456789abcdefghijklmnopqrstuvwxyz"];
  const words = [...new Set(WORDS.split(/\s+/).filter(Boolean))];
  const tokens = [...special, ...characters, ...characters.map((c) => `##${c}`), ...words];
  for (let i = 0; tokens.length < (options.vocabSize ?? 0); i++) tokens.push(`[unused${i}]`);
  const vocab = Object.fromEntries(tokens.map((token, id) => [token, id]));
  const id = (token: string) => vocab[token];
  return {
    tokenizerJson: {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: special.map((content) => ({
        id: id(content),
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: "BertPreTokenizer" },
      post_processor: {
        type: "TemplateProcessing",
        single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
        pair: [
          { SpecialToken: { id: "[CLS]", type_id: 0 } },
          { Sequence: { id: "A", type_id: 0 } },
          { SpecialToken: { id: "[SEP]", type_id: 0 } },
          { Sequence: { id: "B", type_id: 1 } },
          { SpecialToken: { id: "[SEP]", type_id: 1 } },
        ],
        special_tokens: {
          "[CLS]": { id: "[CLS]", ids: [id("[CLS]")], tokens: ["[CLS]"] },
          "[SEP]": { id: "[SEP]", ids: [id("[SEP]")], tokens: ["[SEP]"] },
        },
      },
      decoder: { type: "WordPiece", prefix: "##", cleanup: true },
      model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
    },
    tokenizerConfig: {
      tokenizer_class: options.tokenizerClass ?? "BertTokenizer",
      do_lower_case: true,
      model_max_length: options.maxLength,
      cls_token: "[CLS]",
      sep_token: "[SEP]",
      pad_token: "[PAD]",
      unk_token: "[UNK]",
      mask_token: "[MASK]",
      clean_up_tokenization_spaces: true,
    },
  };
}

/** GPT-2's reversible map from bytes to printable characters, which byte-level BPE vocabularies use. */
function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    map[b] = printable.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  }
  return map;
}

/** The BART-style byte-level BPE tokenizer: every byte is a token, and merges build the common words. */
export function byteLevelBpeTokenizer(options: { maxLength: number }): TokenizerFiles {
  const special = ["<s>", "<pad>", "</s>", "<unk>"];
  const byteChars = bytesToUnicode();
  const vocab: Record<string, number> = {};
  const add = (token: string) => {
    if (!(token in vocab)) vocab[token] = Object.keys(vocab).length;
  };
  special.forEach(add);
  byteChars.forEach(add);
  const merges: string[] = [];
  const seen = new Set<string>();
  const space = byteChars[32];
  for (const word of new Set(WORDS.split(/\s+/).filter(Boolean))) {
    for (const form of [word, space + word, word[0].toUpperCase() + word.slice(1), space + word[0].toUpperCase() + word.slice(1)]) {
      const symbols = [...form];
      let left = symbols[0];
      for (const right of symbols.slice(1)) {
        const merge = `${left} ${right}`;
        if (!seen.has(merge)) {
          seen.add(merge);
          merges.push(merge);
        }
        left += right;
        add(left);
      }
    }
  }
  add("<mask>");
  const id = (token: string) => vocab[token];
  return {
    tokenizerJson: {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: [...special, "<mask>"].map((content) => ({
        id: id(content),
        content,
        single_word: false,
        lstrip: content === "<mask>",
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: null,
      pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: { type: "RobertaProcessing", sep: ["</s>", id("</s>")], cls: ["<s>", id("<s>")], trim_offsets: true, add_prefix_space: false },
      decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: "BPE",
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: "",
        end_of_word_suffix: "",
        fuse_unk: false,
        byte_fallback: false,
        vocab,
        merges,
      },
    },
    tokenizerConfig: {
      tokenizer_class: "BartTokenizer",
      model_max_length: options.maxLength,
      bos_token: "<s>",
      eos_token: "</s>",
      sep_token: "</s>",
      cls_token: "<s>",
      pad_token: "<pad>",
      unk_token: "<unk>",
      mask_token: "<mask>",
      add_prefix_space: false,
      errors: "replace",
      clean_up_tokenization_spaces: true,
    },
  };
}
