#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner (through tsx): Node 20's --test takes no globs.
//   node scripts/run-tests.js [FILTER...] [--exclude=PART...] [--concurrency=N] [--typecheck | --no-typecheck] [--build]
// - FILTERs narrow the run to files whose path contains one of them: `npm test -- server cli`;
//   --exclude=PART leaves out files whose path contains PART: `npm test -- --exclude=test/notebooks/`.
// - Test files run in groups, one Node process per group (node:test's isolation "none"), N groups side
//   by side (default: the number of CPUs + 1). Starting a process, tsx and the modules a file imports
//   cost 0.2-0.6 s of CPU per file: once per file that was about half the suite's CPU time; once per group
//   of neighbouring files (which import the same modules) it is a few seconds in all. A group runs its
//   files one after another, so a test that sets an environment variable or mocks a timer (and restores
//   it) never overlaps another file's test; each file uses its own temporary directories and port 0.
//   Files in OWN_PROCESS assert what a fresh process has loaded, so each gets a process of its own.
//   No test bounds a wall-clock time: states are held by barriers. The files in LAST run afterwards,
//   LAST_CONCURRENCY at a time, each in its own process: the notebook tests (each keeps a Jupyter
//   kernel and its client busy, about one core; tslab's and Deno's runs are separate files).
// - A full run (no FILTER) first typechecks src, tests, benchmarks and scripts (tsconfig.test.json); with
//   --build (`npm test`) it builds dist/ meanwhile (two compilers, one core each), which the package and
//   README tests read.
// - --test-force-exit and a per-test timeout: a leaked handle or a stuck test fails the run instead of hanging CI.
const { readdirSync, rmSync, statSync } = require("node:fs");
const { availableParallelism, cpus } = require("node:os");
const { join, relative, resolve, sep } = require("node:path");
const { spawn, spawnSync } = require("node:child_process");

const root = join(__dirname, "..");
const args = process.argv.slice(2);
const filters = args.filter((arg) => !arg.startsWith("--"));
const option = (name) => args.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
const cores = typeof availableParallelism === "function" ? availableParallelism() : cpus().length;
// One more file than cores: a file waiting on its child processes or a socket leaves a core to another.
const concurrency = Number((option("concurrency") ?? "").split("=")[1]) || cores + 1;
const excludes = args.filter((arg) => arg.startsWith("--exclude=")).map((arg) => arg.slice("--exclude=".length));
const typecheck = option("no-typecheck") ? false : option("typecheck") ? true : filters.length === 0;
const build = Boolean(option("build"));

/**
 * Files that spend most of their time waiting on child processes (emulators killed and restarted, servers,
 * a packed install): each is a group of its own, started first, so the other groups fill the cores meanwhile.
 */
const START_FIRST = [
  "test/emulator/resume.test.ts",
  "test/emulator/transformJob.test.ts",
  "test/emulator/transformDamage.test.ts",
  "test/server/abuse.test.ts",
  "test/package.test.ts",
  "test/workflow/batchTransform.test.ts",
  "test/cli/serve.test.ts",
];

/** Files that check which modules a command or a first call loads: they need a process nothing else has loaded into. */
const OWN_PROCESS = ["test/backends/local/transformers.test.ts", "test/cli/classify.test.ts", "test/data/danfo.test.ts"];

/** Most files in one group: small enough that the last groups end together, large enough that start-up is paid rarely. */
const GROUP_FILES = 12;

