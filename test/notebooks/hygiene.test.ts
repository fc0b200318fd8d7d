/**
 * Using a notebook never breaks `npm test`: JupyterLab saves outputs into the working file, the check reads
 * git's copy, and `npm run notebooks:clean` takes the working file back to exactly what was committed.
 * A real git repository in a temporary folder, the real script.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { notebooksWithOutputs, PROJECT_ROOT } from "../../scripts/notebooks-clean";

const NOTEBOOK = "notebooks/01-nli-framework.ipynb";

/** What JupyterLab writes after "Run All" and save: outputs and execution counts in every code cell. */
function withOutputs(text: string): string {
  const notebook = JSON.parse(text) as { cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[] };
  let count = 0;
  for (const cell of notebook.cells.filter((c) => c.cell_type === "code")) {
    cell.execution_count = ++count;
    cell.outputs = [{ output_type: "stream", name: "stdout", text: ["random test model: scores are meaningless\n"] }];
  }
  return JSON.stringify(notebook, null, 1) + "\n";
}

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
const cleanScript = (root: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "scripts", "notebooks-clean.ts"), "--root", root, ...args], { encoding: "utf8" });

describe("notebook hygiene", () => {
  let repo: string;
  let committed: string;
  before(() => {
    repo = mkdtempSync(join(tmpdir(), "zs-nb-hygiene-"));
    mkdirSync(join(repo, "notebooks"));
    copyFileSync(join(PROJECT_ROOT, NOTEBOOK), join(repo, NOTEBOOK));
    git(repo, "init", "-q");
    git(repo, "add", ".");
    git(repo, "commit", "-qm", "clean notebook");
    committed = readFileSync(join(repo, NOTEBOOK), "utf8");
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it("a notebook saved with outputs in the working tree does not fail the check", () => {
    writeFileSync(join(repo, NOTEBOOK), withOutputs(committed));
    assert.deepEqual(notebooksWithOutputs(repo), []);
    assert.equal(cleanScript(repo, "--check").status, 0);
  });

  it("a notebook staged with outputs fails the check, naming its cells and the fix", () => {
    writeFileSync(join(repo, NOTEBOOK), withOutputs(committed));
    git(repo, "add", NOTEBOOK);
    const [dirty] = notebooksWithOutputs(repo);
    assert.equal(dirty.path, NOTEBOOK);
    assert.ok(dirty.cells.length > 10);
    const check = cleanScript(repo, "--check");
    assert.equal(check.status, 1);
    assert.match(check.stderr, /notebooks\/01-nli-framework\.ipynb: cells 3, .* are committed with outputs; run `npm run notebooks:clean`/);
    git(repo, "reset", "-q", NOTEBOOK);
  });

  it("notebooks:clean takes the saved notebook back to exactly the committed bytes", () => {
    writeFileSync(join(repo, NOTEBOOK), withOutputs(committed));
    const run = cleanScript(repo);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /stripped outputs from notebooks\/01-nli-framework\.ipynb/);
    assert.equal(readFileSync(join(repo, NOTEBOOK), "utf8"), committed);
    assert.equal(git(repo, "status", "--porcelain"), "");
  });

  it("with the clean filter npm install registers, git sees a notebook saved with outputs as the committed one", () => {
    const filtered = mkdtempSync(join(tmpdir(), "zs-nb-filter-"));
    try {
      mkdirSync(join(filtered, "notebooks"));
      copyFileSync(join(PROJECT_ROOT, NOTEBOOK), join(filtered, NOTEBOOK));
      copyFileSync(join(PROJECT_ROOT, ".gitattributes"), join(filtered, ".gitattributes"));
      git(filtered, "init", "-q");
      // As scripts/install-notebook-filter.js registers it, with the script's absolute path (this is another repository).
      git(filtered, "config", "filter.notebook-outputs.clean", `"${process.execPath}" --import "${pathToFileURL(join(PROJECT_ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href}" "${join(PROJECT_ROOT, "scripts", "notebooks-clean.ts")}" --filter`);
      git(filtered, "add", ".");
      git(filtered, "commit", "-qm", "clean notebook");
      const clean = readFileSync(join(filtered, NOTEBOOK), "utf8");
      // JupyterLab's save: outputs, execution counts and the kernel's own language_info details.
      const saved = JSON.parse(withOutputs(clean)) as { metadata: { language_info: Record<string, unknown> } };
      Object.assign(saved.metadata.language_info, { codemirror_mode: { name: "javascript", typescript: true }, version: "5.0.4" });
      writeFileSync(join(filtered, NOTEBOOK), JSON.stringify(saved, null, 1) + "\n");
      assert.equal(git(filtered, "diff", "--stat"), "", "git diff shows no change");
      git(filtered, "add", NOTEBOOK);
      assert.equal(git(filtered, "status", "--porcelain"), "", "adding it stages nothing");
      assert.equal(git(filtered, "show", `:${NOTEBOOK}`), clean, "the stored notebook has no outputs");
    } finally {
      rmSync(filtered, { recursive: true, force: true });
    }
  });

  it("npm install registers the filter in this checkout only, for notebooks only", () => {
    assert.equal(readFileSync(join(PROJECT_ROOT, ".gitattributes"), "utf8"), "notebooks/*.ipynb filter=notebook-outputs\n");
    const script = readFileSync(join(PROJECT_ROOT, "package.json"), "utf8");
    assert.match(script, /"prepare": "npm run build && node scripts\/install-notebook-filter\.js"/);
    // Outside a checkout of the project (an installed package), the script changes nothing.
    const outside = mkdtempSync(join(tmpdir(), "zs-nb-outside-"));
    try {
      mkdirSync(join(outside, "scripts"));
      copyFileSync(join(PROJECT_ROOT, "scripts", "install-notebook-filter.js"), join(outside, "scripts", "install-notebook-filter.js"));
      const run = spawnSync(process.execPath, [join(outside, "scripts", "install-notebook-filter.js")], { cwd: outside, encoding: "utf8" });
      assert.equal(run.status, 0);
      assert.equal(spawnSync("git", ["config", "--global", "--get", "filter.notebook-outputs.clean"], { encoding: "utf8" }).stdout, "");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("the project ignores checkpoints, executed copies and reports", () => {
    const ignored = ["notebooks/.ipynb_checkpoints/01-nli-framework-checkpoint.ipynb", "notebooks/.executed/01-nli-framework.ipynb", "report.html"];
    const checked = spawnSync("git", ["check-ignore", "--no-index", ...ignored], { cwd: PROJECT_ROOT, encoding: "utf8" });
    assert.deepEqual(checked.stdout.trim().split("\n"), ignored);
  });
});
