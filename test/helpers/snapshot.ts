/**
 * Output snapshots, as Observable Plot tests its charts: a rendering is compared with a committed file,
 * so a change in what a reader sees shows up in review.
 * - A mismatch fails and writes the new rendering beside the snapshot as `NAME-changed.EXT`, to open and
 *   compare; `UPDATE_SNAPSHOTS=1` accepts every new rendering.
 * - A missing (or empty) snapshot is written on a developer's machine, but fails in CI (`CI=true`), where
 *   writing it would make the test pass without comparing anything.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname } from "node:path";

/** Where a mismatching rendering is written for review: `confusionMatrix.svg` -> `confusionMatrix-changed.svg`. */
export function changedSnapshotPath(path: string): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-changed${ext}`;
}

export function assertMatchesSnapshot(actual: string, path: string, env: NodeJS.ProcessEnv = process.env): void {
  const changed = changedSnapshotPath(path);
  if (env.UPDATE_SNAPSHOTS === "1") {
    write(path, actual);
    rmSync(changed, { force: true });
    return;
  }
  if (!existsSync(path) || statSync(path).size === 0) {
    const inCi = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
    assert.ok(!inCi, `${path} is missing or empty: run the test with UPDATE_SNAPSHOTS=1 on your machine, review the file and commit it`);
    write(path, actual);
    return;
  }
  const expected = readFileSync(path, "utf8");
  if (actual === expected) {
    rmSync(changed, { force: true });
    return;
  }
  write(changed, actual);
  assert.fail(`${path} differs from the rendering, written to ${changed}: review the change, then run again with UPDATE_SNAPSHOTS=1 to accept it`);
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${path}`);
}
