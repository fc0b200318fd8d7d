/**
 * `npm run bench`: every speed target of the project in one run, one benchmark after the other (each
 * interleaves its own contenders and prints its progress as it goes), then each one's figures
 * gathered at the end:
 * 1. classification (bench/classify.bench.ts): whole-process and in-process ratios against the stock
 *    transformers.js pipeline, the fraction of the bare ONNX forward ceiling, the q8 figures;
 * 2. the server (bench/server.bench.ts): throughput at 1, 4 and 16 clients with micro-batching on and
 *    off, /ping p99 under load, requests lost;
 * 3. evaluation (bench/evaluate.bench.ts): pairs per second first run and cached, peak memory; with
 *    `--old DIR` (another checkout of this project, e.g. `git worktree add --detach ../old <commit>`),
 *    the first-run rate against that code, side by side.
 *
 *   npm run bench [-- --quick] [-- --old DIR] [-- --only classify,server,evaluate]
 * `--quick` runs each benchmark small (a smoke run: the ratios are noisier).
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

const ROOT = resolve(__dirname, "..");

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    old: { type: "string" },
    only: { type: "string", default: "classify,server,evaluate" },
  },
});

interface Benchmark {
  name: string;
  script: string;
  args: string[];
}

const quick = values.quick;
const benchmarks: Benchmark[] = [
  { name: "classify", script: "bench/classify.bench.ts", args: quick ? ["--texts", "12", "--rounds", "1"] : ["--texts", "30", "--rounds", "3"] },
  { name: "server", script: "bench/server.bench.ts", args: quick ? ["--rounds", "1", "--seconds", "4"] : ["--rounds", "3", "--seconds", "15"] },
  {
    name: "evaluate",
    script: "bench/evaluate.bench.ts",
    args: [...(quick ? ["--limit", "20"] : ["--limit", "300"]), ...(values.old ? ["--old", resolve(values.old), "--rounds", quick ? "1" : "3"] : [])],
  },
];
const chosen = values.only.split(",").map((name) => name.trim());
const unknown = chosen.filter((name) => !benchmarks.some((benchmark) => benchmark.name === name));
if (unknown.length > 0) {
  console.error(`bench: no benchmark named ${unknown.join(", ")}: choose from ${benchmarks.map((b) => b.name).join(", ")}`);
  process.exit(2);
}

/** Runs one benchmark with its output shown as it comes; resolves with its stdout lines and exit code. */
function run(benchmark: Benchmark): Promise<{ lines: string[]; code: number }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ["--import", "tsx", benchmark.script, ...benchmark.args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      stdout += chunk.toString("utf8");
    });
    child.on("close", (code) => resolvePromise({ lines: stdout.split("\n"), code: code ?? 1 }));
  });
}

async function main(): Promise<void> {
  const summary: string[] = [];
  let failed = false;
  for (const benchmark of benchmarks.filter((b) => chosen.includes(b.name))) {
    const started = performance.now();
    console.log(`\n=== ${benchmark.name}: node --import tsx ${benchmark.script} ${benchmark.args.join(" ")}`);
    const { lines, code } = await run(benchmark);
    const seconds = (performance.now() - started) / 1000;
    console.log(`=== ${benchmark.name}: ${code === 0 ? "done" : `FAILED (exit code ${code})`} in ${seconds.toFixed(0)} s`);
    failed ||= code !== 0;
    // Each benchmark ends with its figures after a line that starts with "figures".
    const from = lines.map((line) => line.startsWith("figures")).lastIndexOf(true);
    const figures = from < 0 ? ["(no figures: see its output above)"] : lines.slice(from + 1).filter((line) => line.trim() !== "");
    summary.push(`${benchmark.name}:`, ...figures.map((line) => `  ${line.trim()}`));
  }
  console.log(`\n=== every benchmark's figures, as printed above:\n${summary.join("\n")}`);
  if (!values.old && chosen.includes("evaluate")) console.log("(evaluation's first-run ratio needs --old DIR: a checkout of the code to compare with)");
  process.exit(failed ? 1 : 0);
}

void main();
