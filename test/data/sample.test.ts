import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadResolutions } from "../../src/data/load";
import { RESOLUTION_LABELS, RESOLUTIONS_SAMPLE_PATH } from "../../src/data/resolutions";
import { sampleBytes } from "../../src/data/sample";

const committed = join(__dirname, "../..", RESOLUTIONS_SAMPLE_PATH);

describe("the resolutions sample", () => {
  it("is committed exactly as the writer writes it (run `zero-shot data --sample` after changing it)", () => {
    assert.deepEqual(readFileSync(committed), Buffer.from(sampleBytes()));
  });

  it("has the real file's quirks: windows-1252 bytes, CRLF and bare CR, quoted line breaks", () => {
    const bytes = Buffer.from(sampleBytes());
    assert.ok(bytes.includes(0x92), "a windows-1252 right single quote");
    assert.ok(bytes.includes("\r\n") && /\r[^\n]/.test(bytes.toString("latin1")), "both CRLF and bare CR");
  });

  it("loads with every candidate label and reports the Family rows it leaves out", () => {
    const dataset = loadResolutions(committed);
    assert.deepEqual(dataset.labels, [...RESOLUTION_LABELS]);
    assert.equal(dataset.totalRows, 68);
    assert.equal(dataset.frame.shape[0], 62);
    assert.deepEqual(dataset.leftOut.excluded, { "Family/Friends/Relationships": 6 });
    const texts = dataset.frame.column("text").values as string[];
    assert.ok(texts.some((text) => text.endsWith("stop making resolutions I won’t keep")), "windows-1252 quotes decode");
    assert.ok(texts.some((text) => text.endsWith("be on time — every time")), "windows-1252 dashes decode");
  });
});