/** Test files that must not share the machine with the groups: run after them, in this order. */
const LAST = ["test/notebooks/tslab.test.ts", "test/notebooks/"];
/** How many of them at a time: each notebook run keeps about one core busy (measured: 61 s of CPU in 52 s). */
const LAST_CONCURRENCY = 2;

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name.startsWith(".") ? [] : find(path);
    return name.endsWith(".test.ts") ? [relative(root, path).split(sep).join("/")] : [];
  });
}
const files = find(join(root, "test"))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .filter((file) => !excludes.some((part) => file.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(", ")}`);
  process.exit(1);
}

// Every test process, its worker threads and the processes it starts load dependencies as Node does,
// with tsx compiling only the project's TypeScript (see dependencies-as-is.cjs: several times faster).
// They also share V8's compile cache (Node 22.1+) in the checkout's .cache/: each module is compiled once
// per run, not once per process. (V8 keys entries by file path, so a cache shared by clones would only
// grow, one copy per clone, without making a fresh clone faster: measured, 89-90 s against 87 s.)
const preload = `--require ${JSON.stringify(join(__dirname, "dependencies-as-is.cjs"))}`;
const env = {
  ...process.env,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(" "),
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(root, ".cache", "node-compile-cache"),
};

function report(what, started, status) {
  console.error(`# ${what}: ${status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status;
}

function step(what, command, commandArgs) {
  const started = Date.now();
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit", env });
  return report(what, started, result.status ?? 1);
}

/** Runs the steps side by side; resolves with the first failure's status, or 0. */
function steps(list) {
  return Promise.all(
    list.map(
      ([what, command, commandArgs]) =>
        new Promise((resolveStep) => {
          const started = Date.now();
          const child = spawn(command, commandArgs, { cwd: root, stdio: "inherit", env });
          child.on("error", () => resolveStep(report(what, started, 1)));
          child.on("close", (code) => resolveStep(report(what, started, code ?? 1)));
        }),
    ),
  ).then((statuses) => statuses.find((status) => status !== 0) ?? 0);
}

