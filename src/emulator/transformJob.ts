/**
 * Runs a batch transform job on this machine with SageMaker's semantics for `SplitType=Line`,
 * `BatchStrategy=SingleRecord`: every line of every input file is one invocation of the container
 * contract (`answerInvocation`, the same code as `zero-shot serve`), and the answers are written in
 * input order to `<input>.out`, one per line with `AssembleWith=Line`.
 *
 * Records are streamed (memory stays flat for any input size) and every job keeps a journal: records
 * done, the input byte offset and the output byte count, written atomically after the output was
 * fsynced. A job killed at any moment and started again truncates its partial output to the journaled
 * size and reads on from the journaled offset, so no record is lost or written twice.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ZeroShotClassifier } from "../classification/classifier";
import { answerInvocation } from "../server/invocations";
import { readLineRecords, RecordTooLargeError } from "./lineRecords";
import { listDataFiles, outputPath, type DataFile, type ObjectStore } from "./objectStore";
import { writeFileAtomically } from "../io/atomicFile";

/** The parts of a CreateTransformJob request the engine reads. */
export interface TransformJobSpec {
  TransformJobName: string;
  MaxPayloadInMB?: number;
  BatchStrategy?: string;
  TransformInput: {
    DataSource: { S3DataSource: { S3DataType?: string; S3Uri: string } };
    ContentType?: string;
    SplitType?: string;
    CompressionType?: string;
  };
  TransformOutput: { S3OutputPath: string; Accept?: string; AssembleWith?: string };
}

/** How far a job got; written after every checkpoint. */
interface Journal {
  files: DataFile[];
  /** The file being transformed (index into `files`); `files.length` when all are done. */
  fileIndex: number;
  /** Line number of the next record of the current file. */
  nextLineNumber: number;
  /** Byte offset in the current input file where the next record starts. */
  inputOffset: number;
  /** Bytes of the current file's partial output that hold finished answers. */
  outputBytes: number;
  /** Records answered so far, all files together. */
  recordsDone: number;
  /** The current file's output is complete and being moved to its final place. */
  finishing: boolean;
}

export type TransformOutcome = { status: "Completed"; records: number } | { status: "Failed"; reason: string } | { status: "Stopped" };

export interface TransformRunContext {
  /** The job's own directory for its journal and partial output. */
  workDir: string;
  objects: ObjectStore;
  classifier: () => Promise<ZeroShotClassifier>;
  /** Progress and resume messages, for the emulator's log. */
  log: (message: string) => void;
  /** Set when the job is stopped (StopTransformJob) or the emulator closes. */
  signal: AbortSignal;
  /** Checkpoint at least this often (ms). Default 250. */
  checkpointMs?: number;
}

const DEFAULT_MAX_PAYLOAD_MB = 6;
const CHECKPOINT_RECORDS = 512;

/** A failure that ends the job with this FailureReason. */
class JobFailure extends Error {}

function readJournal(path: string): Journal | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Journal;
  } catch {
    return undefined;
  }
}

/** Moves a finished output into place (copying when the output lives on another file system). */
function moveInto(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    copyFileSync(from, to);
    rmSync(from);
  }
}

function containerMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: show it as is
  }
  return body.slice(0, 500);
}

/** Runs (or resumes) a job to its end; never throws. */
export async function runTransformJob(job: TransformJobSpec, context: TransformRunContext): Promise<TransformOutcome> {
  try {
    return await transform(job, context);
  } catch (error) {
    if (error instanceof JobFailure) return { status: "Failed", reason: error.message };
    return { status: "Failed", reason: `InternalServerError: ${(error as Error).message}` };
  }
}

