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
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: { kernelspec?: { name?: string } };
}

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

  /** Every stdout text (tslab sends a cell's last expression there). */
  stdout(cells: NotebookCell[] = this.codeCells): string[] {
    return cells.flatMap((cell) => cell.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => joinText(o.text));
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
