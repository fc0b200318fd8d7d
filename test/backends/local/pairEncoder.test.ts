import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { PairEncoder } from "../../../src/backends/local/pairEncoder";
import { tinyBart, tinyBert } from "../../helpers/models";

describe("pair encoding with premise-only truncation", () => {
  for (const [name, dir, withTypes] of [["BERT-style", tinyBert, true], ["BART-style", tinyBart, false]] as const) {
    it(`${name}: short pairs equal the tokenizer's own pair encoding`, async () => {
      const { tokenizer } = await LocalNliModel.load(dir());
      const encoder = new PairEncoder(tokenizer, 128, withTypes);
      for (const [premise, hypothesis] of [
        ["I will run a marathon", "This example is Health."],
        ["Save money, don't spend it!", "This example is Finance."],
        ["", "This example is Humor."],
      ]) {
        const reference = tokenizer(premise, { text_pair: hypothesis });
        const encoded = encoder.encode(premise, hypothesis);
        assert.deepEqual(encoded.inputIds, (reference.input_ids.tolist() as bigint[][])[0].map(Number));
        if (withTypes) assert.deepEqual(encoded.tokenTypeIds, (reference.token_type_ids!.tolist() as bigint[][])[0].map(Number));
        else assert.equal(encoded.tokenTypeIds, undefined);
      }
    });

    it(`${name}: a long premise is cut from its end and the whole hypothesis survives`, async () => {
      const { tokenizer } = await LocalNliModel.load(dir());
      const encoder = new PairEncoder(tokenizer, 40, withTypes);
      const hypothesis = "This example is Personal Growth.";
      const hypothesisIds = tokenizer.encode(hypothesis, { add_special_tokens: false });
      const premiseIds = tokenizer.encode("one two three ".repeat(50), { add_special_tokens: false });
      const { inputIds } = encoder.encode("one two three ".repeat(50), hypothesis);
      assert.equal(inputIds.length, 40);
      const specialAfter = name === "BART-style" ? 1 : 1;
      assert.deepEqual(inputIds.slice(40 - specialAfter - hypothesisIds.length, 40 - specialAfter), hypothesisIds);
      assert.deepEqual(inputIds.slice(1, 6), premiseIds.slice(0, 5), "the premise's beginning is kept");
    });
  }
});
