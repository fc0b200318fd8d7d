import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readLineRecords, RecordTooLargeError, type LineRecord } from "../../src/emulator/lineRecords";

const dir = mkdtempSync(join(tmpdir(), "line-records-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `input-${files++}.jsonl`);
  writeFileSync(path, content);
  return path;
}

async function collect(path: string, options?: Parameters<typeof readLineRecords>[1]): Promise<LineRecord[]> {
  const records: LineRecord[] = [];
  for await (const record of readLineRecords(path, options)) records.push(record);
  return records;
}
const summary = (records: LineRecord[]) => records.map((r) => [r.lineNumber, r.body.toString("utf8"), r.nextOffset, r.raw.toString("utf8")]);

describe("readLineRecords", () => {
  it("yields each line without its break, numbered, with the offset where the next starts", async () => {
    const records = await collect(file('{"inputs":"a"}\n\n{"inputs":"é"}\r\nlast'));
    assert.deepEqual(summary(records), [
      [1, '{"inputs":"a"}', 15, '{"inputs":"a"}\n'],
      [2, "", 16, "\n"],
      [3, '{"inputs":"é"}', 33, '{"inputs":"é"}\r\n'],
      [4, "last", 37, "last"],
    ]);
  });

  it("yields nothing for an empty file and no extra record after a final newline", async () => {
    assert.deepEqual(await collect(file("")), []);
    assert.deepEqual(summary(await collect(file("a\nb\n"))), [
      [1, "a", 2, "a\n"],
      [2, "b", 4, "b\n"],
    ]);
  });

  it("resumes at a record boundary with the journal's line number, ending at the same offsets", async () => {
    const path = file("one\ntwo\nthree\nfour");
    const all = await collect(path);
    const resumed = await collect(path, { startOffset: all[1].nextOffset, firstLineNumber: all[1].lineNumber + 1 });
    assert.deepEqual(summary(resumed), summary(all.slice(2)));
    assert.deepEqual(summary(await collect(path, { startOffset: all[3].nextOffset, firstLineNumber: 5 })), []);
  });

  it("joins a line that spans read chunks, copying bytes so earlier records stay intact", async () => {
    const long = "x".repeat(700 * 1024);
    const records = await collect(file(`short\n${long}\n${"y".repeat(10)}`));
    assert.equal(records.length, 3);
    assert.equal(records[0].body.toString(), "short");
    assert.equal(records[1].body.length, long.length);
    assert.ok(records[1].body.every((byte) => byte === 0x78));
    assert.equal(records[1].nextOffset, 6 + long.length + 1);
    assert.equal(records[2].body.toString(), "y".repeat(10));
  });

  it("accepts a line of exactly the limit and refuses the first line over it, naming it", async () => {
    const limit = 16;
    const ok = await collect(file(`${"a".repeat(limit)}\n${"b".repeat(limit)}`), { maxRecordBytes: limit });
    assert.deepEqual(ok.map((r) => r.body.length), [limit, limit]);
    for (const content of [`ok\n${"c".repeat(limit + 1)}\nok\n`, `ok\n${"c".repeat(limit + 1)}`]) {
      await assert.rejects(collect(file(content), { maxRecordBytes: limit }), (error: unknown) => {
        assert.ok(error instanceof RecordTooLargeError);
        assert.equal(error.lineNumber, 2);
        assert.equal(error.limitBytes, limit);
        assert.equal(error.message, "line 2 is over the 16-byte MaxPayloadInMB limit");
        return true;
      });
    }
  });

  it("measures a CRLF line's limit without its line break, as the body it sends", async () => {
    const limit = 16;
    const records = await collect(file(`${"a".repeat(limit)}\r\n${"b".repeat(limit)}\r`), { maxRecordBytes: limit });
    assert.deepEqual(records.map((r) => r.body.toString("utf8")), ["a".repeat(limit), "b".repeat(limit)]);
    await assert.rejects(collect(file(`${"c".repeat(limit + 1)}\r\n`), { maxRecordBytes: limit }), RecordTooLargeError);
  });

  it("yields the records before an over-long line, then refuses it", async () => {
    const limit = 1024;
    const path = file(`first\n${"z".repeat(2 * 1024 * 1024)}\n`);
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const record of readLineRecords(path, { maxRecordBytes: limit })) seen.push(record.lineNumber);
      })(),
      RecordTooLargeError,
    );
    assert.deepEqual(seen, [1]);
  });
});
