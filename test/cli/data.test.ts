import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sampleBytes } from "../../src/data/sample";
import { runCli } from "../helpers/cli";

const dir = mkdtempSync(join(tmpdir(), "zs-data-cli-"));

describe("zero-shot data", () => {
  it("writes the sample and summarises it per label", async () => {
    const out = join(dir, "sample.csv");
    const run = await runCli(["data", "--sample", "--out", out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readFileSync(out), Buffer.from(sampleBytes()));
    assert.match(run.stdout, /wrote 68 synthetic rows/);
    assert.match(run.stdout, /68 rows; 62 with a candidate label; left out 6 rows: Family\/Friends\/Relationships 6 \(no candidate label\)/);
    assert.match(run.stdout, /^ {2}Health +8$/m);
  });

  it("refuses a --from file that is not the pinned dataset, naming both checksums", async () => {
    const wrong = join(dir, "wrong.csv");
    writeFileSync(wrong, Buffer.from(sampleBytes()));
    const out = join(dir, "resolutions.csv");
    const run = await runCli(["data", "--from", wrong, "--out", out]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /has sha256 [0-9a-f]{64}, not the expected 0f900c73bc81/);
    assert.equal(existsSync(out), false);
  });
});
