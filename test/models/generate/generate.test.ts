import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { Tensor } from "onnxruntime-node";
import { generateNliModel } from "../../../src/models/generate/generate";
import { maxDifference, tinyBert } from "../../helpers/models";

const int64 = (rows: number[][]) => new Tensor("int64", BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);

describe("generated test models", () => {
  it("are deterministic: the same preset gives the same bytes", () => {
    const scratch = mkdtempSync(join(tmpdir(), "zs-gen-"));
    try {
      generateNliModel("tiny-bert-nli", join(scratch, "a"));
      generateNliModel("tiny-bert-nli", join(scratch, "b"));
      assert.ok(readFileSync(join(scratch, "a/onnx/model.onnx")).equals(readFileSync(join(scratch, "b/onnx/model.onnx"))));
      const config = JSON.parse(readFileSync(join(scratch, "a/config.json"), "utf8"));
      assert.deepEqual(config.label2id, { ENTAILMENT: 0, NEUTRAL: 1, CONTRADICTION: 2 });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("mask padding: padded and unpadded inputs agree, and ignoring the mask changes the logits", async () => {
    const { session } = await LocalNliModel.load(tinyBert());
    const ids = [2, 60, 70, 80, 3, 90, 3];
    const types = [0, 0, 0, 0, 0, 1, 1];
    const pad = (row: number[], value: number) => [...row, ...Array(5).fill(value)];
    const run = async (input: number[][], mask: number[][], tokenTypes: number[][]) =>
      Array.from((await session.run({ input_ids: int64(input), attention_mask: int64(mask), token_type_ids: int64(tokenTypes) })).logits.data as Float32Array);
    const plain = await run([ids], [ids.map(() => 1)], [types]);
    const padded = await run([pad(ids, 0)], [pad(ids.map(() => 1), 0)], [pad(types, 0)]);
    const unmasked = await run([pad(ids, 0)], [pad(ids.map(() => 1), 1)], [pad(types, 0)]);
    assert.ok(maxDifference(plain, padded) < 1e-6, "masked padding does not change the logits");
    assert.ok(maxDifference(plain, unmasked) > 1e-3, "attending to padding changes the logits: padding mistakes show");
    const otherTypes = await run([ids], [ids.map(() => 1)], [ids.map(() => 0)]);
    assert.ok(maxDifference(plain, otherTypes) > 1e-3, "token type ids matter to the BERT-style model");
  });

  it("q8 weights are dynamically quantized like the hub's q8 files: int8 matrix products, scores close to fp32", async () => {
    const quantized = readFileSync(join(tinyBert(), "onnx/model_quantized.onnx")).toString("latin1");
    assert.ok(quantized.includes("MatMulInteger") && quantized.includes("DynamicQuantizeLinear"));
    const fp32 = await LocalNliModel.load(tinyBert());
    const q8 = await LocalNliModel.load(tinyBert(), { dtype: "q8" });
    const pairs = [{ premise: "I will run a marathon", hypothesis: "This example is Health." }];
    const [a] = await fp32.scorePairs(pairs);
    const [b] = await q8.scorePairs(pairs);
    const difference = maxDifference([...a], [...b]);
    assert.ok(difference > 0 && difference < 0.1, `logits differ by ${difference}`);
  });
});