const node = process.execPath;
const runnerFlags = (n) => ["--import", "tsx", "--test", `--test-concurrency=${n}`, "--test-force-exit", "--test-timeout=300000"];
// Incremental: a re-run rechecks only what changed (the build info lives in .cache/, which git ignores).
const tsc = [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.test.json", "--incremental", "--tsBuildInfoFile", join(root, ".cache", "tsconfig.test.tsbuildinfo")];
const lastRank = (file) => LAST.findIndex((prefix) => file.startsWith(prefix));
const last = files.filter((file) => lastRank(file) >= 0).sort((a, b) => lastRank(a) - lastRank(b));
const parallel = files.filter((file) => !last.includes(file));

/**
 * The groups, in the order they start: the slow waiting files one by one, then the rest in path order
 * (neighbours share their imports) cut into groups of at most GROUP_FILES, then the own-process files.
 */
function groupsOf(list) {
  const first = START_FIRST.filter((file) => list.includes(file)).map((file) => [file]);
  const own = OWN_PROCESS.filter((file) => list.includes(file)).map((file) => [file]);
  const rest = list.filter((file) => !START_FIRST.includes(file) && !OWN_PROCESS.includes(file));
  const count = Math.ceil(rest.length / GROUP_FILES);
  const size = Math.ceil(rest.length / Math.max(1, count)); // groups of nearly equal size, not full ones and a stub
  const chunks = [];
  for (let i = 0; i < rest.length; i += size) chunks.push(rest.slice(i, i + size));
  return [...first, ...chunks, ...own];
}

/** node:test's summary lines ("ℹ tests 12", "ℹ pass 12", ...) of one group's output, as counts. */
function summaryOf(output) {
  const counts = {};
  for (const [, name, value] of output.matchAll(/^ℹ (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) counts[name] = Number(value);
  return counts;
}

/** The files of a failed group that node:test's summary names ("test at FILE:LINE:COL", or a file that failed to load), else the whole group. */
function failingFiles(output, group) {
  const named = new Set();
  for (const [, file] of output.matchAll(/^test at (.+?):\d+:\d+$/gm)) named.add(relative(root, resolve(root, file)).split(sep).join("/"));
  for (const [, file] of output.matchAll(/^✖ (\S+\.test\.ts) \(/gm)) named.add(relative(root, resolve(root, file)).split(sep).join("/"));
  const inGroup = group.filter((file) => named.has(file));
  return inGroup.length > 0 ? inGroup : group;
}

/**
 * Runs the groups, `n` processes at a time, each with isolation "none" (its files one after another in
 * one process). A group's output is printed whole when it ends, so groups never interleave their lines.
 */
function runGroups(groups, n) {
  const started = Date.now();
  const totals = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  const failed = [];
  let next = 0;
  let done = 0;
  return new Promise((resolveAll) => {
    const launch = () => {
      if (next >= groups.length) return;
      const index = next++;
      const group = groups[index];
      const groupStarted = Date.now();
      const child = spawn(node, [...runnerFlags(1), "--experimental-test-isolation=none", "--test-reporter=spec", ...group], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      const chunks = [];
      child.stdout.on("data", (chunk) => chunks.push(chunk));
      child.stderr.on("data", (chunk) => chunks.push(chunk));
      let finished = false;
      const finish = (code) => {
        if (finished) return; // "error" and "close" can both come
        finished = true;
        const output = Buffer.concat(chunks).toString();
        const counts = summaryOf(output);
        for (const name of Object.keys(totals)) totals[name] += counts[name] ?? 0;
        const ok = code === 0;
        if (!ok) failed.push(failingFiles(output, group));
        const what = group.length === 1 ? group[0] : `${group.length} files, ${group[0]} to ${group.at(-1)}`;
        process.stdout.write(output.endsWith("\n") || output === "" ? output : `${output}\n`);
        console.error(`# group ${index + 1}/${groups.length} (${what}): ${ok ? "ok" : "FAILED"}, ${counts.tests ?? 0} tests in ${((Date.now() - groupStarted) / 1000).toFixed(1)} s`);
        done += 1;
        if (done === groups.length) {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          const fileCount = groups.reduce((sum, g) => sum + g.length, 0);
          console.error(
            `# ${fileCount} test files in ${groups.length} processes, ${n} at a time: ${totals.tests} tests, ${totals.pass} pass, ${totals.fail} fail, ${totals.cancelled} cancelled, ${totals.skipped} skipped: ${failed.length === 0 ? "ok" : "FAILED"} in ${seconds} s`,
          );
          for (const group of failed) console.error(`# FAILED: ${group.join(" ")}`);
          resolveAll(failed.length === 0 ? 0 : 1);
        } else {
          launch();
        }
      };
      child.on("error", (error) => {
        chunks.push(Buffer.from(`${error}\n`));
        finish(1);
      });
      child.on("close", (code) => finish(code ?? 1));
    };
    for (let i = 0; i < Math.min(n, groups.length); i++) launch();
  });
}

async function main() {
  // As `npm run build` does: a fresh dist/, so no file of a deleted source lingers in it.
  if (build) rmSync(join(root, "dist"), { recursive: true, force: true });
  const before = [
    // With the typecheck beside it (which covers src/ too), the build only emits: --noCheck writes the same files, in 2/3 of the time.
    ...(build ? [["build (tsconfig.json, into dist/)", node, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", ...(typecheck ? ["--noCheck"] : [])]]] : []),
    ...(typecheck ? [["typecheck (tsconfig.test.json)", node, tsc]] : []),
    ["test models", node, ["--import", "tsx", "test/helpers/prepareModels.ts"]],
  ];
  if ((await steps(before)) !== 0) process.exit(1);
  // Which Node ran the suite (the project supports 22.12+; `.ci/run` fetches one where the machine's is older).
  console.error(`run-tests: node ${process.version}, ${files.length} test file(s)`);
  let status = 0;
  if (parallel.length > 0) status = await runGroups(groupsOf(parallel), concurrency);
  const lastConcurrency = Math.min(LAST_CONCURRENCY, cores);
  if (last.length > 0) status = step(`${last.length} test files, ${lastConcurrency} at a time`, node, [...runnerFlags(lastConcurrency), ...last]) || status;
  process.exit(status);
}

void main();
