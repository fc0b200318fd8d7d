import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ort from "onnxruntime-node";
import { buildEncoderModel, type EncoderSpec } from "../../../src/models/generate/onnxEncoder";
import { maxDifference } from "../../helpers/lists";

const SPEC: EncoderSpec = { vocabSize: 50, hidden: 16, heads: 2, layers: 1, intermediate: 32, maxPositions: 16, numLabels: 3, tokenTypes: true, seed: 7 };

const int64 = (rows: number[][]) => new ort.Tensor("int64", BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);

/** Runs the graph on a batch of id rows with onnxruntime-node, as transformers.js does. */
async function logits(bytes: Uint8Array, ids: number[][], tokenTypes = true): Promise<{ dims: readonly number[]; data: number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = { input_ids: int64(ids), attention_mask: int64(ids.map((row) => row.map(() => 1))) };
  if (tokenTypes) feeds.token_type_ids = int64(ids.map((row) => row.map(() => 0)));
  const output = (await session.run(feeds)).logits;
  await session.release();
  return { dims: output.dims, data: Array.from(output.data as Float32Array) };
}

describe("buildEncoderModel", () => {
  it("is an ONNX graph taking input_ids, attention_mask and token_type_ids, answering logits [batch, numLabels]", async () => {
    const session = await ort.InferenceSession.create(buildEncoderModel(SPEC));
    assert.deepEqual([...session.inputNames].sort(), ["attention_mask", "input_ids", "token_type_ids"]);
    assert.deepEqual(session.outputNames, ["logits"]);
    await session.release();
    const out = await logits(buildEncoderModel(SPEC), [[1, 5, 9, 2], [1, 7, 8, 2]]);
    assert.deepEqual(out.dims, [2, 3]);
    assert.ok(out.data.every(Number.isFinite));
    assert.ok(maxDifference(out.data.slice(0, 3), out.data.slice(3)) > 1e-4, "different texts, different logits");
  });

  it("leaves token_type_ids out for a BART-style spec", async () => {
    const session = await ort.InferenceSession.create(buildEncoderModel({ ...SPEC, tokenTypes: false, numLabels: 2 }));
    assert.deepEqual([...session.inputNames].sort(), ["attention_mask", "input_ids"]);
    await session.release();
    assert.deepEqual((await logits(buildEncoderModel({ ...SPEC, tokenTypes: false, numLabels: 2 }), [[1, 2]], false)).dims, [1, 2]);
  });

  it("is deterministic per seed, and another seed gives other weights", () => {
    assert.ok(Buffer.from(buildEncoderModel(SPEC)).equals(Buffer.from(buildEncoderModel(SPEC))));
    assert.ok(!Buffer.from(buildEncoderModel(SPEC)).equals(Buffer.from(buildEncoderModel({ ...SPEC, seed: 8 }))));
  });

  it("quantized: int8 weights make a smaller file that still runs and stays near the fp32 logits", async () => {
    const fp32 = buildEncoderModel({ ...SPEC, vocabSize: 400, hidden: 64, intermediate: 128 });
    const q8 = buildEncoderModel({ ...SPEC, vocabSize: 400, hidden: 64, intermediate: 128 }, true);
    // Only the MatMul weights turn int8 (embeddings stay fp32), so the file shrinks by less than 4x.
    assert.ok(q8.length < fp32.length * 0.75, `${q8.length} vs ${fp32.length} bytes`);
    const ids = [[1, 15, 99, 300, 2]];
    const [a, b] = [await logits(fp32, ids), await logits(q8, ids)];
    assert.deepEqual(b.dims, [1, 3]);
    const spread = Math.max(...a.data) - Math.min(...a.data);
    assert.ok(maxDifference(a.data, b.data) < Math.max(spread, 1e-3), `q8 ${b.data} vs fp32 ${a.data}`);
  });

  it("refuses a hidden size the heads do not divide", () => {
    assert.throws(() => buildEncoderModel({ ...SPEC, hidden: 15 }), /hidden size 15 is not divisible by 2 heads/);
  });
});
