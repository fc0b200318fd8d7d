/**
 * Registers the project's two Jupyter kernels: tslab ("tslab", shown as "TypeScript": type-checked cells,
 * the notebooks' own kernel) and Deno's kernel ("deno", shown as "Deno": top-level await, ES modules,
 * results as results). The same notebooks run on both.
 *
 *   npm run kernel               the user's Jupyter: `jupyter kernelspec install --user` (JupyterLab,
 *                                Notebook and VS Code all find it there)
 *   npm run kernel -- --local    the project's own `.jupyter/` only (what the notebook tests use; the
 *                                user's Jupyter is never touched). Use it with `projectJupyterEnv()`.
 *   --jupyter PATH               which `jupyter` to register with (default: $JUPYTER, `jupyter` on PATH,
 *                                then Debian's /usr/bin/jupyter)
 *
 * The kernels run this checkout's tslab (with the Node that ran this script) and Deno (the `deno` dev
 * dependency's binary), by absolute paths, so Jupyter started from a desktop launcher or VS Code finds
 * them without `node` or `deno` on its PATH. Run it again after moving the checkout or switching Node.
 *
 * It also links the package into its own node_modules (node_modules/zero-shot-ts -> ..), so notebook
 * cells import it by name, `import * as notebook from "zero-shot-ts/notebook"`, exactly as a user of the
 * published package would: tslab type-checks with Node10 resolution (the link plus package.json's
 * `typesVersions`), Node and Deno load through package.json's `exports`.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { writeFileAtomically } from "../src/io/atomicFile";

export const PROJECT_ROOT = resolve(__dirname, "..");
/** The project-local Jupyter folder (gitignored): kernelspec under share/jupyter, plus config and runtime dirs. */
export const PROJECT_JUPYTER_DIR = join(PROJECT_ROOT, ".jupyter");
export const KERNEL_NAME = "tslab";
export const DENO_KERNEL_NAME = "deno";
/** Both kernels, tslab first: the notebooks' own kernelspec names tslab. */
export const KERNEL_NAMES = [KERNEL_NAME, DENO_KERNEL_NAME] as const;
export type ProjectKernel = (typeof KERNEL_NAMES)[number];

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

/** The Deno binary of the `deno` dev dependency (its per-platform package ships it; no download). */
export function denoBinary(): string {
  const packageDir = dirname(require.resolve("deno/package.json", { paths: [PROJECT_ROOT] }));
  const linked = join(packageDir, process.platform === "win32" ? "deno.exe" : "deno");
  if (existsSync(linked)) return linked;
  // Install scripts blocked: ask the package where its platform binary is (it links it, nothing is fetched).
  return (require(join(packageDir, "install_api.cjs")) as { runInstall(): string }).runInstall();
}

/** The kernel.json of Deno's Jupyter kernel. */
export function denoKernelSpec(deno: string = denoBinary()): Record<string, unknown> {
  return {
    argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
    env: { DENO_NO_UPDATE_CHECK: "1" },
  };
}

function writeKernelSpec(dir: string, name: ProjectKernel = KERNEL_NAME): string {
  const kernelDir = join(dir, name);
  // Atomically: a notebook run in another process may be reading it (the notebook tests run side by side).
  writeFileAtomically(join(kernelDir, "kernel.json"), JSON.stringify(name === KERNEL_NAME ? kernelSpec() : denoKernelSpec(), null, 2) + "\n");
  return kernelDir;
}

/**
 * Makes `zero-shot-ts` importable by name from anywhere in the checkout (the notebooks): a link
 * node_modules/zero-shot-ts -> .. . A real folder there (an installed copy) is left alone. Returns the link.
 */
export function linkPackageIntoNodeModules(root: string = PROJECT_ROOT): string {
  const link = join(root, "node_modules", "zero-shot-ts");
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(link);
  } catch {
    existing = undefined;
  }
  if (existing && !existing.isSymbolicLink()) return link;
  if (existing && readlinkSync(link) === "..") return link;
  if (existing) rmSync(link);
  mkdirSync(dirname(link), { recursive: true });
  try {
    symlinkSync("..", link, "dir");
  } catch (error) {
    // Another process (a notebook test beside this one) made the same link meanwhile.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST" || readlinkSync(link) !== "..") throw error;
  }
  return link;
}

/** Writes both kernelspecs into the project's `.jupyter/share/jupyter/kernels/` and links the package; returns the tslab folder. */
export function installProjectKernel(): string {
  linkPackageIntoNodeModules();
  const dir = join(PROJECT_JUPYTER_DIR, "share", "jupyter", "kernels");
  writeKernelSpec(dir, DENO_KERNEL_NAME);
  return writeKernelSpec(dir, KERNEL_NAME);
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

/** Registers both kernels with the user's Jupyter through `jupyter kernelspec install --user`, and links the package. */
export function installUserKernel(jupyter: string): void {
  linkPackageIntoNodeModules();
  const staging = mkdtempSync(join(tmpdir(), "zero-shot-kernelspec-"));
  try {
    for (const name of KERNEL_NAMES) {
      const kernelDir = writeKernelSpec(staging, name);
      const result = spawnSync(jupyter, ["kernelspec", "install", "--user", "--replace", "--name", name, kernelDir], { stdio: "inherit" });
      if (result.status !== 0) throw new Error(`${jupyter} kernelspec install failed for ${name} (exit ${result.status ?? result.signal})`);
    }
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
    console.log(`Registered the tslab and Deno kernels for this project only: ${dirname(dir)}`);
    console.log(`Jupyter sees it with JUPYTER_PATH=${join(PROJECT_JUPYTER_DIR, "share", "jupyter")}`);
    return;
  }
  const jupyter = findJupyter("kernelspec", env);
  if (!jupyter) {
    console.error(`zero-shot kernel: ${NO_JUPYTER}`);
    process.exit(1);
  }
  installUserKernel(jupyter);
  console.log(`Registered the "TypeScript" kernel (tslab, ${tslabBinary()} on ${process.execPath}) and the "Deno" kernel (${denoBinary()}) with ${jupyter}.`);
  console.log(`Notebooks import the package by name through ${join(PROJECT_ROOT, "node_modules", "zero-shot-ts")} -> ..`);
  console.log(`Check with: ${jupyter} kernelspec list`);
}

if (require.main === module) main(process.argv.slice(2));
