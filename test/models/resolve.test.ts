import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, describe, it } from "node:test";
import { InputError, ModelLoadError } from "../../src/errors";
import { DEFAULT_MODEL, missingModelFiles, MODEL_ALIASES, parseDtype, resolveModel } from "../../src/models/resolve";
import { tinyBert } from "../helpers/models";

describe("resolveModel", () => {
  const dir = mkdtempSync(join(tmpdir(), "zs-resolve-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("maps the walkthrough's and the Python world's names to transformers.js hub repositories", () => {
    assert.deepEqual(resolveModel("facebook/bart-large-mnli", dir), { kind: "hub", id: "Xenova/bart-large-mnli", name: "facebook/bart-large-mnli" });
    assert.deepEqual(resolveModel("bart-large-mnli", dir), { kind: "hub", id: "Xenova/bart-large-mnli", name: "bart-large-mnli" });
    assert.deepEqual(resolveModel(undefined, dir), { kind: "hub", id: DEFAULT_MODEL, name: DEFAULT_MODEL });
    for (const id of Object.values(MODEL_ALIASES)) assert.match(id, /^Xenova\//);
  });

  it("passes any other hub id through, trimmed", () => {
    assert.deepEqual(resolveModel("  someone/some-nli-model ", dir), { kind: "hub", id: "someone/some-nli-model", name: "someone/some-nli-model" });
  });

  it("finds a directory relative to the working directory or absolute; a directory wins over a hub id spelled the same", () => {
    const model = tinyBert();
    assert.deepEqual(resolveModel(relative(dir, model), dir), { kind: "directory", path: model, name: relative(dir, model) });
    assert.deepEqual(resolveModel(model, dir), { kind: "directory", path: model, name: model });
    mkdirSync(join(dir, "someone", "model"), { recursive: true });
    assert.deepEqual(resolveModel("someone/model", dir), { kind: "directory", path: join(dir, "someone", "model"), name: "someone/model" });
  });

  it("says what to do about a path that does not exist or is a file", () => {
    assert.throws(
      () => resolveModel("./models/tiny-bert-nli", dir),
      (error: unknown) => error instanceof ModelLoadError && error.message.startsWith(`model directory ${join(dir, "models/tiny-bert-nli")} does not exist: check the path, or generate a test model with "npm run models"`),
    );
    writeFileSync(join(dir, "model.onnx"), "");
    assert.throws(() => resolveModel("model.onnx", dir), /model\.onnx is a file: pass the model's directory \(the one holding config\.json and onnx\/\)/);
    assert.throws(() => resolveModel("   ", dir), (error: unknown) => error instanceof InputError && /the model name is empty/.test(error.message));
  });
});

describe("parseDtype and missingModelFiles", () => {
  it("accepts the precisions transformers.js loads, fp32 by default, and lists them for a wrong one", () => {
    assert.equal(parseDtype(undefined), "fp32");
    assert.equal(parseDtype("q8"), "q8");
    assert.throws(() => parseDtype("int3"), /unknown dtype "int3": use one of fp32, fp16, q8, .*\(fp32 is the default, q8 the quantized weights\)/);
    assert.throws(() => parseDtype("toString"), InputError);
  });

  it("names the files a model directory lacks for a precision", () => {
    assert.deepEqual(missingModelFiles(tinyBert(), "fp32"), []);
    assert.deepEqual(missingModelFiles(tinyBert(), "fp16"), ["onnx/model_fp16.onnx"]);
    const empty = mkdtempSync(join(tmpdir(), "zs-empty-model-"));
    assert.deepEqual(missingModelFiles(empty, "q8"), ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_quantized.onnx"]);
    rmSync(empty, { recursive: true });
  });
});
