/**
 * Notebook hygiene: the notebooks in `notebooks/` are committed without outputs, and using them in
 * JupyterLab (which autosaves outputs into the file) must never break `npm test`.
 *
 *   npm run notebooks:clean            strips outputs, execution counts and per-run metadata from every
 *                                      notebook in notebooks/, in place (what to run before `git add`)
 *   npm run notebooks:clean -- --check fails, naming the cells, when a notebook as git holds it (the
 *                                      index: staged, else committed) has outputs; the working copy JupyterLab
 *                                      saved is not looked at
 *   ... --filter                       stdin to stdout: git's clean filter for notebooks/*.ipynb (.gitattributes),
 *                                      which `npm install` registers in this checkout's .git/config
 *
 * Two layers, as nbstripout does it: the clean filter makes git see a notebook JupyterLab saved with outputs
 * as the committed one (`git status` stays clean, `git add` stores no outputs); and the check reads git's copy,
 * not the working file, so it holds even in a clone where the filter is not registered (npm install not run).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

export const PROJECT_ROOT = resolve(__dirname, "..");

interface NotebookJson {
  cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null; metadata?: Record<string, unknown> }[];
  metadata?: Record<string, unknown>;
}

/** The notebooks of a folder, sorted, as paths relative to `root`. */
export function notebookPaths(root: string = PROJECT_ROOT, folder = "notebooks"): string[] {
  return readdirSync(join(root, folder))
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => join(folder, name));
}

/** 1-based numbers of the code cells that carry outputs or an execution count. */
export function cellsWithOutputs(notebook: NotebookJson): number[] {
  return notebook.cells
    .map((cell, index) => ({ cell, index }))
    .filter(({ cell }) => cell.cell_type === "code" && ((cell.outputs?.length ?? 0) > 0 || (cell.execution_count ?? null) !== null))
    .map(({ index }) => index + 1);
}

/** The notebook with no outputs, no execution counts and no per-run cell metadata (execution times, scroll state). */
export function stripOutputs<T extends NotebookJson>(notebook: T): T {
  for (const cell of notebook.cells) {
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.metadata) for (const key of ["execution", "collapsed", "scrolled", "ExecuteTime"]) delete cell.metadata[key];
  }
  // What a kernel adds about itself when it runs (its version, editor and exporter hints) changes with each
  // machine and each run: keep only what names the language.
  if (notebook.metadata?.language_info && typeof notebook.metadata.language_info === "object") {
    for (const key of ["version", "codemirror_mode", "pygments_lexer", "nbconvert_exporter"]) delete (notebook.metadata.language_info as Record<string, unknown>)[key];
  }
  return notebook;
}

/** Jupyter's own layout (one-space indent, a final newline), so a clean notebook diffs to nothing. */
export function notebookText(notebook: NotebookJson): string {
  return JSON.stringify(notebook, null, 1) + "\n";
}

/**
 * The notebook as git holds it: the staged blob (`git show :path`), which is the committed one unless the
 * user staged a change. Undefined outside a git checkout or for a file git does not track.
 */
export function trackedNotebookText(root: string, path: string): string | undefined {
  const show = spawnSync("git", ["show", `:${path.split("\\").join("/")}`], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return show.status === 0 ? show.stdout : undefined;
}

/** Each tracked notebook whose git copy has outputs, with its cells; untracked notebooks are read from disk. */
export function notebooksWithOutputs(root: string = PROJECT_ROOT): { path: string; cells: number[] }[] {
  return notebookPaths(root)
    .map((path) => {
      const text = trackedNotebookText(root, path) ?? readFileSync(join(root, path), "utf8");
      return { path, cells: cellsWithOutputs(JSON.parse(text) as NotebookJson) };
    })
    .filter(({ cells }) => cells.length > 0);
}

/** Strips every notebook of `root`/notebooks in place; returns the ones that changed. */
export function cleanNotebooks(root: string = PROJECT_ROOT): string[] {
  const changed: string[] = [];
  for (const path of notebookPaths(root)) {
    const before = readFileSync(join(root, path), "utf8");
    const after = notebookText(stripOutputs(JSON.parse(before) as NotebookJson));
    if (after !== before) {
      writeFileSync(join(root, path), after);
      changed.push(path);
    }
  }
  return changed;
}

/** The clean filter: a notebook's text without outputs; anything that is not notebook JSON passes unchanged. */
export function filterNotebookText(text: string): string {
  try {
    const notebook = JSON.parse(text) as NotebookJson;
    return Array.isArray(notebook?.cells) ? notebookText(stripOutputs(notebook)) : text;
  } catch {
    return text; // a merge conflict or a half-written file: git keeps it as it is
  }
}

function main(args: string[]): number {
  if (args.includes("--filter")) {
    process.stdout.write(filterNotebookText(readFileSync(0, "utf8")));
    return 0;
  }
  const root = args.includes("--root") ? resolve(args[args.indexOf("--root") + 1]) : PROJECT_ROOT;
  if (args.includes("--check")) {
    const dirty = notebooksWithOutputs(root);
    for (const { path, cells } of dirty) {
      console.error(`${path}: cells ${cells.join(", ")} are committed with outputs; run \`npm run notebooks:clean\` and commit again`);
    }
    return dirty.length ? 1 : 0;
  }
  const changed = cleanNotebooks(root);
  console.log(changed.length ? `stripped outputs from ${changed.map((path) => relative(root, join(root, path))).join(", ")}` : "notebooks already clean");
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
