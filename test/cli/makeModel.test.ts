import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCli, runCliInProcess } from "../helpers/cli";
import { tinyBert } from "../helpers/models";

describe("zero-shot make-model", () => {
  const dir = mkdtempSync(join(tmpdir(), "zs-make-model-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the preset's files under --out, relative to its working directory, byte for byte the shared test model", async () => {
    const run = await runCliInProcess(["make-model", "tiny-bert-nli", "--out", "models/bert"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const out = join(dir, "models", "bert");
    assert.match(run.stderr, new RegExp(`^wrote tiny-bert-nli to ${out.replace(/[/.]/g, "\\$&")} in \\d+\\.\\d s\\n$`));
    assert.equal(run.stdout, "");
    // Fixed random weights: the same preset always gives the same model.
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"]) {
      assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(tinyBert(), file))), `${file} equals the shared test model's`);
    }
    assert.deepEqual(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).label2id, { ENTAILMENT: 0, NEUTRAL: 1, CONTRADICTION: 2 });
  });

  it("lists the presets in --help", async () => {
    const run = await runCliInProcess(["make-model", "--help"]);
    assert.equal(run.code, 0);
    for (const preset of ["tiny-bert-nli", "tiny-bart-nli"]) assert.match(run.stdout, new RegExp(`^  ${preset} `, "m"));
  });

  it("refuses an unknown or missing preset with exit code 2, naming the presets (the binary, spawned)", async () => {
    const unknown = await runCli(["make-model", "huge-model"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^zero-shot: error: unknown preset "huge-model": choose one of tiny-bert-nli, tiny-bart-nli/);
    const missing = await runCliInProcess(["make-model"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no preset given: choose one of tiny-bert-nli/);
  });
});
