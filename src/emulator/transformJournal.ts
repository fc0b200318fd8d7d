/**
 * A transform job's journal, kept so that a job killed at any moment ends with every record exactly
 * once or fails with a reason, never "Completed" with a lost, padded or mixed record.
 *
 * - `journal.json` lists the job's input objects (in key order) and how many instances share them.
 * - `files/<n>.json` is one object's journal. It pins the input (size, modification time and a SHA-256
 *   of the bytes consumed so far) and the partial output `files/<n>.out.part` (its length and SHA-256),
 *   and is written atomically after the output bytes it describes were fsynced.
 *
 * On resume every pin is checked against the disk: damage the job can repair (its own partial output
 * deleted, truncated or altered) answers that object again from its first record; damage it cannot
 * (an input that changed after some of its records were answered) fails the job with a reason naming it.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../io/atomicFile";
import type { DataFile } from "./objectStore";

export const JOURNAL_VERSION = 2;

/** The job-wide part of the journal, written once when the job starts. */
export interface JobJournal {
  version: typeof JOURNAL_VERSION;
  files: DataFile[];
  instanceCount: number;
}

/** How far one input object got. */
export interface FileJournal {
  version: typeof JOURNAL_VERSION;
  /** `open`: being answered; `finishing`: complete, being moved to its output location; `done`: in place. */
  state: "open" | "finishing" | "done";
  /** The input as it was when the job started on it. */
  inputSize: number;
  inputMtimeMs: number;
  /** Byte offset where the next record starts, and its line number. */
  inputOffset: number;
  nextLineNumber: number;
  /** SHA-256 (hex) of the input's bytes [0, inputOffset). */
  inputSha256: string;
  /** Bytes of the partial output that hold finished answers, and their SHA-256 (hex). */
  outputBytes: number;
  outputSha256: string;
  /** Records answered. */
  records: number;
}

/** A journal file that exists but cannot be used; `reason` says what is wrong with it. */
export interface DamagedJournal {
  damaged: string;
}

const EMPTY_SHA256 = createHash("sha256").digest("hex");

export const jobJournalPath = (workDir: string) => join(workDir, "journal.json");
export const fileJournalPath = (workDir: string, index: number) => join(workDir, "files", `${index}.json`);
export const partialOutputPath = (workDir: string, index: number) => join(workDir, "files", `${index}.out.part`);

function readJson(path: string): unknown | DamagedJournal | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return { damaged: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { damaged: `is not JSON (${text.length} bytes)` };
  }
}

export function isDamaged(value: unknown): value is DamagedJournal {
  return typeof value === "object" && value !== null && typeof (value as DamagedJournal).damaged === "string";
}

const isCount = (value: unknown) => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
const isSha256 = (value: unknown) => typeof value === "string" && /^[0-9a-f]{64}$/.test(value);

/** The job journal, `undefined` when there is none yet, or what is wrong with it. */
export function readJobJournal(workDir: string): JobJournal | DamagedJournal | undefined {
  const value = readJson(jobJournalPath(workDir));
  if (value === undefined || isDamaged(value)) return value;
  const journal = value as Partial<JobJournal>;
  if (journal.version !== JOURNAL_VERSION) return { damaged: `has version ${JSON.stringify(journal.version)}, not ${JOURNAL_VERSION}` };
  const filesOk =
    Array.isArray(journal.files) &&
    journal.files.every((file) => typeof file?.uri === "string" && typeof file.path === "string" && typeof file.relativeName === "string");
  if (!filesOk || !isCount(journal.instanceCount) || journal.instanceCount! < 1) return { damaged: "does not list the job's input files and instances" };
  return journal as JobJournal;
}

export function writeJobJournal(workDir: string, journal: JobJournal): void {
  writeFileAtomically(jobJournalPath(workDir), JSON.stringify(journal));
}

/** One object's journal, `undefined` when the job has not started on it, or what is wrong with it. */
export function readFileJournal(workDir: string, index: number): FileJournal | DamagedJournal | undefined {
  const value = readJson(fileJournalPath(workDir, index));
  if (value === undefined || isDamaged(value)) return value;
  const journal = value as Partial<FileJournal>;
  const valid =
    journal.version === JOURNAL_VERSION &&
    (journal.state === "open" || journal.state === "finishing" || journal.state === "done") &&
    [journal.inputSize, journal.inputOffset, journal.nextLineNumber, journal.outputBytes, journal.records].every(isCount) &&
    typeof journal.inputMtimeMs === "number" &&
    isSha256(journal.inputSha256) &&
    isSha256(journal.outputSha256) &&
    journal.inputOffset! <= journal.inputSize!;
  return valid ? (journal as FileJournal) : { damaged: "does not hold a valid journal entry" };
}

