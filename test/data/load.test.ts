import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadLabelledCsv, loadResolutions } from "../../src/data/load";
import { InputError } from "../../src/errors";

const dir = mkdtempSync(join(tmpdir(), "zs-load-"));

/** A file like the real one: windows-1252 bytes, CRLF and bare CR mixed, quoted commas, quotes and a line break. */
function quirkyFile(): string {
  const latin = (text: string) => Buffer.from(text, "latin1");
  const path = join(dir, "resolutions.csv");
  writeFileSync(
    path,
    Buffer.concat([
      latin("name,Resolution_Category,text,tweet_id\r"),
      latin('ann,Health & Fitness,"#NewYearsResolution run, swim and bike",1\r\n'),
      // 0x92 is windows-1252's right single quote; 0xE9 is é.
      Buffer.concat([latin('bob,Humor,"I won'), Buffer.from([0x92]), latin("t say "), latin('""new year, new me"" at the caf'), Buffer.from([0xe9]), latin('",2\r')]),
      latin("cy,Family/Friends/Relationships,call mom,3\r\n"),
      latin('dee,Education/Training,"learn Spanish\r\nand French",4\r'),
      latin("eve,Philanthropic,volunteer more,5\r\n"),
    ]),
  );
  return path;
}

describe("loadResolutions", () => {
  it("decodes windows-1252, splits mixed line endings, keeps quoted fields whole, maps categories", () => {
    const dataset = loadResolutions(quirkyFile());
    assert.equal(dataset.totalRows, 5);
    assert.deepEqual(dataset.frame.columns, ["row", "text", "category", "label"]);
    assert.deepEqual(dataset.frame.column("text").values, [
      "#NewYearsResolution run, swim and bike",
      "I won’t say \"new year, new me\" at the café",
      "learn Spanish\r\nand French",
      "volunteer more",
    ]);
    assert.deepEqual(dataset.frame.column("label").values, ["Health", "Humor", "Education", "Philanthropy"]);
    assert.deepEqual(dataset.frame.column("row").values, [1, 2, 4, 5]);
    assert.deepEqual(dataset.labels, ["Health", "Humor", "Philanthropy", "Education"]);
    assert.deepEqual(dataset.leftOut.excluded, { "Family/Friends/Relationships": 1 });
  });

  it("takes the first N labelled rows with limit", () => {
    const dataset = loadResolutions(quirkyFile(), { limit: 3 });
    assert.deepEqual(dataset.frame.column("label").values, ["Health", "Humor", "Education"]);
  });

  it("says which column is missing and what the file has", () => {
    assert.throws(
      () => loadLabelledCsv(quirkyFile(), { textColumn: "tweet" }),
      (error: Error) => error instanceof InputError && /no column "tweet".*name, Resolution_Category, text, tweet_id/.test(error.message),
    );
  });

  it("points at the data command when the file is not there", () => {
    assert.throws(() => loadResolutions(join(dir, "absent.csv")), /zero-shot data/);
  });

  it("names the row whose fields do not match the header", () => {
    const path = join(dir, "ragged.csv");
    writeFileSync(path, "Resolution_Category,text\r\nHumor,fine\r\nHumor,not, quoted\r\n");
    assert.throws(() => loadResolutions(path), /data row 2 has 3 fields but the header has 2/);
  });
});
