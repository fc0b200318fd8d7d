/**
 * One instance of a batch transform job: it answers the input objects it was given (SageMaker's
 * ShardedByS3Key: each object goes to one instance), up to MaxConcurrentTransforms of them at a time,
 * each record one invocation of the container contract. The same code runs in the emulator's process
 * (InstanceCount 1) and in a worker process per instance (`transformWorker.ts`).
 *
 * Every object keeps its own journal (see `transformJournal.ts`), checkpointed after its output bytes
 * were fsynced, so a kill at any moment resumes with every record exactly once.
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, copyFileSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ZeroShotClassifier } from "../classification/classifier";
import { answerInvocation } from "../server/invocations";
import { MicroBatchingScorer } from "../scorers/microBatchingScorer";
import { readLineRecords, RecordTooLargeError, type LineRecord } from "./lineRecords";
import type { DataFile } from "./objectStore";
import {
  checkOutput,
  freshFileJournal,
  hashFilePrefix,
  inputPinMismatch,
  isDamaged,
  partialOutputPath,
  readFileJournal,
  writeFileJournal,
  writeInstanceRecord,
  type FileJournal,
  type InstanceRecord,
} from "./transformJournal";
import { ZeroShotError } from "../errors";
import { containerMessage, TRANSFORM_DEFAULT_MAX_PAYLOAD_MB } from "../aws/sagemaker";

/** The parts of a CreateTransformJob request an instance reads. */
export interface TransformJobSpec {
  TransformJobName: string;
  MaxPayloadInMB?: number;
  MaxConcurrentTransforms?: number;
  BatchStrategy?: string;
  TransformInput: {
    DataSource: { S3DataSource: { S3DataType?: string; S3Uri: string } };
    ContentType?: string;
    SplitType?: string;
    CompressionType?: string;
  };
  TransformOutput: { S3OutputPath: string; Accept?: string; AssembleWith?: string };
  TransformResources?: { InstanceType?: string; InstanceCount?: number };
}

/** One input object and where its answers go. */
export interface FileTask {
  /** Index in the job journal's file list: names the object's journal and partial output. */
  index: number;
  file: DataFile;
  target: { uri: string; path: string };
}

export type InstanceOutcome = { status: "Done" } | { status: "Failed"; reason: string } | { status: "Stopped" };

export interface InstanceOptions {
  instance: number;
  job: TransformJobSpec;
  tasks: FileTask[];
  workDir: string;
  classifier: () => Promise<ZeroShotClassifier>;
  log: (message: string) => void;
  signal: AbortSignal;
  /** Checkpoint at least this often (ms). Default 250. */
  checkpointMs?: number;
}

const CHECKPOINT_RECORDS = 512;

