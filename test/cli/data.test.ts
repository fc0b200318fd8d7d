import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sampleBytes } from "../../src/data/sample";
import { runCli, runCliInProcess } from "../helpers/cli";

const dir = mkdtempSync(join(tmpdir(), "zs-data-cli-"));

describe("zero-shot data", () => {
  it("writes the sample and summarises it per label", async () => {
    const out = join(dir, "sample.csv");
    const run = await runCliInProcess(["data", "--sample", "--out", out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readFileSync(out), Buffer.from(sampleBytes()));
    assert.match(run.stdout, /wrote 68 synthetic rows/);
    assert.match(run.stdout, /68 rows; 62 with a candidate label; left out 6 rows: Family\/Friends\/Relationships 6 \(no candidate label\)/);
    assert.match(run.stdout, /^ {2}Health +8$/m);
  });

  it("refuses a --from file that is not the pinned dataset, naming both checksums (the binary, spawned)", async () => {
    const wrong = join(dir, "wrong.csv");
    writeFileSync(wrong, Buffer.from(sampleBytes()));
    const out = join(dir, "resolutions.csv");
    const run = await runCli(["data", "--from", wrong, "--out", out]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /has sha256 [0-9a-f]{64}, not the expected 0f900c73bc81/);
    assert.equal(existsSync(out), false);
  });

  it("resolves --out and --from against its working directory and names the file as given", async () => {
    const run = await runCliInProcess(["data", "--sample", "--out", "relative.csv"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^wrote 68 synthetic rows to relative\.csv$/m);
    assert.deepEqual(readFileSync(join(dir, "relative.csv")), Buffer.from(sampleBytes()));
    const copy = await runCliInProcess(["data", "--from", "relative.csv", "--out", "copy.csv"], { cwd: dir });
    assert.equal(copy.code, 1);
    assert.match(copy.stderr, /relative\.csv has sha256/);
    assert.equal(existsSync(join(dir, "copy.csv")), false);
  });
});
