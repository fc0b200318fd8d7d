/**
 * Output snapshots, as Observable Plot tests its charts: a rendering is compared with a committed file,
 * so a change in what a reader sees shows up in review. `UPDATE_SNAPSHOTS=1` rewrites them; a missing
 * snapshot is written (and reported) on first run.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function assertMatchesSnapshot(actual: string, path: string): void {
  if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    console.log(`# wrote snapshot ${path}`);
    return;
  }
  const expected = readFileSync(path, "utf8");
  assert.ok(actual === expected, `${path} differs from the rendering: review the change, then run again with UPDATE_SNAPSHOTS=1 to accept it`);
}
