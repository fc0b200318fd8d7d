/**
 * Runs a notebook headless through real Jupyter (`jupyter nbconvert --to notebook --execute`) with the
 * project's own tslab kernelspec, and explains a failing cell with its code and error text.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { findJupyter, installProjectKernel, projectJupyterEnv } from "../../scripts/kernel";
import { ExecutedNotebook, joinText } from "./executedNotebook";

/** Seconds one cell may take before nbconvert gives up. */
const CELL_TIMEOUT_SECONDS = 120;

export const JUPYTER_MISSING =
  "Jupyter is not installed, and the notebook tests need it: run .ci/run (it installs what CI uses), or install " +
  "Debian's packages: apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client python3-ipython";

/** Debian's or the PATH's `jupyter` with nbconvert, and the project-local kernel registered. Throws JUPYTER_MISSING. */
export function prepareJupyter(): string {
  const jupyter = findJupyter("nbconvert");
  if (!jupyter) throw new Error(JUPYTER_MISSING);
  installProjectKernel();
  return jupyter;
}

export interface NotebookRun {
  executedPath: string;
  seconds: number;
}

function nbconvert(jupyter: string, notebookPath: string, outDir: string, env: NodeJS.ProcessEnv, allowErrors: boolean) {
  const args = ["nbconvert", "--to", "notebook", "--execute", `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_SECONDS}`, "--ExecutePreprocessor.kernel_name=tslab"];
  if (allowErrors) args.push("--allow-errors");
  args.push("--output-dir", outDir, "--output", basename(notebookPath), notebookPath);
  return spawnSync(jupyter, args, { env, encoding: "utf8", timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Executes `notebookPath` into `outDir` (same file name) with `env` added to the project's Jupyter
 * environment. Throws on any cell error, naming the cell and quoting its error.
 */
export function runNotebook(jupyter: string, notebookPath: string, outDir: string, env: NodeJS.ProcessEnv): NotebookRun {
  mkdirSync(outDir, { recursive: true });
  const fullEnv = { ...projectJupyterEnv(), ...env };
  const started = performance.now();
  const run = nbconvert(jupyter, notebookPath, outDir, fullEnv, false);
  const seconds = (performance.now() - started) / 1000;
  const executedPath = join(outDir, basename(notebookPath));
  if (run.status === 0) return { executedPath, seconds };

  // nbconvert names the failing cell but not the compile errors tslab prints on stderr: run once more,
  // keeping errors, and quote that cell's outputs.
  const nbconvertError = /CellExecutionError: ([\s\S]*)$/.exec(run.stderr ?? "")?.[1]?.trim();
  const failedSource = nbconvertError ? /\n-{10,}\n([\s\S]*?)\n-{10,}\n/.exec(nbconvertError)?.[1] : undefined;
  let detail = "";
  if (failedSource !== undefined && nbconvert(jupyter, notebookPath, outDir, fullEnv, true).status === 0) {
    const executed = ExecutedNotebook.read(executedPath);
    const index = executed.codeCells.findIndex((cell) => joinText(cell.source) === failedSource);
    const cell = executed.codeCells[index];
    const outputs = (cell?.outputs ?? [])
      .filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
      .map((o) => (o.output_type === "error" ? [`${o.ename}: ${o.evalue}`, ...(o.traceback ?? [])].join("\n") : joinText(o.text)))
      .join("\n")
      .trim();
    detail = `code cell ${index + 1} failed:\n${failedSource}\n--- its error ---\n${outputs || "(no error text)"}`;
  }
  const reason = run.error ? `${run.error.message}` : `exit ${run.status ?? run.signal}`;
  throw new Error(
    `${basename(notebookPath)} failed to run (${reason}, after ${seconds.toFixed(1)} s)\n` +
      (detail || nbconvertError || (run.stderr ?? "").split("\n").slice(-30).join("\n")),
  );
}
