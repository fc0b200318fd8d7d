/** The transform job journal: what it pins, how it reads back, and how it names damage. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  checkOutput,
  fileJournalPath,
  freshFileJournal,
  hashFilePrefix,
  inputPinMismatch,
  instanceRecordPath,
  isDamaged,
  jobJournalPath,
  JOURNAL_VERSION,
  partialOutputPath,
  readFileJournal,
  readJobJournal,
  readTransformProgress,
  writeFileJournal,
  writeInstanceRecord,
  writeJobJournal,
  type FileJournal,
  type JobJournal,
} from "../../src/emulator/transformJournal";
import { tempDirs } from "../helpers/tempDirs";

const workDir = tempDirs("transform-journal-test-");

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const EMPTY = sha256("");

const jobJournal = (n: number): JobJournal => ({
  version: JOURNAL_VERSION,
  files: Array.from({ length: n }, (_, i) => ({ uri: `s3://bucket/in/part-${i}.jsonl`, path: `/data/s3/bucket/in/part-${i}.jsonl`, relativeName: `part-${i}.jsonl` })),
  instanceCount: 1,
});

function fileJournal(change: Partial<FileJournal> = {}): FileJournal {
  return { version: JOURNAL_VERSION, state: "open", inputSize: 30, inputMtimeMs: 1_700_000_000_000, inputOffset: 10, nextLineNumber: 3, inputSha256: EMPTY, outputBytes: 0, outputSha256: EMPTY, records: 2, ...change };
}

describe("job and file journals", () => {
  it("lay out journal.json, files/<n>.json and files/<n>.out.part in the job's work directory", () => {
    assert.equal(jobJournalPath("/w"), join("/w", "journal.json"));
    assert.equal(fileJournalPath("/w", 3), join("/w", "files", "3.json"));
    assert.equal(partialOutputPath("/w", 3), join("/w", "files", "3.out.part"));
    assert.equal(instanceRecordPath("/w", 2), join("/w", "instances", "2.json"));
  });

  it("read back what was written, and undefined before anything was", () => {
    const dir = workDir();
    assert.equal(readJobJournal(dir), undefined);
    assert.equal(readFileJournal(dir, 0), undefined);
    writeJobJournal(dir, jobJournal(2));
    writeFileJournal(dir, 1, fileJournal({ state: "done" }));
    assert.deepEqual(readJobJournal(dir), jobJournal(2));
    assert.deepEqual(readFileJournal(dir, 1), fileJournal({ state: "done" }));
    assert.equal(readFileJournal(dir, 0), undefined);
  });

  it("name what is wrong with a job journal that cannot be used", () => {
    const dir = workDir();
    const damage = (content: string) => {
      writeFileSync(jobJournalPath(dir), content);
      const value = readJobJournal(dir);
      assert.ok(isDamaged(value), content);
      return value.damaged;
    };
    assert.equal(damage('{"version": 2, "fi'), "is not JSON (18 bytes)");
    assert.equal(damage(JSON.stringify({ ...jobJournal(1), version: 1 })), "has version 1, not 2");
    assert.equal(damage("{}"), "has version undefined, not 2");
    assert.equal(damage(JSON.stringify({ ...jobJournal(1), instanceCount: 0 })), "does not list the job's input files and instances");
    assert.equal(damage(JSON.stringify({ ...jobJournal(1), files: [{ uri: "s3://b/k" }] })), "does not list the job's input files and instances");
    assert.equal(damage(JSON.stringify({ ...jobJournal(1), files: [null] })), "does not list the job's input files and instances");
    rmSync(jobJournalPath(dir));
    mkdirSync(jobJournalPath(dir));
    const unreadable = readJobJournal(dir);
    assert.deepEqual(unreadable, { damaged: "cannot be read (EISDIR)" });
  });

  it("refuse file journals with bad states, counts, hashes or an offset past the input", () => {
    const dir = workDir();
    mkdirSync(join(dir, "files"));
    const bad: Partial<FileJournal>[] = [
      { state: "closed" as "open" },
      { records: -1 },
      { inputOffset: 1.5 },
      { nextLineNumber: "3" as unknown as number },
      { inputSha256: "abc" },
      { outputSha256: EMPTY.toUpperCase() },
      { inputMtimeMs: undefined },
      { inputOffset: 31 },
      { version: 1 as typeof JOURNAL_VERSION },
    ];
    for (const change of bad) {
      writeFileSync(fileJournalPath(dir, 0), JSON.stringify(fileJournal(change)));
      assert.deepEqual(readFileJournal(dir, 0), { damaged: "does not hold a valid journal entry" }, JSON.stringify(change));
    }
    writeFileSync(fileJournalPath(dir, 0), JSON.stringify(fileJournal({ inputOffset: 30 })));
    assert.equal(isDamaged(readFileJournal(dir, 0)), false);
  });

  it("start a fresh object at offset 0, line 1, pinned to the input's size and modification time", () => {
    const dir = workDir();
    const input = join(dir, "in.jsonl");
    writeFileSync(input, '{"inputs":"a"}\n');
    const stats = statSync(input);
    assert.deepEqual(freshFileJournal(stats), {
      version: 2,
      state: "open",
      inputSize: 15,
      inputMtimeMs: stats.mtimeMs,
      inputOffset: 0,
      nextLineNumber: 1,
      inputSha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      outputBytes: 0,
      outputSha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      records: 0,
    });
  });
});

describe("pins", () => {
  it("hashFilePrefix hashes the first bytes only, and gives undefined when the file is shorter", async () => {
    const path = join(workDir(), "in.jsonl");
    writeFileSync(path, "line one\nline two\n");
    assert.equal((await hashFilePrefix(path, 9))?.digest("hex"), sha256("line one\n"));
    assert.equal((await hashFilePrefix(path, 0))?.digest("hex"), EMPTY);
    assert.equal((await hashFilePrefix(path, 18))?.digest("hex"), sha256("line one\nline two\n"));
    assert.equal(await hashFilePrefix(path, 19), undefined);
  });

  it("hashFilePrefix's hash continues: the journal extends it with the next record", async () => {
    const path = join(workDir(), "in.jsonl");
    writeFileSync(path, "a\nb\n");
    const hash = await hashFilePrefix(path, 2);
    hash!.update("b\n");
    assert.equal(hash!.digest("hex"), sha256("a\nb\n"));
  });

  it("inputPinMismatch names a changed size or a later modification", () => {
    const dir = workDir();
    const input = join(dir, "in.jsonl");
    writeFileSync(input, "a\nb\n");
    const journal = freshFileJournal(statSync(input));
    assert.equal(inputPinMismatch(journal, statSync(input)), undefined);
    writeFileSync(input, "a\nb\nc\n");
    assert.equal(inputPinMismatch(journal, statSync(input)), "its size went from 4 to 6 bytes");
    writeFileSync(input, "a\nB\n");
    utimesSync(input, new Date(Date.UTC(2030, 0, 1)), new Date(Date.UTC(2030, 0, 1)));
    const pinned = { ...journal, inputMtimeMs: Date.UTC(2029, 0, 1) };
    assert.equal(inputPinMismatch(pinned, statSync(input)), "it was modified at 2030-01-01T00:00:00.000Z, after the job started reading it (2029-01-01T00:00:00.000Z)");
  });

  it("checkOutput accepts a partial output holding the recorded answers (more bytes after them are fine)", async () => {
    const path = join(workDir(), "0.out.part");
    writeFileSync(path, '[{"labels":["a"]}]\n[{"lab');
    const result = await checkOutput(path, 19, sha256('[{"labels":["a"]}]\n'));
    assert.ok("hash" in result);
    assert.equal(result.hash.digest("hex"), sha256('[{"labels":["a"]}]\n'));
  });

  it("checkOutput names a partial output that is gone, short or altered", async () => {
    const dir = workDir();
    const path = join(dir, "0.out.part");
    assert.deepEqual(await checkOutput(path, 0, EMPTY), { damage: "is gone" });
    assert.deepEqual(await checkOutput(path, 19, EMPTY), { damage: "is gone (the journal recorded 19 bytes of answers)" });
    writeFileSync(path, "[1]\n");
    assert.deepEqual(await checkOutput(path, 19, EMPTY), { damage: "holds 4 bytes but the journal recorded 19" });
    assert.deepEqual(await checkOutput(path, 4, sha256("[2]\n")), { damage: "does not hold the answers the journal recorded (checksum mismatch over its first 4 bytes)" });
    assert.ok("hash" in (await checkOutput(path, 4, sha256("[1]\n"))));
  });
});

describe("readTransformProgress", () => {
  it("reports zeros for a job that has not started", () => {
    assert.deepEqual(readTransformProgress(workDir()), { records: 0, recordsByObject: [], objectsDone: 0, objectsTotal: 0, instances: [] });
  });

  it("sums the records of every object, counts the done ones, and lists instances in number order", () => {
    const dir = workDir();
    writeJobJournal(dir, jobJournal(4));
    writeFileJournal(dir, 0, fileJournal({ state: "done", records: 5 }));
    writeFileJournal(dir, 1, fileJournal({ state: "finishing", records: 3 }));
    writeFileSync(fileJournalPath(dir, 2), "{torn"); // damaged: counts as nothing done
    // object 3 not started
    for (const instance of [10, 2]) writeInstanceRecord(dir, { instance, pid: 1000 + instance, files: [instance], records: instance, peakRssMB: 120.5 });
    writeFileSync(join(dir, "instances", "3.json"), "{torn");
    writeFileSync(join(dir, "instances", "notes.txt"), "x");
    const progress = readTransformProgress(dir);
    assert.deepEqual(progress, {
      records: 8,
      recordsByObject: [5, 3, 0, 0],
      objectsDone: 1,
      objectsTotal: 4,
      instances: [
        { instance: 2, pid: 1002, files: [2], records: 2, peakRssMB: 120.5 },
        { instance: 10, pid: 1010, files: [10], records: 10, peakRssMB: 120.5 },
      ],
    });
  });

  it("reports no objects when the job journal is damaged", () => {
    const dir = workDir();
    writeFileSync(jobJournalPath(dir), "not json");
    writeFileJournal(dir, 0, fileJournal({ records: 7 }));
    assert.deepEqual(readTransformProgress(dir), { records: 0, recordsByObject: [], objectsDone: 0, objectsTotal: 0, instances: [] });
  });
});