export function writeFileJournal(workDir: string, index: number, journal: FileJournal): void {
  writeFileAtomically(fileJournalPath(workDir, index), JSON.stringify(journal));
}

/** The journal of an object the job starts on now. */
export function freshFileJournal(input: Stats): FileJournal {
  return {
    version: JOURNAL_VERSION,
    state: "open",
    inputSize: input.size,
    inputMtimeMs: input.mtimeMs,
    inputOffset: 0,
    nextLineNumber: 1,
    inputSha256: EMPTY_SHA256,
    outputBytes: 0,
    outputSha256: EMPTY_SHA256,
    records: 0,
  };
}

/** A running SHA-256 of a file's first `length` bytes; `undefined` when the file is shorter. */
export async function hashFilePrefix(path: string, length: number): Promise<Hash | undefined> {
  const hash = createHash("sha256");
  if (length === 0) return hash;
  let seen = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    seen += chunk.length;
  }
  return seen === length ? hash : undefined;
}

/** How the input differs from its pins (size and modification time), or `undefined`. */
export function inputPinMismatch(journal: FileJournal, input: Stats): string | undefined {
  if (input.size !== journal.inputSize) return `its size went from ${journal.inputSize} to ${input.size} bytes`;
  if (input.mtimeMs !== journal.inputMtimeMs) {
    return `it was modified at ${new Date(input.mtimeMs).toISOString()}, after the job started reading it (${new Date(journal.inputMtimeMs).toISOString()})`;
  }
  return undefined;
}

/**
 * Checks a finished-answers file against the journal: a running hash of its first `bytes` bytes when
 * they are what the journal recorded, else what is wrong with it.
 */
export async function checkOutput(path: string, bytes: number, sha256: string): Promise<{ hash: Hash } | { damage: string }> {
  if (!existsSync(path)) return { damage: bytes > 0 ? `is gone (the journal recorded ${bytes} bytes of answers)` : "is gone" };
  const size = statSync(path).size;
  if (size < bytes) return { damage: `holds ${size} bytes but the journal recorded ${bytes}` };
  const hash = await hashFilePrefix(path, bytes);
  if (!hash || hash.copy().digest("hex") !== sha256) return { damage: `does not hold the answers the journal recorded (checksum mismatch over its first ${bytes} bytes)` };
  return { hash };
}

/** What a running or interrupted job has done so far, from its journal. */
export interface TransformProgress {
  /** Records answered, all objects together. */
  records: number;
  /** Records answered per object (by index in the job journal). */
  recordsByObject: number[];
  objectsDone: number;
  objectsTotal: number;
  /** Each instance's process and what it answered. */
  instances: InstanceRecord[];
}

/** One instance of a job, as it records itself. */
export interface InstanceRecord {
  instance: number;
  pid: number;
  /** Indexes (into the job journal's files) of the objects this instance answers. */
  files: number[];
  records: number;
  /** The instance process's peak resident memory, in MB (VmHWM). */
  peakRssMB: number;
}

export const instanceRecordPath = (workDir: string, instance: number) => join(workDir, "instances", `${instance}.json`);

export function writeInstanceRecord(workDir: string, record: InstanceRecord): void {
  writeFileAtomically(instanceRecordPath(workDir, record.instance), JSON.stringify(record));
}

/** Reads the progress of the job whose work directory is `workDir` (zeros when it has not started). */
export function readTransformProgress(workDir: string): TransformProgress {
  const job = readJobJournal(workDir);
  const files = job && !isDamaged(job) ? job.files : [];
  let objectsDone = 0;
  const recordsByObject = files.map((_, index) => {
    const journal = readFileJournal(workDir, index);
    if (!journal || isDamaged(journal)) return 0;
    if (journal.state === "done") objectsDone++;
    return journal.records;
  });
  const records = recordsByObject.reduce((sum, count) => sum + count, 0);
  const instances: InstanceRecord[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(join(workDir, "instances"));
  } catch {
    // no instance started yet
  }
  for (const name of names.filter((n) => /^\d+\.json$/.test(n)).sort((a, b) => parseInt(a) - parseInt(b))) {
    const value = readJson(join(workDir, "instances", name));
    if (value && !isDamaged(value)) instances.push(value as InstanceRecord);
  }
  return { records, recordsByObject, objectsDone, objectsTotal: files.length, instances };
}
