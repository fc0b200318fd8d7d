/**
 * Which resolutions file notebook 04 reads, and danfojs DataFrames shown as HTML tables.
 *
 *   ZERO_SHOT_DATA   a resolutions CSV to read (default: the full file when `zero-shot data` fetched it,
 *                    else the committed synthetic sample)
 *   ZERO_SHOT_ROWS   how many labelled rows to keep (default: all of the sample, the first 100 of a
 *                    bigger file, so a run stays short; `all` keeps every row)
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { DataFrame, Series } from "danfojs-node";
import { InputError } from "../errors";
import { RESOLUTIONS_DEFAULT_PATH, RESOLUTIONS_SAMPLE_PATH } from "../data/resolutions";
import type { ZeroShotResult } from "../payload/types";
import { danfo } from "../data/danfo";
import { PROJECT_ROOT } from "./config";
import { htmlTable, type TableCell } from "./htmlTable";

/** Rows kept from a file other than the sample when `ZERO_SHOT_ROWS` is not set. */
export const DEFAULT_NOTEBOOK_ROWS = 100;

/** The data file notebook 04 reads, and how many rows. */
export interface NotebookDataChoice {
  path: string;
  /** `sample`: the committed synthetic sample; `full`: the fetched resolutions file; `custom`: ZERO_SHOT_DATA. */
  kind: "sample" | "full" | "custom";
  /** Labelled rows to keep; undefined keeps all. */
  limit?: number;
}

/**
 * Reads `ZERO_SHOT_DATA` and `ZERO_SHOT_ROWS`; relative paths are looked up from the working directory,
 * then from the project root.
 */
export function chooseNotebookData(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): NotebookDataChoice {
  const given = env.ZERO_SHOT_DATA?.trim();
  let path: string;
  let kind: NotebookDataChoice["kind"];
  if (given) {
    path = isAbsolute(given) || existsSync(resolve(cwd, given)) ? resolve(cwd, given) : resolve(PROJECT_ROOT, given);
    if (!existsSync(path)) throw new InputError(`ZERO_SHOT_DATA is ${given}, but there is no such file: fetch the data with "zero-shot data" or point ZERO_SHOT_DATA at a CSV`);
    kind = "custom";
  } else if (existsSync(resolve(PROJECT_ROOT, RESOLUTIONS_DEFAULT_PATH))) {
    path = resolve(PROJECT_ROOT, RESOLUTIONS_DEFAULT_PATH);
    kind = "full";
  } else {
    path = resolve(PROJECT_ROOT, RESOLUTIONS_SAMPLE_PATH);
    kind = "sample";
  }
  const rows = env.ZERO_SHOT_ROWS?.trim();
  let limit: number | undefined;
  if (rows && rows.toLowerCase() !== "all") {
    limit = Number(rows);
    if (!Number.isInteger(limit) || limit < 1) throw new InputError(`ZERO_SHOT_ROWS is ${JSON.stringify(rows)}: give a whole number of rows (at least 1), or "all"`);
  } else if (!rows && kind !== "sample") {
    limit = DEFAULT_NOTEBOOK_ROWS;
  }
  return { path, kind, limit };
}

/** A markdown note: which file is read, how many rows, and how to change it. */
export function dataNotice(choice: NotebookDataChoice): string {
  const what = {
    sample: "the committed **synthetic sample** (resolution-like tweets written by the project, in the real file's format)",
    full: "the **New Year's resolutions dataset** fetched by `zero-shot data`",
    custom: "the file `ZERO_SHOT_DATA` names",
  }[choice.kind];
  const rows = choice.limit === undefined ? "every labelled row" : `the first ${choice.limit} labelled rows (\`ZERO_SHOT_ROWS\`, or \`all\`)`;
  return `**Data:** ${what}: \`${choice.path}\`, ${rows}. Set \`ZERO_SHOT_DATA\` to another CSV, and \`ZERO_SHOT_ROWS\` to keep more or fewer rows.`;
}

/** Whole numbers (counts, row numbers) as they are; other numbers get the table's decimals. */
function cellOf(value: unknown): TableCell {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value;
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return String(value);
}

/**
 * The first `rows` rows of a DataFrame (all its columns) as an HTML table, with a caption giving its size.
 * @example tslab.display.html(frameTable(dataset.frame, { rows: 5 }))
 */
export function frameTable(frame: DataFrame, options: { rows?: number; digits?: number; caption?: string } = {}): string {
  const shown = Math.min(options.rows ?? 10, frame.shape[0]);
  const values = (frame.values as unknown[][]).slice(0, shown);
  const size = `${frame.shape[0]} rows × ${frame.shape[1]} columns${shown < frame.shape[0] ? `, first ${shown} shown` : ""}`;
  return htmlTable(frame.columns, values.map((row) => row.map(cellOf)), { digits: options.digits ?? 4, caption: options.caption ? `${options.caption} (${size})` : size });
}

/** A Series (e.g. `valueCounts()`) as a two-column table: its index and its values. */
export function seriesTable(series: Series, columns: readonly [string, string] = ["value", "count"]): string {
  const index = series.index as unknown[];
  const values = series.values as unknown[];
  return htmlTable(columns, index.map((key, i) => [cellOf(key), cellOf(values[i])]), { digits: 4 });
}

/** The dataset's rows with each answer's top label and score beside them (answers in row order). */
export function answersFrame(frame: DataFrame, results: readonly ZeroShotResult[], labelColumn = "label"): DataFrame {
  if (results.length !== frame.shape[0]) throw new InputError(`${results.length} answers for ${frame.shape[0]} rows: the answers must be one per row, in order`);
  const columns = Object.fromEntries(frame.columns.map((column) => [column, frame.column(column).values as unknown[]]));
  const gold = columns[labelColumn] as string[] | undefined;
  const predicted = results.map((result) => result.labels[0]);
  return new (danfo().DataFrame)({
    ...columns,
    predicted,
    score: results.map((result) => result.scores[0]),
    ...(gold ? { correct: predicted.map((label, i) => label === gold[i]) } : {}),
  });
}
