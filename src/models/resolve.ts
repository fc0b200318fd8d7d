/**
 * Which model a name means: a local directory in the transformers.js layout, or a Hugging Face hub id
 * (with short names for the models the walkthrough and this project use).
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { InputError, ModelLoadError } from "../errors";

/** The default model: DistilBERT fine-tuned on MNLI, converted for transformers.js (67 MB quantized, 268 MB fp32). */
export const DEFAULT_MODEL = "Xenova/distilbert-base-uncased-mnli";

/**
 * Short names, and the names the Python world uses, mapped to hub repositories in the transformers.js
 * layout (with `onnx/` weights). `facebook/bart-large-mnli` is the AWS walkthrough's model.
 */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  "bart-large-mnli": "Xenova/bart-large-mnli",
  "facebook/bart-large-mnli": "Xenova/bart-large-mnli",
  "distilbert-base-uncased-mnli": "Xenova/distilbert-base-uncased-mnli",
  "typeform/distilbert-base-uncased-mnli": "Xenova/distilbert-base-uncased-mnli",
  "mobilebert-uncased-mnli": "Xenova/mobilebert-uncased-mnli",
  "nli-deberta-v3-xsmall": "Xenova/nli-deberta-v3-xsmall",
};

/** Weight precisions transformers.js can load, and the ONNX file each one reads. */
export const MODEL_DTYPES = {
  fp32: "model.onnx",
  fp16: "model_fp16.onnx",
  q8: "model_quantized.onnx",
  int8: "model_int8.onnx",
  uint8: "model_uint8.onnx",
  q4: "model_q4.onnx",
  bnb4: "model_bnb4.onnx",
  q4f16: "model_q4f16.onnx",
} as const;

export type ModelDtype = keyof typeof MODEL_DTYPES;

export function parseDtype(dtype: string | undefined): ModelDtype {
  const value = dtype ?? "fp32";
  if (!Object.hasOwn(MODEL_DTYPES, value)) {
    throw new InputError(`unknown dtype ${JSON.stringify(value)}: use one of ${Object.keys(MODEL_DTYPES).join(", ")} (fp32 is the default, q8 the quantized weights)`);
  }
  return value as ModelDtype;
}

/** A model located: a directory on disk or a hub repository. */
export type ModelSource = { kind: "directory"; path: string; name: string } | { kind: "hub"; id: string; name: string };

function looksLikePath(name: string): boolean {
  return isAbsolute(name) || name.startsWith(".") || name.startsWith("~") || name.includes("\\") || name.split("/").length > 2;
}

/** Resolves a `--model` value; an existing directory wins over a hub id of the same spelling. */
export function resolveModel(name: string = DEFAULT_MODEL, cwd: string = process.cwd()): ModelSource {
  const trimmed = name.trim();
  if (!trimmed) throw new InputError(`the model name is empty: pass a hub id (e.g. ${DEFAULT_MODEL}) or a model directory`);
  const path = resolve(cwd, trimmed.replace(/^~(?=\/|$)/, process.env.HOME ?? "~"));
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) {
      throw new ModelLoadError(`${trimmed} is a file: pass the model's directory (the one holding config.json and onnx/)`);
    }
    return { kind: "directory", path, name: trimmed };
  }
  if (looksLikePath(trimmed)) {
    throw new ModelLoadError(
      `model directory ${path} does not exist: check the path, or generate a test model with ` +
        `"npm run models" (writes models/tiny-bert-nli), or pass a hub id such as ${DEFAULT_MODEL}`,
    );
  }
  return { kind: "hub", id: MODEL_ALIASES[trimmed] ?? trimmed, name: trimmed };
}

/** The ONNX weights of `dtype`, relative to the model's folder (also its path on the hub). */
export function weightsFile(dtype: ModelDtype): string {
  return `onnx/${MODEL_DTYPES[dtype]}`;
}

/** The files a model needs for `dtype`, relative to its folder, in the order transformers.js loads them. */
export function modelFilesFor(dtype: ModelDtype): string[] {
  return ["config.json", "tokenizer.json", "tokenizer_config.json", weightsFile(dtype)];
}

/** The files a model directory needs for `dtype`; those that are missing, relative to the directory. */
export function missingModelFiles(dir: string, dtype: ModelDtype): string[] {
  return modelFilesFor(dtype).filter((file) => !existsSync(join(dir, file)));
}
