/**
 * Every notebook in notebooks/ runs headless through real Jupyter on one of the project's kernels, on a
 * generated test model, offline; the executed copies (notebooks/.executed/<kernel>/, gitignored) must show
 * what a reader needs (readerChecks.ts), the same checks on both kernels. tslab.test.ts and deno.test.ts
 * each run one kernel, so the two run side by side (each notebook run keeps about one core busy).
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ensureTestModel } from "../../src/models/generate/generate";
import { KERNEL_NAMES, PROJECT_ROOT, type ProjectKernel } from "../../scripts/kernel";
import { ExecutedNotebook } from "./executedNotebook";
import { COMMON_CHECKS, READER_CHECKS } from "./readerChecks";
import { prepareJupyter, runNotebook } from "./runNotebook";

export const NOTEBOOKS_DIR = join(PROJECT_ROOT, "notebooks");
const EXECUTED_DIR = join(NOTEBOOKS_DIR, ".executed");

/** Both kernels unless ZERO_SHOT_KERNELS names some (e.g. `tslab`), for a quicker local run. */
const KERNELS = (process.env.ZERO_SHOT_KERNELS?.split(",").map((name) => name.trim()) ?? [...KERNEL_NAMES]).filter((name): name is ProjectKernel =>
  (KERNEL_NAMES as readonly string[]).includes(name),
);

/** Runs every notebook on `kernel` (skipped when ZERO_SHOT_KERNELS leaves it out). */
export function describeNotebookRuns(kernel: ProjectKernel): void {
  const notebooks = readdirSync(NOTEBOOKS_DIR).filter((name) => name.endsWith(".ipynb")).sort();
  describe(`notebooks run headless in Jupyter on the ${kernel} kernel`, { skip: KERNELS.includes(kernel) ? false : `ZERO_SHOT_KERNELS=${process.env.ZERO_SHOT_KERNELS}` }, () => {
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
