/**
 * Registers the tslab TypeScript kernel ("tslab", shown as "TypeScript") with Jupyter.
 *
 *   npm run kernel               the user's Jupyter: `jupyter kernelspec install --user` (JupyterLab,
 *                                Notebook and VS Code all find it there)
 *   npm run kernel -- --local    the project's own `.jupyter/` only (what the notebook tests use; the
 *                                user's Jupyter is never touched). Use it with `projectJupyterEnv()`.
 *   --jupyter PATH               which `jupyter` to register with (default: $JUPYTER, `jupyter` on PATH,
 *                                then Debian's /usr/bin/jupyter)
 *
 * The kernel runs this checkout's tslab (node_modules) with the Node that ran this script, by absolute
 * paths, so Jupyter started from a desktop launcher or VS Code finds it without `node` on its PATH.
 * Run it again after moving the checkout or switching Node versions.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";

export const PROJECT_ROOT = resolve(__dirname, "..");
/** The project-local Jupyter folder (gitignored): kernelspec under share/jupyter, plus config and runtime dirs. */
export const PROJECT_JUPYTER_DIR = join(PROJECT_ROOT, ".jupyter");
export const KERNEL_NAME = "tslab";

/** The tslab executable in node_modules. */
export function tslabBinary(): string {
  return join(dirname(require.resolve("tslab/package.json", { paths: [PROJECT_ROOT] })), "bin", "tslab");
}

/** The kernel.json Jupyter starts the kernel from. */
export function kernelSpec(node: string = process.execPath, tslab: string = tslabBinary()): Record<string, unknown> {
  return {
    // {connection_file} is its own argument: tslab's own installer does the same (tslab issue #36).
    argv: [node, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript",
    language: "typescript",
  };
}

function writeKernelSpec(dir: string): string {
  const kernelDir = join(dir, KERNEL_NAME);
  mkdirSync(kernelDir, { recursive: true });
  writeFileSync(join(kernelDir, "kernel.json"), JSON.stringify(kernelSpec(), null, 2) + "\n");
  return kernelDir;
}

/** Writes the kernelspec into the project's `.jupyter/share/jupyter/kernels/`; returns its folder. */
export function installProjectKernel(): string {
  return writeKernelSpec(join(PROJECT_JUPYTER_DIR, "share", "jupyter", "kernels"));
}

/**
 * Environment for a Jupyter that sees only the project's kernel and keeps its config, data and runtime
 * files inside `.jupyter/`, away from the user's own Jupyter set-up.
 */
export function projectJupyterEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    JUPYTER_PATH: join(PROJECT_JUPYTER_DIR, "share", "jupyter"),
    JUPYTER_DATA_DIR: join(PROJECT_JUPYTER_DIR, "data"),
    JUPYTER_CONFIG_DIR: join(PROJECT_JUPYTER_DIR, "config"),
    JUPYTER_RUNTIME_DIR: join(PROJECT_JUPYTER_DIR, "runtime"),
  };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `jupyter` candidates in order: $JUPYTER, each `jupyter` on PATH, Debian's /usr/bin/jupyter. */
export function jupyterCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const onPath = (env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, "jupyter"));
  const all = [env.JUPYTER, ...onPath, "/usr/bin/jupyter"].filter((path): path is string => !!path && isExecutable(path));
  return [...new Set(all)];
}

/** The first `jupyter` whose `subcommand --version` works (e.g. `kernelspec`, `nbconvert`), or undefined. */
export function findJupyter(subcommand: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return jupyterCandidates(env).find((jupyter) => spawnSync(jupyter, [subcommand, "--version"], { encoding: "utf8", timeout: 30_000 }).status === 0);
}

/** Registers the kernel with the user's Jupyter through `jupyter kernelspec install --user`. */
export function installUserKernel(jupyter: string): void {
  const staging = mkdtempSync(join(tmpdir(), "tslab-kernelspec-"));
  try {
    const kernelDir = writeKernelSpec(staging);
    const result = spawnSync(jupyter, ["kernelspec", "install", "--user", "--replace", "--name", KERNEL_NAME, kernelDir], { stdio: "inherit" });
    if (result.status !== 0) throw new Error(`${jupyter} kernelspec install failed (exit ${result.status ?? result.signal})`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

const NO_JUPYTER =
  "no working `jupyter` found (tried $JUPYTER, PATH and /usr/bin/jupyter). Install one: `pip install jupyterlab`, or on " +
  "Debian/Ubuntu `apt-get install jupyter-notebook` (or the packages .ci/run installs); or pass --jupyter PATH.";

function main(args: string[]): void {
  const jupyterFlag = args.indexOf("--jupyter");
  const env = jupyterFlag >= 0 ? { ...process.env, JUPYTER: args[jupyterFlag + 1] } : process.env;
  if (args.includes("--local")) {
    const dir = installProjectKernel();
    console.log(`Registered the tslab kernel for this project only: ${dir}`);
    console.log(`Jupyter sees it with JUPYTER_PATH=${join(PROJECT_JUPYTER_DIR, "share", "jupyter")}`);
    return;
  }
  const jupyter = findJupyter("kernelspec", env);
  if (!jupyter) {
    console.error(`zero-shot kernel: ${NO_JUPYTER}`);
    process.exit(1);
  }
  installUserKernel(jupyter);
  console.log(`Registered the "TypeScript" kernel (tslab) with ${jupyter}; it runs ${tslabBinary()} on ${process.execPath}.`);
  console.log(`Check with: ${jupyter} kernelspec list`);
}

if (require.main === module) main(process.argv.slice(2));
