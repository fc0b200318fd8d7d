/**
 * The README tells the truth: every ```ts snippet in it type-checks, as written, against the package's
 * public API: `zero-shot-ts` and its subpaths, mapped to the declarations of the build a user installs
 * (dist/*.d.ts; `npm test` builds first, as test/package.test.ts needs too).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, describe, it } from "node:test";

const ROOT = resolve(__dirname, "..");
const WORK = join(ROOT, ".cache", "readme-snippets");

/** The ```ts blocks of a Markdown text, with the line each starts on. */
export function typeScriptSnippets(markdown: string): { line: number; code: string }[] {
  const snippets: { line: number; code: string }[] = [];
  const pattern = /^```ts\n([\s\S]*?)^```/gm;
  for (const match of markdown.matchAll(pattern)) {
    snippets.push({ line: markdown.slice(0, match.index).split("\n").length, code: match[1] });
  }
  return snippets;
}

describe("the README's TypeScript snippets", () => {
  after(() => rmSync(WORK, { recursive: true, force: true }));

  it("finds them", () => {
    const snippets = typeScriptSnippets(readFileSync(join(ROOT, "README.md"), "utf8"));
    assert.ok(snippets.length >= 4, `only ${snippets.length} snippets found`);
  });

  it("type-check as written against the public API", () => {
    const snippets = typeScriptSnippets(readFileSync(join(ROOT, "README.md"), "utf8"));
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    const files = snippets.map(({ line, code }) => {
      const file = `readme-line-${line}.mts`;
      writeFileSync(join(WORK, file), `${code}\nexport {};\n`);
      return file;
    });
    writeFileSync(
      join(WORK, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          resolveJsonModule: true,
          types: ["node"],
          typeRoots: [join(ROOT, "node_modules", "@types")],
          baseUrl: ROOT,
          paths: {
            "zero-shot-ts": ["dist/index.d.ts"],
            "zero-shot-ts/sagemaker": ["dist/sagemaker.d.ts"],
            "zero-shot-ts/charts": ["dist/charts/index.d.ts"],
            "zero-shot-ts/notebook": ["dist/notebook/index.d.ts"],
            "zero-shot-ts/testing": ["dist/testing.d.ts"],
          },
        },
        files,
      }),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", WORK], { encoding: "utf8" });
    assert.equal(run.status, 0, `README snippets do not type-check (file names give the README line):\n${run.stdout}${run.stderr}`);
  });
});
