#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner (through tsx): Node 20's --test takes no globs.
// --test-force-exit and a per-test timeout: a leaked handle or a stuck test fails the run instead of hanging CI.
// Arguments narrow the run to files whose path contains one of them: `npm test -- server cli`.
const { readdirSync, statSync } = require("node:fs");
const { join, relative } = require("node:path");
const { spawnSync } = require("node:child_process");

const root = join(__dirname, "..");
const filters = process.argv.slice(2);
function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name.startsWith(".") ? [] : find(path);
    return name.endsWith(".test.ts") ? [relative(root, path)] : [];
  });
}
const files = find(join(root, "test"))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(", ")}`);
  process.exit(1);
}
// Which Node ran the suite (the project supports 22.12+; `.ci/run` fetches one where the machine's is older).
console.error(`run-tests: node ${process.version}, ${files.length} test file(s)`);
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-force-exit", "--test-timeout=300000", ...files], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
