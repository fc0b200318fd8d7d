/**
 * CSV parsing (RFC 4180) that accepts every line ending at once: CRLF, LF and the bare CR of old Mac
 * files, which the resolutions file mixes. Quoted fields keep their commas, doubled quotes and line
 * breaks. Pure: text in, rows out.
 */
import { InputError } from "../errors";

/**
 * Splits CSV text into rows of fields. A row ends at CRLF, LF or CR outside quotes; blank lines are
 * skipped.
 * @example parseCsv('a,b\r"x, y","say ""hi"""\r\n') // [["a", "b"], ["x, y", 'say "hi"']]
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  let quoteOpenedAt = -1;
  const endField = () => {
    row.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += char;
      }
    } else if (char === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      quoteOpenedAt = i;
    } else if (char === ",") {
      endField();
    } else if (char === "\r" || char === "\n") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else {
      // A quote in the middle of an unquoted field is kept as it is, as spreadsheets do.
      field += char;
      fieldStarted = true;
    }
  }
  if (quoted) {
    const line = text.slice(0, quoteOpenedAt).split(/\r\n|\r|\n/).length;
    throw new InputError(`the CSV has a quoted field opened on line ${line} that is never closed: check that file for a stray '"'`);
  }
  if (fieldStarted || field !== "" || row.length > 0) endRow();
  return rows;
}

/** Quotes a field when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text with the given line ending (CRLF by default, as RFC 4180 writes it). */
export function formatCsv(rows: readonly (readonly (string | number | boolean | null | undefined)[])[], lineEnding = "\r\n"): string {
  return rows.map((row) => row.map(csvField).join(",")).join(lineEnding) + lineEnding;
}
