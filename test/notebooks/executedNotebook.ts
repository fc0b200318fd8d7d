/** Reading a notebook file and asking what a reader sees in its outputs. */
import { readFileSync } from "node:fs";

export interface NotebookOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: "stdout" | "stderr";
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  metadata?: { tags?: string[] };
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: { kernelspec?: { name?: string } };
}

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
/** `"text"` as Node prints it, `'text'` (strings without a single quote inside). */
const denoQuotes = (text: string) => text.replace(/"((?:[^"'\\\n]|\\.)*)"/g, "'$1'");

export const joinText = (text: string | string[] | undefined): string => (Array.isArray(text) ? text.join("") : (text ?? ""));

export function readNotebook(path: string): Notebook {
  return JSON.parse(readFileSync(path, "utf8")) as Notebook;
}

/** An executed notebook, queried by output kind. */
export class ExecutedNotebook {
  constructor(readonly notebook: Notebook) {}

  static read(path: string): ExecutedNotebook {
    return new ExecutedNotebook(readNotebook(path));
  }

  get codeCells(): NotebookCell[] {
    return this.notebook.cells.filter((cell) => cell.cell_type === "code");
  }

  /** Code cells whose source contains `fragment`. */
  cellsWithSource(fragment: string): NotebookCell[] {
    return this.codeCells.filter((cell) => joinText(cell.source).includes(fragment));
  }

  /**
   * What cells printed and returned, as text: stdout, plus each result's `text/plain`. tslab sends a
   * cell's last expression to stdout in Node's inspect format; Deno's kernel sends it as a result in
   * Deno's, which quotes strings with `"`: those are turned into `'`, so one pattern reads both kernels.
   */
  stdout(cells: NotebookCell[] = this.codeCells): string[] {
    return cells.flatMap((cell) => {
      const outputs = cell.outputs ?? [];
      // A cell's stdout is one text, however many stream messages carried it (the kernel decides that).
      const printed = outputs.filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => stripAnsi(joinText(o.text))).join("");
      const results = outputs
        .filter((o) => o.output_type === "execute_result" && o.data && "text/plain" in o.data)
        .map((o) => denoQuotes(stripAnsi(joinText(o.data!["text/plain"] as string | string[]))));
      return [...(printed ? [printed] : []), ...results];
    });
  }

  /** Every rich output of one MIME type (display_data or execute_result), as stored. */
  rich(mime: string, cells: NotebookCell[] = this.codeCells): unknown[] {
    return cells
      .flatMap((cell) => cell.outputs ?? [])
      .filter((o) => (o.output_type === "display_data" || o.output_type === "execute_result") && o.data && mime in o.data)
      .map((o) => o.data![mime]);
  }

  /** Rich text outputs (HTML, markdown, SVG) joined into strings. */
  richText(mime: string, cells?: NotebookCell[]): string[] {
    return this.rich(mime, cells).map((value) => joinText(value as string | string[]));
  }
}
