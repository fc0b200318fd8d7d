/** `zero-shot models`: JumpStart's zero-shot models from the bundled snapshot, through the real CLI. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../helpers/cli";

describe("zero-shot models", () => {
  it("lists the zstc models offline with their latest version and hub model, naming the snapshot's date", async () => {
    const { code, stdout } = await runCli(["models", "--task", "zstc", "--region", "eu-west-1"]);
    assert.equal(code, 0);
    assert.match(stdout, /^39 JumpStart zstc models for eu-west-1 \(bundled snapshot of 2025-06-23, read in eu-west-2; --live for today's list\)/);
    assert.match(stdout, /\n {2}huggingface-zstc-facebook-bart-large-mnli +2\.0\.14 +facebook\/bart-large-mnli\n/);
  });

  it("prints one JSON object per model with --json", async () => {
    const { code, stdout } = await runCli(["models", "--json"]);
    assert.equal(code, 0);
    const models = stdout.trim().split("\n").map((line) => JSON.parse(line) as { modelId: string; versions: string[] });
    assert.equal(models.length, 39);
    assert.deepEqual(models.find((model) => model.modelId === "huggingface-zstc-navteca-bart-large-mnli")?.versions, ["2.0.14"]);
  });

  it("refuses a region without JumpStart, listing the regions", async () => {
    const { code, stderr } = await runCli(["models", "--region", "moon-1"]);
    assert.equal(code, 1);
    assert.match(stderr, /JumpStart is not available in region "moon-1": pass one of af-south-1, /);
  });
});
