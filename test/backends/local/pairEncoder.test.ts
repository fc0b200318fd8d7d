import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { MAX_CHARS_PER_TOKEN, PairEncoder } from "../../../src/backends/local/pairEncoder";
import { tinyBart, tinyBert } from "../../helpers/models";

/** A premise of `bytes` UTF-8 bytes made of ordinary words, different for each `seed`. */
function longPremise(bytes: number, seed = 0): string {
  const words = ["exercise", "every", "day,", "save", "money", "and", "read", "more", "books", "with", "my", "family", "résumé", "naïve"];
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const word = `${words[(i * 7 + seed) % words.length]}${i % 13 === 0 ? seed : ""}`;
    parts.push(word);
    length += Buffer.byteLength(word) + 1;
  }
  return parts.join(" ");
}

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

  for (const [name, dir] of [["BERT-style", tinyBert], ["BART-style", tinyBart]] as const) {
    it(`${name}: a 5.9 MiB premise scores as its first characters do, and only a bounded prefix is tokenized`, async () => {
      const model = await LocalNliModel.load(dir());
      const premise = longPremise(5.9 * 1024 * 1024);
      const hypothesis = "This example is Health.";
      const [whole] = await model.scorePairs([{ premise, hypothesis }]);
      const tokenized = model.encoder.stats.charsTokenized;
      const bound = (model.maxLength + 1) * MAX_CHARS_PER_TOKEN;
      assert.ok(tokenized <= bound + hypothesis.length, `${tokenized} characters tokenized; the bound is ${bound}`);
      // The same logits as the premise's first few thousand characters, classified as a text of its own.
      const head = premise.slice(0, premise.indexOf(" ", 4000));
      const [short] = await model.scorePairs([{ premise: head, hypothesis }]);
      assert.deepEqual([...whole], [...short]);
      // ... and the same ids as the tokenizer's own encoding of that head, cut to the room left.
      const room = model.maxLength - (model.tokenizer.encode("a", { text_pair: "b" }).length - 2) - model.tokenizer.encode(hypothesis, { add_special_tokens: false }).length;
      const expected = model.tokenizer.encode(head, { add_special_tokens: false }).slice(0, room);
      const encoded = model.encoder.encode(premise, hypothesis).inputIds;
      assert.deepEqual(encoded.slice(1, 1 + room), expected);
    });
  }

  it("a premise whose first window holds too few tokens is read further, never cut short", async () => {
    const { tokenizer } = await LocalNliModel.load(tinyBert());
    const encoder = new PairEncoder(tokenizer, 40, true);
    // 150-character "words" are one [UNK] each, so the first character window holds few tokens.
    const premise = Array.from({ length: 60 }, (_, i) => `${"x".repeat(150)}${i} a`).join(" ");
    const hypothesis = "This example is Health.";
    const hypothesisIds = tokenizer.encode(hypothesis, { add_special_tokens: false });
    const room = 40 - 3 - hypothesisIds.length;
    const { inputIds } = encoder.encode(premise, hypothesis);
    assert.deepEqual(inputIds.slice(1, 1 + room), tokenizer.encode(premise, { add_special_tokens: false }).slice(0, room));
    assert.deepEqual(inputIds.slice(2 + room, 2 + room + hypothesisIds.length), hypothesisIds);
    assert.ok(encoder.stats.charsTokenized < premise.length, "still not the whole premise");
  });

  it("the token cache stays within its byte budget, dropping the least recently used texts", async () => {
    const { tokenizer } = await LocalNliModel.load(tinyBert());
    const budget = 256 * 1024;
    const encoder = new PairEncoder(tokenizer, 128, true, budget);
    const hypothesis = "This example is Health.";
    for (let i = 0; i < 200; i++) encoder.encode(longPremise(8 * 1024, i), hypothesis);
    assert.ok(encoder.cachedBytes > budget / 2 && encoder.cachedBytes <= budget, `${encoder.cachedBytes} bytes cached`);
    // The hypothesis, used on every call, is still cached; a text from the start is not.
    const { hits, misses } = encoder.stats;
    encoder.encode(longPremise(8 * 1024, 199), hypothesis);
    assert.equal(encoder.stats.hits, hits + 2);
    encoder.encode(longPremise(8 * 1024, 0), hypothesis);
    assert.equal(encoder.stats.misses, misses + 1);
  });
});
