/**
 * Every notebook in notebooks/ runs headless through real Jupyter with the tslab kernel, on a generated
 * test model, offline; the executed copies (notebooks/.executed/, gitignored) must show what a reader
 * needs (readerChecks.ts). Committed notebooks carry no outputs: a random model's numbers would mislead.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ensureTestModel } from "../../src/models/generate/generate";
import { PROJECT_ROOT } from "../../scripts/kernel";
import { cellsWithOutputs, trackedNotebookText } from "../../scripts/notebooks-clean";
import { ExecutedNotebook, type Notebook } from "./executedNotebook";
import { READER_CHECKS } from "./readerChecks";
import { prepareJupyter, runNotebook } from "./runNotebook";

const NOTEBOOKS_DIR = join(PROJECT_ROOT, "notebooks");
const EXECUTED_DIR = join(NOTEBOOKS_DIR, ".executed");
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
  }
});

describe("notebooks run headless in Jupyter with the tslab kernel", () => {
  // Found once, in the first test, so a missing Jupyter fails each notebook's test with the fix in its message.
  let jupyter: string | undefined;
  let env: NodeJS.ProcessEnv | undefined;
  const prepared = () => {
    jupyter ??= prepareJupyter();
    // Local and offline: a generated model with bart-large-mnli's label order and tokenizer kind.
    env ??= { ZERO_SHOT_MODEL: ensureTestModel("tiny-bart-nli"), ZERO_SHOT_DTYPE: "", ZERO_SHOT_OFFLINE: "1", HF_HUB_OFFLINE: "1" };
    return { jupyter, env };
  };

  for (const name of notebooks) {
    it(`${name} runs without a cell error and shows what a reader needs`, { timeout: 10 * 60_000 }, (t) => {
      const checks = READER_CHECKS[name];
      assert.ok(checks, `${name} has no entry in test/notebooks/readerChecks.ts: list what a reader must see in it`);
      const { jupyter, env } = prepared();
      const { executedPath, seconds } = runNotebook(jupyter, join(NOTEBOOKS_DIR, name), EXECUTED_DIR, env);
      t.diagnostic(`${name} ran in ${seconds.toFixed(1)} s`);
      console.log(`${name} ran in ${seconds.toFixed(1)} s (executed copy: ${executedPath})`);
      const executed = ExecutedNotebook.read(executedPath);
      const missing = checks.filter((check) => !check.passes(executed)).map((check) => check.what);
      assert.deepEqual(missing, [], `${name} (executed copy ${executedPath}) does not show: ${missing.join("; ")}`);
    });
  }
});