/** A failure that ends the job with this FailureReason (caught by the runner, never thrown to a caller). */
export class JobFailure extends ZeroShotError {
  constructor(reason: string) {
    super("transform_job_failed", reason);
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


/** The process's peak resident memory so far (VmHWM), in MB. */
export function peakRssMB(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / 1024 / 1024;
}

/** Answers an instance's objects; never throws. */
export async function runInstance(options: InstanceOptions): Promise<InstanceOutcome> {
  const record: InstanceRecord = { instance: options.instance, pid: process.pid, files: options.tasks.map((task) => task.index), records: 0, peakRssMB: peakRssMB() };
  writeInstanceRecord(options.workDir, record);
  // A failure in one lane stops the others at their next record.
  const controller = new AbortController();
  const stopAll = () => controller.abort();
  options.signal.addEventListener("abort", stopAll, { once: true });
  try {
    if (options.signal.aborted) return { status: "Stopped" };
    let classifier: ZeroShotClassifier;
    try {
      classifier = await options.classifier();
    } catch (error) {
      return { status: "Failed", reason: `ClientError: the model could not be loaded: ${(error as Error).message}` };
    }
    const lanes = Math.max(1, Math.min(options.job.MaxConcurrentTransforms || 1, options.tasks.length));
    // Concurrent records share forward passes, as `zero-shot serve` answers concurrent invocations.
    if (lanes > 1) classifier = new ZeroShotClassifier(new MicroBatchingScorer(classifier.scorer));
    const queue = [...options.tasks];
    let failure: string | undefined;
    const lane = async () => {
      for (let task = queue.shift(); task && !controller.signal.aborted; task = queue.shift()) {
        try {
          const answered = await runFile(task, { ...options, classifier, signal: controller.signal });
          record.records += answered;
        } catch (error) {
          failure ??= error instanceof JobFailure ? error.message : `InternalServerError: ${(error as Error).message}`;
          controller.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    record.peakRssMB = peakRssMB();
    writeInstanceRecord(options.workDir, record);
    if (failure) return { status: "Failed", reason: failure };
    return options.signal.aborted || queue.length > 0 ? { status: "Stopped" } : { status: "Done" };
  } finally {
    options.signal.removeEventListener("abort", stopAll);
  }
}

interface FileRunOptions {
  instance: number;
  job: TransformJobSpec;
  workDir: string;
  classifier: ZeroShotClassifier;
  log: (message: string) => void;
  signal: AbortSignal;
  checkpointMs?: number;
}

/**
 * Where an object's answers start: its journal checked against the disk. Returns the journal to go on
 * from and the running hashes of what it already consumed and wrote; a fresh journal when there is none
 * or the job's own partial output was damaged (those records are answered again).
 */
async function resumePoint(task: FileTask, options: FileRunOptions): Promise<{ journal: FileJournal; inputHash: Hash; outputHash: Hash }> {
  const { workDir, log } = options;
  const name = options.job.TransformJobName;
  const { file, index } = task;
  const partialPath = partialOutputPath(workDir, index);
  const input = statSync(file.path);
  const fresh = () => {
    rmSync(partialPath, { force: true });
    const journal = freshFileJournal(input);
    writeFileJournal(workDir, index, journal);
    return { journal, inputHash: createHash("sha256"), outputHash: createHash("sha256") };
  };
  const journal = readFileJournal(workDir, index);
  if (!journal) return fresh();
  if (isDamaged(journal)) {
    log(`transform job ${name}: the journal of ${file.uri} ${journal.damaged}: answering it again from its first record`);
    return fresh();
  }

  let inputChange = inputPinMismatch(journal, input);
  let inputHash = inputChange ? undefined : await hashFilePrefix(file.path, journal.inputOffset);
  if (!inputChange && (!inputHash || inputHash.copy().digest("hex") !== journal.inputSha256)) {
    inputChange = `its first ${journal.inputOffset} bytes are not the ones the job had read`;
  }
  if (inputChange) {
    if (journal.records === 0) return fresh();
    throw new JobFailure(
      `ClientError: the input ${file.uri} changed while the job was interrupted (${inputChange}); ${journal.records} of its records ` +
        `had already been answered from the earlier content, so finishing would mix answers to two inputs: run a new job over the current input`,
    );
  }

  if (journal.state === "finishing") {
    // The output was complete: it is either still the partial file or already moved into place.
    const source = existsSync(partialPath) ? partialPath : task.target.path;
    const check = await checkOutput(source, journal.outputBytes, journal.outputSha256);
    if ("hash" in check && statSync(source).size === journal.outputBytes) return { journal, inputHash: inputHash!, outputHash: check.hash };
    log(`transform job ${name}: the finished output of ${file.uri} ${"damage" in check ? check.damage : "has bytes past its answers"}: answering it again from its first record`);
    return fresh();
  }
  const check = await checkOutput(partialPath, journal.outputBytes, journal.outputSha256);
  if ("damage" in check) {
    log(`transform job ${name}: the partial output of ${file.uri} ${check.damage}: answering it again from its first record`);
    return fresh();
  }
  return { journal, inputHash: inputHash!, outputHash: check.hash };
}

/** Answers one object (or the rest of it) into its output; returns the records answered now. */
async function runFile(task: FileTask, options: FileRunOptions): Promise<number> {
  const { job, workDir, classifier, log, signal } = options;
  const { file, index, target } = task;
  const name = job.TransformJobName;
  const maxPayloadMB = job.MaxPayloadInMB ?? TRANSFORM_DEFAULT_MAX_PAYLOAD_MB;
  const maxRecordBytes = maxPayloadMB === 0 ? Infinity : maxPayloadMB * 1024 * 1024;
  const splitLines = (job.TransformInput.SplitType ?? "None") === "Line";
  const lineSeparator = (job.TransformOutput.AssembleWith ?? "None") === "Line" ? "\n" : "";
  const checkpointMs = options.checkpointMs ?? 250;
  const partialPath = partialOutputPath(workDir, index);

  const previous = readFileJournal(workDir, index);
  if (previous && !isDamaged(previous) && previous.state === "done") return 0;
  if (!existsSync(file.path)) throw new JobFailure(`ClientError: the input file ${file.uri} disappeared while the job ran`);
  const { journal: state, inputHash, outputHash } = await resumePoint(task, options);
  const save = () => writeFileJournal(workDir, index, state);
  const answeredBefore = state.records;

  if (state.state === "open") {
    const fd = openSync(partialPath, existsSync(partialPath) ? "r+" : "w");
    try {
      // Drop any output past the last checkpoint: those records are answered again.
      ftruncateSync(fd, state.outputBytes);
      let pending: string[] = [];
      let pendingRecords = 0;
      let pendingOffset = state.inputOffset;
      let pendingLine = state.nextLineNumber;
      let lastCheckpoint = Date.now();
      let lastLog = Date.now();
      const checkpoint = () => {
        if (pendingRecords === 0) return;
        const bytes = Buffer.from(pending.join(""), "utf8");
        writeSync(fd, bytes, 0, bytes.length, state.outputBytes);
        fsyncSync(fd);
        outputHash.update(bytes);
        Object.assign(state, {
          outputBytes: state.outputBytes + bytes.length,
          outputSha256: outputHash.copy().digest("hex"),
          inputOffset: pendingOffset,
          inputSha256: inputHash.copy().digest("hex"),
          nextLineNumber: pendingLine,
          records: state.records + pendingRecords,
        });
        save();
        pending = [];
        pendingRecords = 0;
        lastCheckpoint = Date.now();
      };

      const records = splitLines
        ? readLineRecords(file.path, { startOffset: state.inputOffset, firstLineNumber: state.nextLineNumber, maxRecordBytes })
        : wholeFile(file.path, state.inputOffset, maxRecordBytes);
      try {
        for await (const record of records) {
          if (signal.aborted) break;
          const where = splitLines ? `line ${record.lineNumber} of ${file.uri}` : file.uri;
          const response = await answerInvocation(classifier, {
            body: record.body,
            contentType: job.TransformInput.ContentType,
            accept: job.TransformOutput.Accept,
          });
          if (response.status !== 200) {
            throw new JobFailure(`ClientError: the record at ${where} failed: the model answered ${response.status}: ${containerMessage(response.body, 500)}`);
          }
          pending.push(response.body, lineSeparator);
          pendingRecords++;
          inputHash.update(record.raw);
          pendingOffset = record.nextOffset;
          pendingLine = record.lineNumber + 1;
          const now = Date.now();
          if (pendingRecords >= CHECKPOINT_RECORDS || now - lastCheckpoint >= checkpointMs) checkpoint();
          if (now - lastLog >= 2000) {
            lastLog = now;
            const percent = Math.floor((100 * pendingOffset) / Math.max(1, state.inputSize));
            log(`transform job ${name}: instance ${options.instance + 1}: ${state.records + pendingRecords} records of ${file.uri} answered (${percent}% of its bytes)`);
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
    } finally {
      closeSync(fd);
    }
    if (signal.aborted) return state.records - answeredBefore;
    // The whole input was read: it must still be the input the job started on.
    const input = statSync(file.path);
    const change = inputPinMismatch(state, input) ?? (state.inputOffset !== input.size ? `${input.size - state.inputOffset} bytes were never read` : undefined);
    if (change) throw new JobFailure(`ClientError: the input ${file.uri} changed while the job read it (${change}): run a new job over the current input`);
    state.state = "finishing";
    save();
  }
  if (existsSync(partialPath)) moveInto(partialPath, target.path);
  state.state = "done";
  save();
  log(`transform job ${name}: wrote ${target.uri} (${state.records} records)`);
  return state.records - answeredBefore;
}

/** `SplitType=None`: the whole file is one record. */
async function* wholeFile(path: string, startOffset: number, maxRecordBytes: number): AsyncGenerator<LineRecord> {
  if (startOffset > 0) return; // already answered before a restart
  const size = statSync(path).size;
  if (size > maxRecordBytes) throw new RecordTooLargeError(1, maxRecordBytes);
  const raw = readFileSync(path);
  yield { lineNumber: 1, nextOffset: raw.length, body: raw, raw };
}
