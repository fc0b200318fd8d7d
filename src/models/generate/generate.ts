/**
 * Generates NLI models in the transformers.js layout (`config.json`, `tokenizer.json`,
 * `tokenizer_config.json`, `onnx/model.onnx`, `onnx/model_quantized.onnx`) with fixed random weights.
 * They have real architectures and real tokenizers, so every code path runs for real, offline; their
 * scores mean nothing about language.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { RANDOM_MODEL_WARNING } from "./marker";
import { buildEncoderModel, type EncoderSpec } from "./onnxEncoder";
import { byteLevelBpeTokenizer, wordPieceTokenizer, type TokenizerFiles } from "./tokenizers";
import { userCacheDir } from "../../io/cacheHome";

/** A named recipe for a test model. */
export interface ModelPreset {
  description: string;
  encoder: Omit<EncoderSpec, "vocabSize">;
  /** Output labels in index order, e.g. ["contradiction", "neutral", "entailment"]. */
  labels: string[];
  config: Record<string, unknown>;
  tokenizer: "wordpiece" | "bpe";
  /** A directory whose real `tokenizer.json` and `tokenizer_config.json` replace the generated ones when present. */
  /** A folder with a real tokenizer to use when it exists (a function: looked up when the model is made). */
  tokenizerFrom?: () => string;
  vocabSize?: number;
  /** Also write `onnx/model_quantized.onnx` (int8 weights). */
  quantized: boolean;
}

/** Bump when the generator's output changes, so cached models are made again. */
const GENERATOR_VERSION = 5;

/**
 * Where a real DistilBERT uncased tokenizer may be found for the benchmark-sized preset: the folder
 * `ZERO_SHOT_TOKENIZER_DIR` names, else `../shared/tokenizers/distilbert-base-uncased` beside the
 * working directory (the project's checkout layout). Absent, a tokenizer is generated instead. Nothing
 * outside those two places is looked at, so the installed package never reaches outside itself.
 */
export function distilbertTokenizerDir(): string {
  return process.env.ZERO_SHOT_TOKENIZER_DIR ?? resolve(process.cwd(), "../shared/tokenizers/distilbert-base-uncased");
}

export const MODEL_PRESETS = {
  /** BERT-style: WordPiece, token_type_ids, ENTAILMENT at index 0 (contradiction is then the last). */
  "tiny-bert-nli": {
    description: "2-layer BERT-style NLI model, WordPiece tokenizer with token_type_ids, ENTAILMENT/NEUTRAL/CONTRADICTION",
    encoder: { hidden: 32, heads: 4, layers: 2, intermediate: 64, maxPositions: 128, numLabels: 3, tokenTypes: true, seed: 7 },
    labels: ["ENTAILMENT", "NEUTRAL", "CONTRADICTION"],
    config: { model_type: "bert", architectures: ["BertForSequenceClassification"], type_vocab_size: 2, pad_token_id: 0 },
    tokenizer: "wordpiece",
    quantized: true,
  },
  /** bart-large-mnli's label order and tokenizer kind: byte-level BPE, contradiction 0, neutral 1, entailment 2. */
  "tiny-bart-nli": {
    description: "2-layer BART-style NLI model, byte-level BPE tokenizer, bart-large-mnli's label order",
    encoder: { hidden: 32, heads: 4, layers: 2, intermediate: 64, maxPositions: 130, numLabels: 3, tokenTypes: false, seed: 11 },
    labels: ["contradiction", "neutral", "entailment"],
    config: {
      model_type: "bart",
      architectures: ["BartForSequenceClassification"],
      pad_token_id: 1,
      bos_token_id: 0,
      eos_token_id: 2,
      is_encoder_decoder: true,
    },
    tokenizer: "bpe",
    quantized: true,
  },
  /** DistilBERT-base's size (6 layers, 768 wide, 66M parameters) for benchmarks; never committed. */
  "distilbert-base-nli": {
    description: "DistilBERT-base-sized NLI model (6 layers, 768 wide), the real uncased tokenizer when ../shared has it",
    encoder: { hidden: 768, heads: 12, layers: 6, intermediate: 3072, maxPositions: 512, numLabels: 3, tokenTypes: false, seed: 13 },
    labels: ["ENTAILMENT", "NEUTRAL", "CONTRADICTION"],
    config: { model_type: "distilbert", architectures: ["DistilBertForSequenceClassification"], dim: 768, n_layers: 6, n_heads: 12, pad_token_id: 0 },
    tokenizer: "wordpiece",
    tokenizerFrom: distilbertTokenizerDir,
    vocabSize: 30522,
    quantized: true,
  },
} satisfies Record<string, ModelPreset>;

