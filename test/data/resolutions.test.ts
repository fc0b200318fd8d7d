import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { readCsvTable } from "../../src/data/load";
import {
  RESOLUTION_CATEGORY_LABELS,
  RESOLUTION_LABELS,
  RESOLUTIONS_DEFAULT_PATH,
  RESOLUTIONS_SAMPLE_PATH,
  RESOLUTIONS_SHA256,
  RESOLUTIONS_URL,
} from "../../src/data/resolutions";

const ROOT = resolve(__dirname, "../..");
/**
 * A copy of the real file, where the machine has one (read, never copied into the repository):
 * $ZERO_SHOT_RESOLUTIONS_FILE, the file "zero-shot data" stores, or a shared copy beside the project.
 */
const REAL_FILE = [
  process.env.ZERO_SHOT_RESOLUTIONS_FILE,
  resolve(ROOT, RESOLUTIONS_DEFAULT_PATH),
  resolve(ROOT, "../shared/data/new-years-resolutions/New-years-resolutions-DFE.csv"),
].find((path): path is string => path !== undefined && existsSync(path));

/** The distinct Resolution_Category values of a resolutions CSV. */
function categories(path: string): Set<string> {
  const table = readCsvTable(path);
  const column = table.columns.indexOf("Resolution_Category");
  assert.ok(column >= 0, `${path} has a Resolution_Category column`);
  return new Set(table.rows.map((row) => row[column]));
}

describe("the resolutions dataset", () => {
  it("maps categories onto exactly the walkthrough's nine labels, leaving out Family/Friends/Relationships only", () => {
    const mapped = Object.values(RESOLUTION_CATEGORY_LABELS).filter((label) => label !== null);
    assert.deepEqual([...mapped].sort(), [...RESOLUTION_LABELS].sort());
    assert.deepEqual(Object.keys(RESOLUTION_CATEGORY_LABELS).filter((category) => RESOLUTION_CATEGORY_LABELS[category] === null), ["Family/Friends/Relationships"]);
  });

  it("the committed sample uses only categories the mapping knows, and every one of them", () => {
    assert.deepEqual([...categories(resolve(ROOT, RESOLUTIONS_SAMPLE_PATH))].sort(), Object.keys(RESOLUTION_CATEGORY_LABELS).sort());
  });

  it("pins the published file to a commit", () => {
    assert.match(RESOLUTIONS_URL, /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\/New-years-resolutions-DFE\.csv$/);
    assert.match(RESOLUTIONS_SHA256, /^[0-9a-f]{64}$/);
  });

  it("the real file has the pinned sha256, and its categories are exactly the mapped ones", { skip: REAL_FILE === undefined && "no copy of the real file (run zero-shot data)" }, () => {
    assert.equal(createHash("sha256").update(readFileSync(REAL_FILE!)).digest("hex"), RESOLUTIONS_SHA256);
    assert.deepEqual([...categories(REAL_FILE!)].sort(), Object.keys(RESOLUTION_CATEGORY_LABELS).sort());
  });
});
