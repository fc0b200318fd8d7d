import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { danfo } from "../../src/data/danfo";
import { InputError } from "../../src/errors";
import { PROJECT_ROOT } from "../../src/notebook/config";
import { answersFrame, chooseNotebookData, DEFAULT_NOTEBOOK_ROWS, frameTable, seriesTable } from "../../src/notebook/data";

const SAMPLE = join(PROJECT_ROOT, "data", "resolutions-sample.csv");

describe("the notebooks' data choice (ZERO_SHOT_DATA, ZERO_SHOT_ROWS)", () => {
  it("reads the file ZERO_SHOT_DATA names, all rows unless ZERO_SHOT_ROWS says", () => {
    assert.deepEqual(chooseNotebookData({ ZERO_SHOT_DATA: "data/resolutions-sample.csv" }, join(PROJECT_ROOT, "notebooks")), { path: SAMPLE, kind: "custom", limit: DEFAULT_NOTEBOOK_ROWS });
    assert.equal(chooseNotebookData({ ZERO_SHOT_DATA: SAMPLE, ZERO_SHOT_ROWS: "all" }).limit, undefined);
    assert.equal(chooseNotebookData({ ZERO_SHOT_DATA: SAMPLE, ZERO_SHOT_ROWS: "12" }).limit, 12);
  });

  it("defaults to the full file when fetched, else the sample", () => {
    const choice = chooseNotebookData({});
    assert.ok(choice.kind === "full" ? choice.limit === DEFAULT_NOTEBOOK_ROWS : choice.path === SAMPLE && choice.limit === undefined);
  });

  it("refuses a missing file and a bad row count", () => {
    assert.throws(() => chooseNotebookData({ ZERO_SHOT_DATA: "nope.csv" }), (e: Error) => e instanceof InputError && /no such file/.test(e.message));
    assert.throws(() => chooseNotebookData({ ZERO_SHOT_DATA: SAMPLE, ZERO_SHOT_ROWS: "-3" }), (e: Error) => e instanceof InputError && /ZERO_SHOT_ROWS/.test(e.message));
  });
});

describe("DataFrames as tables", () => {
  const frame = () => new (danfo().DataFrame)({ text: ["a", "b", "c"], label: ["Health", "Finance", "Health"] });

  it("frameTable shows the first rows and the frame's size", () => {
    const html = frameTable(frame(), { rows: 2 });
    assert.match(html, /3 rows × 2 columns, first 2 shown/);
    assert.equal(html.match(/<tr>/g)?.length, 3);
  });

  it("seriesTable shows valueCounts", () => {
    assert.match(seriesTable(frame().column("label").valueCounts(), ["label", "rows"]), />Health<\/td><td[^>]*>2<\/td>/);
  });

  it("answersFrame puts each answer's top label and score beside its row", () => {
    const answers = ["Health", "Health", "Finance"].map((top) => ({ sequence: "", labels: [top, top === "Health" ? "Finance" : "Health"], scores: [0.6, 0.4] }));
    const joined = answersFrame(frame(), answers);
    assert.deepEqual(joined.columns, ["text", "label", "predicted", "score", "correct"]);
    assert.deepEqual(joined.column("correct").values, [true, false, false]);
    assert.throws(() => answersFrame(frame(), answers.slice(1)), InputError);
  });
});
