import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { writeFileAtomically } from "../../src/io/atomicFile";

describe("writeFileAtomically", () => {
  const dir = mkdtempSync(join(tmpdir(), "zs-atomic-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes text or bytes, creating missing folders, and leaves no temporary file", () => {
    const path = join(dir, "a", "b", "out.jsonl");
    writeFileAtomically(path, '{"inputs": "x"}\n');
    assert.equal(readFileSync(path, "utf8"), '{"inputs": "x"}\n');
    writeFileAtomically(path, Uint8Array.of(0xe2, 0x82, 0xac));
    assert.equal(readFileSync(path, "utf8"), "€");
    assert.deepEqual(readdirSync(join(dir, "a", "b")), ["out.jsonl"]);
  });

  it("replaces the old content whole, and on failure keeps it and cleans up", () => {
    const path = join(dir, "kept.txt");
    writeFileSync(path, "old");
    // A directory where the file should go: the rename fails, the old file and folder stay as they were.
    const blocked = join(dir, "blocked");
    writeFileAtomically(join(blocked, "x"), "in a folder");
    assert.throws(() => writeFileAtomically(blocked, "new"));
    assert.deepEqual(readdirSync(blocked), ["x"]);
    assert.equal(readdirSync(dir).filter((name) => name.endsWith(".tmp")).length, 0);
    writeFileAtomically(path, "new");
    assert.equal(readFileSync(path, "utf8"), "new");
  });
});
