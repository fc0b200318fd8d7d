/** Temporary folders for the tests of one file or suite, all removed after it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";

/**
 * A maker of fresh temporary folders (`prefix` plus random characters, under the system's temporary
 * folder), each removed with everything in it by an `after` hook of the suite (or file) that calls this.
 */
export function tempDirs(defaultPrefix: string): (prefix?: string) => string {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  return (prefix = defaultPrefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
