/**
 * Runs a notebook headless through real Jupyter (nbclient, the library behind `jupyter nbconvert
 * --execute`) with one of the project's own kernelspecs (tslab or Deno), and explains a failing cell with
 * its code and error text. nbclient's own loop numbers each cell, so executed copies show execution counts
 * on tslab too (nbconvert takes them from the kernel's messages, which tslab does not send).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { findJupyter, installProjectKernel, projectJupyterEnv, type ProjectKernel } from "../../scripts/kernel";
import { ExecutedNotebook, joinText } from "./executedNotebook";

/** Seconds one cell may take before nbclient gives up. */
const CELL_TIMEOUT_SECONDS = 120;

export const JUPYTER_MISSING =
  "Jupyter is not installed, and the notebook tests need it: run .ci/run (it installs what CI uses), or install " +
  "Debian's packages: apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client python3-ipython";

/** Debian's or the PATH's `jupyter` with nbconvert, and the project-local kernels registered. Throws JUPYTER_MISSING. */
export function prepareJupyter(): string {
  const jupyter = findJupyter("nbconvert");
  if (!jupyter) throw new Error(JUPYTER_MISSING);
  installProjectKernel();
  return jupyter;
}

/** The Python that runs `jupyter` (its shebang), which has nbclient. */
function pythonOf(jupyter: string): string {
  const shebang = readFileSync(jupyter, "utf8").split("\n", 1)[0];
  return /^#!\s*(\S*python[\d.]*)\s*$/.exec(shebang)?.[1] ?? "python3";
}

/**
 * nbclient, with one fix: an output that arrives after its cell's "idle" message (Deno's kernel sends some
 * late under load; nbclient would drop them) is put into the cell it belongs to, found by its parent
 * message id. A trailing no-op cell, removed again, gives the last cell's late outputs a place to land.
 */
const RUNNER = `
import sys, nbformat, nbclient
from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async

class LateOutputClient(nbclient.NotebookClient):
    cells_by_parent = {}

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        self.cells_by_parent[parent_msg_id] = (cell, cell_index)
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            parent = msg["parent_header"].get("msg_id")
            if parent == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    return
            elif parent in self.cells_by_parent and msg["msg_type"] != "status":
                late_cell, late_index = self.cells_by_parent[parent]
                try:
                    self.process_message(msg, late_cell, late_index)
                except CellExecutionComplete:
                    pass

source, target, kernel, timeout, allow = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1"
nb = nbformat.read(source, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell("void 0;"))
client = LateOutputClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=allow, resources={"metadata": {"path": sys.argv[6]}})
try:
    client.execute()
finally:
    nb.cells.pop()
    nbformat.write(nb, target)
`;

export interface NotebookRun {
  executedPath: string;
  seconds: number;
}

function execute(jupyter: string, notebookPath: string, executedPath: string, kernel: ProjectKernel, env: NodeJS.ProcessEnv, allowErrors: boolean) {
  const args = ["-c", RUNNER, notebookPath, executedPath, kernel, String(CELL_TIMEOUT_SECONDS), allowErrors ? "1" : "0", dirname(notebookPath)];
  return spawnSync(pythonOf(jupyter), args, { env, encoding: "utf8", timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Executes `notebookPath` on `kernel` into `outDir` (same file name) with `env` added to the project's
 * Jupyter environment. Throws on any cell error, naming the cell and quoting its error.
 */
export function runNotebook(jupyter: string, notebookPath: string, outDir: string, env: NodeJS.ProcessEnv, kernel: ProjectKernel = "tslab"): NotebookRun {
  mkdirSync(outDir, { recursive: true });
  const fullEnv = { ...projectJupyterEnv(), ...env };
  const executedPath = join(outDir, basename(notebookPath));
  const started = performance.now();
  const run = execute(jupyter, notebookPath, executedPath, kernel, fullEnv, false);
  const seconds = (performance.now() - started) / 1000;
  if (run.status === 0) return { executedPath, seconds };

  // nbclient names the failing cell but not the compile errors tslab prints on stderr: run once more,
  // keeping errors, and quote that cell's outputs.
  const nbclientError = /CellExecutionError: ([\s\S]*)$/.exec(run.stderr ?? "")?.[1]?.trim();
  const failedSource = nbclientError ? /\n-{10,}\n([\s\S]*?)\n-{10,}\n/.exec(nbclientError)?.[1] : undefined;
  let detail = "";
  if (failedSource !== undefined && execute(jupyter, notebookPath, executedPath, kernel, fullEnv, true).status === 0) {
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
    `${basename(notebookPath)} failed to run on ${kernel} (${reason}, after ${seconds.toFixed(1)} s)\n` +
      (detail || nbclientError || (run.stderr ?? "").split("\n").slice(-30).join("\n")),
  );
}
