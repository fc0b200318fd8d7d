/**
 * The committed notebooks: no outputs or execution counts, the tslab kernel, code lines that fit the page.
 * Running them is tslab.test.ts's and deno.test.ts's work (notebookRuns.ts).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../../scripts/kernel";
import { cellsWithOutputs, trackedNotebookText } from "../../scripts/notebooks-clean";
import { joinText, readNotebook, type Notebook } from "./executedNotebook";
import { NOTEBOOKS_DIR } from "./notebookRuns";

/** Wider code scrolls sideways in JupyterLab at a laptop's width. */
const MAX_CODE_LINE = 120;
const notebooks = readdirSync(NOTEBOOKS_DIR).filter((name) => name.endsWith(".ipynb")).sort();

describe("committed notebooks", () => {
  it("exist", () => assert.ok(notebooks.length > 0, `no notebooks in ${NOTEBOOKS_DIR}`));

  for (const name of notebooks) {
    it(`${name} is committed without outputs or execution counts, for the tslab kernel`, () => {
      // Git's copy, not the working file: a notebook saved with outputs in JupyterLab never fails this (hygiene.test.ts).
      const path = join("notebooks", name);
      const notebook = JSON.parse(trackedNotebookText(PROJECT_ROOT, path) ?? readFileSync(join(PROJECT_ROOT, path), "utf8")) as Notebook;
      const dirty = cellsWithOutputs(notebook);
      assert.deepEqual(dirty, [], `${name}: cells ${dirty.join(", ")} are committed with outputs or execution counts: run \`npm run notebooks:clean\` and commit again`);
      assert.equal(notebook.metadata.kernelspec?.name, "tslab", `${name}: its kernelspec must be "tslab" (the TypeScript kernel npm run kernel registers)`);
    });

    it(`${name} has code cells that fit the page (lines of at most ${MAX_CODE_LINE} characters)`, () => {
      const wide = readNotebook(join(NOTEBOOKS_DIR, name))
        .cells.filter((cell) => cell.cell_type === "code")
        .flatMap((cell) => joinText(cell.source).split("\n"))
        .filter((line) => line.length > MAX_CODE_LINE);
      assert.deepEqual(wide, [], `${name}: break these lines so JupyterLab shows them without scrolling sideways`);
    });
  }
});
