/**
 * Small HTML tables for notebook output. They return strings, so cells show them with
 * `tslab.display.html(...)` and the helpers stay usable (and testable) without a kernel.
 */
import { escapeHtml } from "../io/html";

/** A table cell: text is escaped, numbers are shown with `digits` decimals. */
export type TableCell = string | number | null | undefined;

export interface HtmlTableOptions {
  /** Decimals for numbers. Default 4. */
  digits?: number;
  /** A caption above the table. */
  caption?: string;
}

export { escapeHtml };

function cellHtml(value: TableCell, digits: number): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? value.toFixed(digits) : String(value);
  return escapeHtml(value);
}

/**
 * An HTML table with a header row; numbers right-aligned.
 * @example tslab.display.html(htmlTable(["label", "score"], [["Health", 0.91]]))
 */
export function htmlTable(columns: readonly string[], rows: readonly (readonly TableCell[])[], options: HtmlTableOptions = {}): string {
  const digits = options.digits ?? 4;
  const align = (value: TableCell) => (typeof value === "number" ? ' style="text-align:right"' : ' style="text-align:left"');
  const head = columns.map((column) => `<th style="text-align:left">${escapeHtml(column)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((value) => `<td${align(value)}>${cellHtml(value, digits)}</td>`).join("")}</tr>`).join("\n");
  const caption = options.caption ? `<caption style="text-align:left">${escapeHtml(options.caption)}</caption>` : "";
  return `<table>${caption}\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
