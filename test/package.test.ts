/**
 * The declared package: `npm pack` holds the build, README and licence only, and the packed package,
 * installed into a temporary project, classifies through its public API and subpaths.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";

const ROOT = resolve(__dirname, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

describe("the packed package", () => {
  let project: string;
  let files: string[];

  before(() => {
    project = mkdtempSync(join(tmpdir(), "zero-shot-pack-"));
    // dist/ is built by `npm test`; --ignore-scripts skips a second build.
    const packed = JSON.parse(execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", project], { cwd: ROOT, encoding: "utf8" }));
    files = packed[0].files.map((file: { path: string }) => file.path);
    const installed = join(project, "node_modules", "zero-shot-ts");
    mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", join(project, packed[0].filename), "-C", installed, "--strip-components=1"]);
    // The package's dependencies, as `npm install` would place them beside it (already installed here).
    for (const name of readdirSync(join(ROOT, "node_modules"))) {
      if (name.startsWith(".") || name === "zero-shot-ts") continue;
      symlinkSync(join(ROOT, "node_modules", name), join(project, "node_modules", name));
    }
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "uses-zero-shot", private: true }));
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  it("holds the build, README and licence only", () => {
    const outside = files.filter((file) => !file.startsWith("dist/") && !["README.md", "LICENSE", "package.json"].includes(file));
    assert.deepEqual(outside, []);
    assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts"));
    assert.ok(files.includes("dist/cli/main.js"), "the zero-shot command ships");
    assert.equal(files.filter((file) => file.endsWith(".map")).length, 0, "no source maps without their sources");
  });

  it("classifies through the public API from a temporary project", () => {
    const script = `
      const { loadClassifier, toZeroShotRequest } = require("zero-shot-ts");
      const { ensureTestModel } = require("zero-shot-ts/testing");
      const { sageMakerClients, startLocalSageMaker } = require("zero-shot-ts/sagemaker");
      const charts = require("zero-shot-ts/charts");
      const notebook = require("zero-shot-ts/notebook");
      (async () => {
        const dir = ensureTestModel("tiny-bert-nli", ${JSON.stringify(join(ROOT, ".cache", "test-models"))});
        const classifier = await loadClassifier(dir);
        const answer = await classifier.answer(toZeroShotRequest("I will run a marathon", ["Health", "Finance"]));
        const types = [typeof sageMakerClients, typeof startLocalSageMaker, typeof charts.confusionMatrixChart, typeof notebook.displayChart];
        let privatePath = "exported";
        try { require("zero-shot-ts/dist/index.js"); } catch (error) { privatePath = error.code; }
        console.log(JSON.stringify({ answer, types, privatePath }));
      })().catch((error) => { console.error(error); process.exit(1); });`;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const { answer, types, privatePath } = JSON.parse(run.stdout.trim().split("\n").pop()!);
    assert.equal(answer.sequence, "I will run a marathon");
    assert.deepEqual([...answer.labels].sort(), ["Finance", "Health"]);
    assert.ok(Math.abs(answer.scores[0] + answer.scores[1] - 1) < 1e-6, "single-label scores sum to 1");
    assert.deepEqual(types, ["function", "function", "function", "function"]);
    assert.equal(privatePath, "ERR_PACKAGE_PATH_NOT_EXPORTED", "only the declared subpaths are importable");
  });

  it("type-checks a TypeScript user of the subpaths", () => {
    writeFileSync(
      join(project, "use.ts"),
      [
        'import { loadClassifier, type ZeroShotResult } from "zero-shot-ts";',
        'import { deployModel } from "zero-shot-ts/sagemaker";',
        'import { confusionMatrixChart } from "zero-shot-ts/charts";',
        'import { generateNliModel } from "zero-shot-ts/testing";',
        "export const used: unknown[] = [loadClassifier, deployModel, confusionMatrixChart, generateNliModel];",
        'export const result: ZeroShotResult = { sequence: "s", labels: ["a"], scores: [1] };',
      ].join("\n"),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--module", "node16", "--moduleResolution", "node16", "--types", "node", "use.ts"], {
      cwd: project,
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });
});
