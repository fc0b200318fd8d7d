import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fingerprintStats, modelFingerprint } from "../../src/models/fingerprint";
import { FIXED_TIME, otherWeightsOfSameSize, overwriteKeepingTimes } from "../helpers/modelFiles";
import { tinyBert } from "../helpers/models";

describe("model content fingerprint", () => {
  let scratch: string;
  let dir: string;
  let memo: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "zs-fingerprint-"));
    dir = join(scratch, "model");
    memo = join(scratch, "fingerprints.json");
    cpSync(tinyBert(), dir, { recursive: true });
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("is computed once, then read from the memo without hashing a byte", () => {
    const hashedBefore = fingerprintStats.filesHashed;
    const first = modelFingerprint(dir, "fp32", memo);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(fingerprintStats.filesHashed - hashedBefore, 4, "config, tokenizer, tokenizer_config and weights");
    const bytes = fingerprintStats.bytesHashed;
    assert.equal(modelFingerprint(dir, "fp32", memo), first);
    assert.equal(fingerprintStats.bytesHashed, bytes, "the re-run hashed nothing");
    // A copy of the same files elsewhere is the same model.
    const copy = join(scratch, "copy");
    cpSync(dir, copy, { recursive: true });
    assert.equal(modelFingerprint(copy, "fp32"), first);
    assert.notEqual(modelFingerprint(dir, "q8", memo), first, "q8 reads other weights");
  });

  it("changes with new weights of the same size and modification time", () => {
    utimesSync(join(dir, "onnx/model.onnx"), FIXED_TIME, FIXED_TIME);
    const before = modelFingerprint(dir, "fp32", memo);
    overwriteKeepingTimes(join(dir, "onnx/model.onnx"), otherWeightsOfSameSize(dir));
    assert.notEqual(modelFingerprint(dir, "fp32", memo), before);
  });

  it("changes with the tokenizer and the config; a damaged memo only costs hashing again", () => {
    const before = modelFingerprint(dir, "fp32", memo);
    const tokenizer = join(dir, "tokenizer.json");
    writeFileSync(tokenizer, JSON.stringify(JSON.parse(readFileSync(tokenizer, "utf8")), null, 1));
    const withTokenizer = modelFingerprint(dir, "fp32", memo);
    assert.notEqual(withTokenizer, before);
    const config = join(dir, "config.json");
    writeFileSync(config, readFileSync(config, "utf8").replace('"NEUTRAL"', '"neutral"'));
    assert.notEqual(modelFingerprint(dir, "fp32", memo), withTokenizer);
    writeFileSync(memo, "{not json");
    assert.match(modelFingerprint(dir, "fp32", memo), /^[0-9a-f]{64}$/);
  });
});