async function transform(job: TransformJobSpec, context: TransformRunContext): Promise<TransformOutcome> {
  const { workDir, objects, log, signal } = context;
  const name = job.TransformJobName;
  const maxPayloadMB = job.MaxPayloadInMB ?? DEFAULT_MAX_PAYLOAD_MB;
  const maxRecordBytes = maxPayloadMB === 0 ? Infinity : maxPayloadMB * 1024 * 1024;
  const splitLines = (job.TransformInput.SplitType ?? "None") === "Line";
  const lineSeparator = (job.TransformOutput.AssembleWith ?? "None") === "Line" ? "\n" : "";
  const checkpointMs = context.checkpointMs ?? 250;
  mkdirSync(workDir, { recursive: true });
  const journalPath = join(workDir, "journal.json");

  let journal = readJournal(journalPath);
  if (journal) {
    log(`transform job ${name}: resuming at record ${journal.recordsDone + 1} (file ${journal.fileIndex + 1} of ${journal.files.length}, line ${journal.nextLineNumber})`);
  } else {
    let files: DataFile[];
    try {
      files = await listDataFiles(job.TransformInput.DataSource.S3DataSource.S3Uri, objects);
    } catch (error) {
      throw new JobFailure(`ClientError: cannot read the input ${job.TransformInput.DataSource.S3DataSource.S3Uri}: ${(error as Error).message}`);
    }
    if (files.length === 0) {
      throw new JobFailure(
        `ClientError: no input files at ${job.TransformInput.DataSource.S3DataSource.S3Uri}: upload the JSON Lines file first (PutObjectCommand), or check the S3Uri`,
      );
    }
    journal = { files, fileIndex: 0, nextLineNumber: 1, inputOffset: 0, outputBytes: 0, recordsDone: 0, finishing: false };
    writeFileAtomically(journalPath, JSON.stringify(journal));
  }

  let classifier: ZeroShotClassifier;
  try {
    classifier = await context.classifier();
  } catch (error) {
    throw new JobFailure(`ClientError: the model could not be loaded: ${(error as Error).message}`);
  }

  const state = journal;
  const saveJournal = () => writeFileAtomically(journalPath, JSON.stringify(state));
  let lastLog = Date.now();

  for (; state.fileIndex < state.files.length; ) {
    const file = state.files[state.fileIndex];
    const partialPath = join(workDir, `${state.fileIndex}.out.part`);
    const target = outputPath(job.TransformOutput.S3OutputPath, `${file.relativeName}.out`, objects);
    if (state.finishing) {
      if (existsSync(partialPath)) moveInto(partialPath, target.path);
      Object.assign(state, { fileIndex: state.fileIndex + 1, nextLineNumber: 1, inputOffset: 0, outputBytes: 0, finishing: false });
      saveJournal();
      continue;
    }
    if (!existsSync(file.path)) throw new JobFailure(`ClientError: the input file ${file.uri} disappeared while the job ran`);
    const inputSize = statSync(file.path).size;

    // Resume: drop any output past the last checkpoint, those records are answered again.
    const fd = openSync(partialPath, existsSync(partialPath) ? "r+" : "w");
    try {
      ftruncateSync(fd, state.outputBytes);
      let pending: string[] = [];
      let pendingRecords = 0;
      let pendingOffset = state.inputOffset;
      let pendingLine = state.nextLineNumber;
      let lastCheckpoint = Date.now();
      const checkpoint = () => {
        if (pendingRecords === 0) return;
        const bytes = Buffer.from(pending.join(""), "utf8");
        writeSync(fd, bytes, 0, bytes.length, state.outputBytes);
        fsyncSync(fd);
        Object.assign(state, {
          outputBytes: state.outputBytes + bytes.length,
          inputOffset: pendingOffset,
          nextLineNumber: pendingLine,
          recordsDone: state.recordsDone + pendingRecords,
        });
        saveJournal();
        pending = [];
        pendingRecords = 0;
        lastCheckpoint = Date.now();
      };

      const records = splitLines
        ? readLineRecords(file.path, { startOffset: state.inputOffset, firstLineNumber: state.nextLineNumber, maxRecordBytes })
        : wholeFile(file.path, state.inputOffset, maxRecordBytes);
      try {
        for await (const record of records) {
          if (signal.aborted) {
            checkpoint();
            return { status: "Stopped" };
          }
          const where = splitLines ? `line ${record.lineNumber} of ${file.uri}` : file.uri;
          const response = await answerInvocation(classifier, {
            body: record.body,
            contentType: job.TransformInput.ContentType,
            accept: job.TransformOutput.Accept,
          });
          if (response.status !== 200) {
            throw new JobFailure(
              `ClientError: the record at ${where} failed: the model answered ${response.status}: ${containerMessage(response.body)}`,
            );
          }
          pending.push(response.body, lineSeparator);
          pendingRecords++;
          pendingOffset = record.nextOffset;
          pendingLine = record.lineNumber + 1;
          const now = Date.now();
          if (pendingRecords >= CHECKPOINT_RECORDS || now - lastCheckpoint >= checkpointMs) checkpoint();
          if (now - lastLog >= 2000) {
            lastLog = now;
            log(`transform job ${name}: ${state.recordsDone + pendingRecords} records, ${Math.floor((100 * pendingOffset) / Math.max(1, inputSize))}% of ${file.uri}`);
          }
        }
      } catch (error) {
        if (error instanceof RecordTooLargeError) {
          throw new JobFailure(
            `ClientError: the record at line ${error.lineNumber} of ${file.uri} is over MaxPayloadInMB=${maxPayloadMB} (${error.limitBytes} bytes): ` +
              `raise MaxPayloadInMB (up to 100) or split the record`,
          );
        }
        throw error;
      }
      checkpoint();
    } catch (error) {
      if (error instanceof JobFailure) rmSync(partialPath, { force: true });
      throw error;
    } finally {
      closeSync(fd);
    }
    state.finishing = true;
    saveJournal();
    moveInto(partialPath, target.path);
    log(`transform job ${name}: wrote ${target.uri}`);
    Object.assign(state, { fileIndex: state.fileIndex + 1, nextLineNumber: 1, inputOffset: 0, outputBytes: 0, finishing: false });
    saveJournal();
  }
  return { status: "Completed", records: state.recordsDone };
}

/** `SplitType=None`: the whole file is one record. */
async function* wholeFile(path: string, startOffset: number, maxRecordBytes: number) {
  if (startOffset > 0) return; // already answered before a restart
  const size = statSync(path).size;
  if (size > maxRecordBytes) throw new RecordTooLargeError(1, maxRecordBytes);
  yield { lineNumber: 1, nextOffset: size, body: readFileSync(path) };
}
