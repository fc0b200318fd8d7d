import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { InputError } from "../../src/errors";
import { parseJsonLine, readJsonLines, type JsonLine } from "../../src/io/jsonLines";

async function readAll(path: string): Promise<JsonLine[]> {
  const lines: JsonLine[] = [];
  for await (const line of readJsonLines(path)) lines.push(line);
  return lines;
}

describe("readJsonLines", () => {
  const dir = mkdtempSync(join(tmpdir(), "zs-jsonl-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("yields each value with its 1-based line number; CRLF and a final newline are fine", async () => {
    const path = join(dir, "requests.jsonl");
    writeFileSync(path, `"plain text"\r\n{"inputs": ["a", "b"], "parameters": {"candidate_labels": "X,Y"}}\r\n`);
    assert.deepEqual(await readAll(path), [
      { lineNumber: 1, value: "plain text" },
      { lineNumber: 2, value: { inputs: ["a", "b"], parameters: { candidate_labels: "X,Y" } } },
    ]);
  });

  it("stops at a blank or broken line, naming file and line", async () => {
    const blank = join(dir, "blank.jsonl");
    writeFileSync(blank, `"one"\n\n"three"\n`);
    await assert.rejects(readAll(blank), (error: unknown) => error instanceof InputError && error.message.startsWith(`${blank}:2: the line is empty`));
    const broken = join(dir, "broken.jsonl");
    writeFileSync(broken, `"one"\n"two"\n{"inputs": \n`);
    await assert.rejects(readAll(broken), new RegExp(`broken\\.jsonl:3: not valid JSON \\(.*\\): each line must be one JSON value`));
  });

  it("says plainly that a file is missing", async () => {
    await assert.rejects(readAll(join(dir, "none.jsonl")), /^InputError: cannot read .*none\.jsonl: no such file$/);
  });
});

describe("parseJsonLine", () => {
  it("parses one value and names the place of a bad one", () => {
    assert.deepEqual(parseJsonLine('{"a": [1, 2]}', "x.jsonl:1"), { a: [1, 2] });
    assert.throws(() => parseJsonLine("   ", "x.jsonl:7"), /^InputError: x\.jsonl:7: the line is empty/);
    assert.throws(() => parseJsonLine("{nope", "x.jsonl:8"), /x\.jsonl:8: not valid JSON/);
  });
});
