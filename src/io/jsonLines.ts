/**
 * JSON Lines, streamed: one record at a time, so memory stays flat however large the file.
 * Every record carries its 1-based line number, and a bad line is an error that names file and line.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { InputError } from "../errors";

export interface JsonLine {
  lineNumber: number;
  value: unknown;
}

/** Parses one line; `where` ("input.jsonl:3") goes into the error message. */
export function parseJsonLine(text: string, where: string): unknown {
  if (text.trim() === "") {
    throw new InputError(`${where}: the line is empty: every line must hold one JSON value (remove blank lines)`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${where}: not valid JSON (${(error as Error).message}): each line must be one JSON value`);
  }
}

/**
 * Reads a JSON Lines file record by record. A final newline is fine; any other empty line is an error,
 * since skipping it silently would hide a damaged file.
 */
export async function* readJsonLines(path: string): AsyncGenerator<JsonLine> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    yield { lineNumber, value: parseJsonLine(line, `${path}:${lineNumber}`) };
  }
}
