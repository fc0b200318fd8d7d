/**
 * `npm run kernel` (scripts/kernel.ts): both kernelspecs point at programs that run, and the package link
 * lets a notebook import `zero-shot-ts/notebook` by name, the way each kernel resolves it: Node's `exports`
 * (tslab's runtime, Deno) and TypeScript's Node10 resolution through `typesVersions` (tslab's type-check).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import ts from "typescript";
import { denoKernelSpec, installProjectKernel, kernelSpec, linkPackageIntoNodeModules, PROJECT_JUPYTER_DIR, PROJECT_ROOT } from "../../scripts/kernel";

const NOTEBOOKS = join(PROJECT_ROOT, "notebooks");
const scratch = mkdtempSync(join(tmpdir(), "zs-kernel-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe("npm run kernel", () => {
  it("registers tslab and Deno in the project's Jupyter folder, each by absolute paths that run", () => {
    installProjectKernel();
    const kernels = join(PROJECT_JUPYTER_DIR, "share", "jupyter", "kernels");
    type Spec = { argv: string[]; display_name: string };
    const tslab = JSON.parse(readFileSync(join(kernels, "tslab", "kernel.json"), "utf8")) as Spec;
    const deno = JSON.parse(readFileSync(join(kernels, "deno", "kernel.json"), "utf8")) as Spec;
    assert.deepEqual(tslab, kernelSpec());
    assert.deepEqual(deno, denoKernelSpec());
    assert.equal(tslab.display_name, "TypeScript");
    assert.equal(deno.display_name, "Deno");
    assert.deepEqual(deno.argv.slice(1), ["jupyter", "--kernel", "--conn", "{connection_file}"]);
    const version = spawnSync(deno.argv[0], ["--version"], { encoding: "utf8" });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /^deno 2\./);
    assert.ok(existsSync(tslab.argv[1]), tslab.argv[1]);
  });

  it("links the package into its own node_modules, once, and leaves an installed copy alone", () => {
    const root = join(scratch, "checkout");
    mkdirSync(root);
    const link = linkPackageIntoNodeModules(root);
    assert.equal(readlinkSync(link), "..");
    assert.equal(linkPackageIntoNodeModules(root), link);
    rmSync(link);
    mkdirSync(link);
    linkPackageIntoNodeModules(root);
    assert.ok(lstatSync(link).isDirectory() && !lstatSync(link).isSymbolicLink());
  });

  it("makes `zero-shot-ts/notebook` resolve from notebooks/ at run time (exports) and for tslab's type-check (Node10, typesVersions)", () => {
    linkPackageIntoNodeModules();
    assert.equal(require.resolve("zero-shot-ts/notebook", { paths: [NOTEBOOKS] }), join(PROJECT_ROOT, "dist", "notebook", "index.js"));
    assert.equal(require.resolve("zero-shot-ts/sagemaker", { paths: [NOTEBOOKS] }), join(PROJECT_ROOT, "dist", "sagemaker.js"));
    const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
    const typesOf = (name: string) => ts.resolveModuleName(name, join(NOTEBOOKS, "cell.ts"), options, ts.sys).resolvedModule?.resolvedFileName;
    assert.equal(typesOf("zero-shot-ts/notebook"), join(PROJECT_ROOT, "dist", "notebook", "index.d.ts"));
    assert.equal(typesOf("zero-shot-ts/sagemaker"), join(PROJECT_ROOT, "dist", "sagemaker.d.ts"));
    assert.equal(typesOf("zero-shot-ts"), join(PROJECT_ROOT, "dist", "index.d.ts"));
  });
});
