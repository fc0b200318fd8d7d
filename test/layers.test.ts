/**
 * The architecture as a test: every import in src/ points down the layer table (or stays in its own
 * folder), no import cycle exists, and the modules a notebook or a metrics script loads first do not
 * pull in the native ONNX runtime.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";

const ROOT = resolve(__dirname, "..");
const SRC = join(ROOT, "src");

/**
 * Layers, bottom first. A module may import from its own folder or from a lower layer. The longest
 * matching prefix of a path under src/ names its layer.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ["errors", "io", "payload/types"],
  ["nli", "aws", "jumpstart"],
  ["payload", "models"],
  ["classification"],
  ["scorers", "backends", "data"],
  ["evaluation", "charts"],
  ["report", "server", "workflow"],
  ["emulator"],
  ["notebook", "cli", "index", "sagemaker", "testing"],
];

function layerOf(module: string): { prefix: string; rank: number } {
  let best: { prefix: string; rank: number } | undefined;
  LAYERS.forEach((prefixes, rank) => {
    for (const prefix of prefixes) {
      if ((module === prefix || module.startsWith(`${prefix}/`)) && (!best || prefix.length > best.prefix.length)) best = { prefix, rank };
    }
  });
  if (!best) throw new Error(`src/${module} is in no layer: add its folder to LAYERS in test/layers.test.ts`);
  return best;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Module ids (paths under src/ without `.ts`) that a file imports or re-exports from src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"(\.[^"]+)"/g), ...text.matchAll(/require\("(\.[^"]+)"\)/g)].map((m) => m[1]);
  return specifiers.map((specifier) => {
    const target = resolve(dirname(file), specifier);
    const path = existsSync(`${target}.ts`) ? `${target}.ts` : join(target, "index.ts");
    return moduleId(path);
  });
}

function moduleId(path: string): string {
  return relative(SRC, path).replace(/\.ts$/, "").replace(/\/index$/, "");
}

const graph = new Map(sourceFiles(SRC).map((file) => [moduleId(file), importsOf(file)]));

describe("the layers of src/", () => {
  it("finds the modules and their imports", () => {
    assert.ok(graph.size > 80, `only ${graph.size} modules found`);
    assert.ok((graph.get("classification/classify") ?? []).includes("nli/scores"));
  });

  it("has no import that points up a layer", () => {
    const upward: string[] = [];
    for (const [module, imports] of graph) {
      const from = layerOf(module);
      for (const target of imports) {
        const to = layerOf(target);
        if (to.prefix !== from.prefix && to.rank > from.rank) upward.push(`src/${module} (layer ${from.rank}) imports src/${target} (layer ${to.rank})`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it("has no import cycle", () => {
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (module: string, path: string[]): void => {
      if (state.get(module) === "done") return;
      if (state.get(module) === "open") {
        cycles.push([...path.slice(path.indexOf(module)), module].join(" -> "));
        return;
      }
      state.set(module, "open");
      for (const target of graph.get(module) ?? []) visit(target, [...path, module]);
      state.set(module, "done");
    };
    for (const module of graph.keys()) visit(module, []);
    assert.deepEqual(cycles, []);
  });
});

describe("what an import loads", () => {
  // The built package: `npm test` builds dist/ first.
  for (const entry of ["evaluation", "charts", "workflow", "report/htmlReport", "data", "scorers", "index"]) {
    it(`importing ${entry} loads no native runtime`, () => {
      const script =
        `require(${JSON.stringify(join(ROOT, "dist", entry))});` +
        `process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => /onnxruntime|@huggingface[\\\\/]transformers/.test(k))))`;
      const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), []);
    });
  }
});

describe("errors thrown in src/", () => {
  it("all belong to the project's error hierarchy (src/errors.ts), so servers and the CLI can blame the right party", () => {
    const foreign: string[] = [];
    for (const file of sourceFiles(SRC)) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, index) => {
          if (/throw new (Error|TypeError|RangeError|SyntaxError)\(/.test(line)) foreign.push(`${relative(ROOT, file)}:${index + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(foreign, []);
  });
});
