/** Changing a model's files the way that fooled a size-and-date cache key: same size, same times. */
import assert from "node:assert/strict";
import { readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildEncoderModel } from "../../src/models/generate/onnxEncoder";

/** A whole-second time, so a file's modification time can be put back exactly. */
export const FIXED_TIME = 1_700_000_000;

/**
 * Rewrites `path` in place with `bytes` (same inode), then sets its times back to `FIXED_TIME`, as a
 * copy tool that keeps times does; the caller set them to `FIXED_TIME` before.
 */
export function overwriteKeepingTimes(path: string, bytes: Uint8Array): void {
  const before = statSync(path, { bigint: true });
  writeFileSync(path, bytes);
  utimesSync(path, FIXED_TIME, FIXED_TIME);
  const after = statSync(path, { bigint: true });
  assert.equal(after.size, before.size);
  assert.equal(after.mtimeNs, before.mtimeNs);
  assert.equal(after.ino, before.ino);
}

/** tiny-bert-nli's architecture with other random weights: the same byte length, other values. */
export function otherWeightsOfSameSize(modelDir: string): Uint8Array {
  const config = JSON.parse(readFileSync(join(modelDir, "config.json"), "utf8"));
  const bytes = buildEncoderModel({
    vocabSize: config.vocab_size,
    hidden: config.hidden_size,
    heads: config.num_attention_heads,
    layers: config.num_hidden_layers,
    intermediate: config.intermediate_size,
    maxPositions: config.max_position_embeddings,
    numLabels: Object.keys(config.id2label).length,
    tokenTypes: true,
    seed: 8,
  });
  assert.equal(bytes.length, statSync(join(modelDir, "onnx/model.onnx")).size, "same size as the original weights");
  return bytes;
}

