/**
 * Splits a file into records the way `SplitType=Line` does, streaming: one line at a time with its
 * byte offsets, so a transform job can journal exactly where it is and resume there after a crash.
 * A line over the payload limit is reported as soon as it passes the limit, without buffering it whole.
 */
import { createReadStream } from "node:fs";

export interface LineRecord {
  /** 1-based line number in the file. */
  lineNumber: number;
  /** Byte offset just past this record's newline: where the next record starts. */
  nextOffset: number;
  /** The record without its line break. */
  body: Buffer;
  /** The bytes the record took in the file, line break included: what a journal hashes to pin its input. */
  raw: Buffer;
}

/** A line longer than the job's MaxPayloadInMB. */
export class RecordTooLargeError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly limitBytes: number,
  ) {
    super(`line ${lineNumber} is over the ${limitBytes}-byte MaxPayloadInMB limit`);
  }
}

function record(lineNumber: number, nextOffset: number, raw: Buffer, terminated: boolean): LineRecord {
  let end = terminated ? raw.length - 1 : raw.length;
  if (end > 0 && raw[end - 1] === 13) end--;
  return { lineNumber, nextOffset, body: raw.subarray(0, end), raw };
}

/** Reads records from `startOffset` (a record boundary), numbering lines from `firstLineNumber`. */
export async function* readLineRecords(
  path: string,
  options: { startOffset?: number; firstLineNumber?: number; maxRecordBytes?: number } = {},
): AsyncGenerator<LineRecord> {
  const maxBytes = options.maxRecordBytes ?? Infinity;
  let offset = options.startOffset ?? 0;
  let lineNumber = options.firstLineNumber ?? 1;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const stream = createReadStream(path, { start: offset, highWaterMark: 256 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(10, from);
      if (newline < 0) break;
      const piece = chunk.subarray(from, newline + 1);
      // The record's body drops the line break: "\n", and a "\r" before it (which may end the pending part).
      const lastPending = pending.at(-1);
      const carriageReturn = piece.length >= 2 ? piece[piece.length - 2] === 13 : lastPending !== undefined && lastPending[lastPending.length - 1] === 13;
      if (pendingBytes + piece.length - 1 - (carriageReturn ? 1 : 0) > maxBytes) throw new RecordTooLargeError(lineNumber, maxBytes);
      // Copy: the chunk's memory is reused once the consumer moves on.
      const raw = pending.length === 0 ? Buffer.from(piece) : Buffer.concat([...pending, piece]);
      offset += raw.length;
      pending = [];
      pendingBytes = 0;
      yield record(lineNumber, offset, raw, true);
      lineNumber++;
      from = newline + 1;
    }
    const rest = chunk.subarray(from);
    if (rest.length > 0) {
      pendingBytes += rest.length;
      // One byte of slack: a "\r" the coming line break will drop.
      if (pendingBytes > maxBytes + 1) throw new RecordTooLargeError(lineNumber, maxBytes);
      pending.push(Buffer.from(rest));
    }
  }
  if (pendingBytes > 0) {
    const raw = Buffer.concat(pending);
    if (raw.length - (raw[raw.length - 1] === 13 ? 1 : 0) > maxBytes) throw new RecordTooLargeError(lineNumber, maxBytes);
    offset += raw.length;
    yield record(lineNumber, offset, raw, false);
  }
}
