/**
 * Writes a file so that a reader, a second process or a restart after SIGKILL sees the old content or
 * the new, never half of it: the bytes go to a temporary file beside the target, are flushed to disk,
 * then renamed into place.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

let counter = 0;

export function writeFileAtomically(path: string, content: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${counter++}.tmp`;
  try {
    const fd = openSync(temporary, "w");
    try {
      writeSync(fd, typeof content === "string" ? Buffer.from(content) : content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}
