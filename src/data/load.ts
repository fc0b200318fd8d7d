/**
 * Loads a labelled text dataset from CSV into a danfojs-node DataFrame. The CSV is parsed here, not by
 * danfojs's readCSV, because the resolutions file is windows-1252, mixes CRLF with bare CR line
 * endings and has line breaks inside quoted fields.
 */
import { existsSync, readFileSync } from "node:fs";
import type { DataFrame } from "danfojs-node";
import { danfo } from "./danfo";
import { InputError } from "../errors";
import { mapCategories, type LeftOutRows } from "./categories";
import { parseCsv } from "./csv";
import { decodeText, type TextEncodingName } from "./encoding";
import { RESOLUTION_CATEGORY_LABELS, RESOLUTIONS_DEFAULT_PATH } from "./resolutions";

/** A CSV file as a header and rows of strings. */
export interface CsvTable {
  columns: string[];
  rows: string[][];
}

/** Reads and parses a CSV file; every row must have the header's number of fields. */
export function readCsvTable(path: string, options: { encoding?: TextEncodingName } = {}): CsvTable {
  if (!existsSync(path)) {
    throw new InputError(`no data file at ${path}: run "zero-shot data" to fetch the resolutions dataset, or pass --data with a CSV file`);
  }
  const [header, ...rows] = parseCsv(decodeText(readFileSync(path), options.encoding));
  if (!header) throw new InputError(`${path} is empty: a CSV file needs a header row and data rows`);
  const columns = header.map((name) => name.trim());
  rows.forEach((row, index) => {
    if (row.length !== columns.length) {
      throw new InputError(
        `${path}: data row ${index + 1} has ${row.length} fields but the header has ${columns.length}: ` +
          `check that row's quotes (a field with commas must be in "double quotes")`,
      );
    }
  });
  return { columns, rows };
}

/** How to turn a CSV into (text, label) rows. */
export interface LoadOptions {
  /** The column with the text to classify. Default `text`. */
  textColumn?: string;
  /** The column with each row's gold category. Default `Resolution_Category`. */
  categoryColumn?: string;
  /** Category -> label; `null` leaves a category out. Default: the resolutions mapping. */
  categoryLabels?: Readonly<Record<string, string | null>>;
  /** Keep categories the mapping does not name, under their own name (default: leave them out). */
  keepUnmapped?: boolean;
  /** Keep only the first N labelled rows. */
  limit?: number;
  encoding?: TextEncodingName;
}

/** A labelled dataset ready for evaluation. */
export interface LabelledDataset {
  /** Columns `row` (data row number in the file, from 1), `text`, `category`, `label`. */
  frame: DataFrame;
  /** The distinct labels of the kept rows, in the mapping's order (then first-seen order). */
  labels: string[];
  /** Rows left out by the category mapping, per category. */
  leftOut: LeftOutRows;
  /** Data rows in the file. */
  totalRows: number;
  path: string;
}

/**
 * Loads a CSV of texts and categories, maps categories to labels and reports the rows left out.
 * @example
 * const { frame, leftOut } = loadLabelledCsv("data/resolutions-sample.csv");
 * frame.head().print();
 */
export function loadLabelledCsv(path: string, options: LoadOptions = {}): LabelledDataset {
  const textColumn = options.textColumn ?? "text";
  const categoryColumn = options.categoryColumn ?? "Resolution_Category";
  const mapping = options.categoryLabels ?? RESOLUTION_CATEGORY_LABELS;
  const { columns, rows } = readCsvTable(path, { encoding: options.encoding });
  const columnIndex = (name: string, option: string) => {
    const index = columns.indexOf(name);
    if (index < 0) {
      throw new InputError(`${path} has no column "${name}" (its columns: ${columns.join(", ")}): pass ${option} with the right name`);
    }
    return index;
  };
  const textIndex = columnIndex(textColumn, "--text-column");
  const categoryIndex = columnIndex(categoryColumn, "--category-column");
  const { labels, leftOut } = mapCategories(
    rows.map((row) => row[categoryIndex]),
    mapping,
    { keepUnmapped: options.keepUnmapped },
  );
  const kept = { row: [] as number[], text: [] as string[], category: [] as string[], label: [] as string[] };
  for (let i = 0; i < rows.length; i++) {
    const label = labels[i];
    if (label === null) continue;
    if (options.limit !== undefined && kept.row.length >= options.limit) break;
    kept.row.push(i + 1);
    kept.text.push(rows[i][textIndex].trim());
    kept.category.push(rows[i][categoryIndex].trim());
    kept.label.push(label);
  }
  if (kept.row.length === 0) {
    throw new InputError(`${path}: no row has a category that maps to a label (checked column "${categoryColumn}"): check --category-column and the category mapping`);
  }
  const mappedOrder = [...new Set(Object.values(mapping).filter((label): label is string => label !== null))];
  const present = new Set(kept.label);
  const labelOrder = [...mappedOrder.filter((label) => present.has(label)), ...[...present].filter((label) => !mappedOrder.includes(label))];
  return {
    frame: new (danfo().DataFrame)(kept, { columns: ["row", "text", "category", "label"] }),
    labels: labelOrder,
    leftOut,
    totalRows: rows.length,
    path,
  };
}

/** Loads the New Year's resolutions CSV (default `data/New-years-resolutions-DFE.csv`) with the walkthrough's label mapping. */
export function loadResolutions(path: string = RESOLUTIONS_DEFAULT_PATH, options: Omit<LoadOptions, "textColumn" | "categoryColumn"> = {}): LabelledDataset {
  return loadLabelledCsv(path, { ...options, textColumn: "text", categoryColumn: "Resolution_Category" });
}