export type PresetName = keyof typeof MODEL_PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(MODEL_PRESETS, name);
}

function tokenizerFor(preset: ModelPreset, maxLength: number): TokenizerFiles & { source: string } {
  const tokenizerFrom = preset.tokenizerFrom?.();
  if (tokenizerFrom && existsSync(join(tokenizerFrom, "tokenizer.json"))) {
    return {
      tokenizerJson: JSON.parse(readFileSync(join(tokenizerFrom, "tokenizer.json"), "utf8")),
      tokenizerConfig: JSON.parse(readFileSync(join(tokenizerFrom, "tokenizer_config.json"), "utf8")),
      source: tokenizerFrom,
    };
  }
  const files =
    preset.tokenizer === "bpe"
      ? byteLevelBpeTokenizer({ maxLength })
      : wordPieceTokenizer({ maxLength, vocabSize: preset.vocabSize, tokenizerClass: preset.config.model_type === "distilbert" ? "DistilBertTokenizer" : "BertTokenizer" });
  return { ...files, source: "generated" };
}

/**
 * Writes a model made from `preset` into `outDir` (created; replaced whole, never half-written).
 * Returns `outDir`.
 */
export function generateNliModel(presetName: PresetName, outDir: string): string {
  const preset: ModelPreset = MODEL_PRESETS[presetName];
  const maxLength = Math.min(preset.encoder.maxPositions, 512) - (preset.tokenizer === "bpe" ? 2 : 0);
  const tokenizer = tokenizerFor(preset, maxLength);
  const vocab = (tokenizer.tokenizerJson as { model: { vocab: Record<string, number> } }).model.vocab;
  const vocabSize = Math.max(...Object.values(vocab)) + 1;
  const spec: EncoderSpec = { ...preset.encoder, vocabSize };
  const id2label = Object.fromEntries(preset.labels.map((label, i) => [String(i), label]));
  const label2id = Object.fromEntries(preset.labels.map((label, i) => [label, i]));
  const config = {
    ...preset.config,
    id2label,
    label2id,
    vocab_size: vocabSize,
    hidden_size: spec.hidden,
    num_attention_heads: spec.heads,
    num_hidden_layers: spec.layers,
    intermediate_size: spec.intermediate,
    max_position_embeddings: spec.maxPositions,
    // The mark that makes every output made with this model say so (see marker.ts).
    random_weights: true,
    _warning: RANDOM_MODEL_WARNING,
    _generated_by: { generator: "zero-shot-ts", version: GENERATOR_VERSION, preset: presetName, tokenizer: tokenizer.source },
  };

  const staging = `${resolve(outDir)}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, "onnx"), { recursive: true });
  writeFileSync(join(staging, "config.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(staging, "tokenizer.json"), JSON.stringify(tokenizer.tokenizerJson));
  writeFileSync(join(staging, "tokenizer_config.json"), JSON.stringify(tokenizer.tokenizerConfig, null, 2));
  writeFileSync(join(staging, "onnx", "model.onnx"), buildEncoderModel(spec));
  if (preset.quantized) writeFileSync(join(staging, "onnx", "model_quantized.onnx"), buildEncoderModel(spec, true));
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return outDir;
}

/**
 * The default folder for generated models: `$ZERO_SHOT_TEST_MODELS`, else `test-models` in the user's
 * cache (`$XDG_CACHE_HOME` or `~/.cache`, under `zero-shot-ts/`), never inside the installed package.
 */
export const DEFAULT_TEST_MODEL_ROOT = userCacheDir("test-models");

/**
 * The directory of a generated model, generating it first when it is missing or out of date.
 * `ensureTestModel("tiny-bert-nli")` is what tests, benchmarks and notebooks call.
 */
export function ensureTestModel(presetName: PresetName, root: string = process.env.ZERO_SHOT_TEST_MODELS ?? DEFAULT_TEST_MODEL_ROOT): string {
  const dir = join(root, presetName);
  try {
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    if (config._generated_by?.version === GENERATOR_VERSION && existsSync(join(dir, "onnx", "model.onnx"))) return dir;
  } catch {
    // missing or unreadable: generate below
  }
  mkdirSync(root, { recursive: true });
  return generateNliModel(presetName, dir);
}
