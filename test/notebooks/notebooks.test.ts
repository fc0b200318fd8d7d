/**
 * Every notebook in notebooks/ runs headless through real Jupyter on both kernels (tslab, then Deno's), on a
 * generated test model, offline; the executed copies (notebooks/.executed/<kernel>/, gitignored) must show
 * what a reader needs (readerChecks.ts), the same checks on both. Committed notebooks carry no outputs.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ensureTestModel } from "../../src/models/generate/generate";
import { KERNEL_NAMES, PROJECT_ROOT, type ProjectKernel } from "../../scripts/kernel";
import { cellsWithOutputs, trackedNotebookText } from "../../scripts/notebooks-clean";
import { ExecutedNotebook, joinText, readNotebook, type Notebook } from "./executedNotebook";
import { COMMON_CHECKS, READER_CHECKS } from "./readerChecks";
import { prepareJupyter, runNotebook } from "./runNotebook";

const NOTEBOOKS_DIR = join(PROJECT_ROOT, "notebooks");
const EXECUTED_DIR = join(NOTEBOOKS_DIR, ".executed");
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

/** Both kernels unless ZERO_SHOT_KERNELS names some (e.g. `tslab`), for a quicker local run. */
const KERNELS = (process.env.ZERO_SHOT_KERNELS?.split(",").map((name) => name.trim()) ?? [...KERNEL_NAMES]).filter((name): name is ProjectKernel =>
  (KERNEL_NAMES as readonly string[]).includes(name),
);

for (const kernel of KERNELS) {
  describe(`notebooks run headless in Jupyter on the ${kernel} kernel`, () => {
    // Found once, in the first test, so a missing Jupyter fails each notebook's test with the fix in its message.
    let jupyter: string | undefined;
    let env: NodeJS.ProcessEnv | undefined;
    const prepared = () => {
      jupyter ??= prepareJupyter();
      // Local and offline: a generated model with bart-large-mnli's label order and tokenizer kind.
      env ??= { ZERO_SHOT_MODEL: ensureTestModel("tiny-bart-nli"), ZERO_SHOT_DTYPE: "", ZERO_SHOT_OFFLINE: "1", HF_HUB_OFFLINE: "1", ZERO_SHOT_DEBUG: "" };
      return { jupyter, env };
    };

    for (const name of notebooks) {
      it(`${name} runs without a cell error and shows what a reader needs`, { timeout: 10 * 60_000 }, (t) => {
        const checks = READER_CHECKS[name];
        assert.ok(checks, `${name} has no entry in test/notebooks/readerChecks.ts: list what a reader must see in it`);
        const { jupyter, env } = prepared();
        const { executedPath, seconds } = runNotebook(jupyter, join(NOTEBOOKS_DIR, name), join(EXECUTED_DIR, kernel), env, kernel);
        t.diagnostic(`${name} ran in ${seconds.toFixed(1)} s on ${kernel}`);
        console.log(`${name} ran in ${seconds.toFixed(1)} s on ${kernel} (executed copy: ${executedPath})`);
        const executed = ExecutedNotebook.read(executedPath);
        const missing = [...COMMON_CHECKS, ...checks].filter((check) => !check.passes(executed)).map((check) => check.what);
        assert.deepEqual(missing, [], `${name} on ${kernel} (executed copy ${executedPath}) does not show: ${missing.join("; ")}`);
      });
    }
  });
}
