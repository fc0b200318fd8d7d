/**
 * Evaluation of the New Year's resolutions dataset (5,011 rows; 4,660 with one of the nine labels) at
 * dataset scale: every labelled text x nine labels x each template streams through the score cache
 * into the DistilBERT-base-sized generated model. The first run computes every pair, the re-run answers
 * them from disk (a new cache object, as a new process would open it). Prints pairs per second of both,
 * the speed-up and the peak memory. The cache starts empty (a fresh temporary directory) every time.
 *
 *   node --import tsx bench/evaluate.bench.ts [--data PATH] [--limit N] [--batch-size 32] [--dtype fp32|q8]
 *       [--templates "T1|T2"] [--threads N] [--old DIR [--rounds 2] [--also-threads N] [--also-batch-size N]]
 *
 * `--old DIR` measures another checkout of this project (for example the previous commit, in a git
 * worktree) side by side: its `bench/evaluate.bench.ts` and this one run in turn, each in a process of
 * its own, with one template (what both can do), and the first-run rates are compared round by round
 * (this checkout at fp32 and at q8). `--also-threads N` adds this checkout at fp32 with N threads per forward pass
 * (the default is one per physical core), to show what the thread choice gives;
 * `--also-batch-size N` adds this checkout at fp32 with N pairs per forward pass.
 *
 * The data: --data, else data/New-years-resolutions-DFE.csv (from `zero-shot data`), else
 * ../shared/data/new-years-resolutions/New-years-resolutions-DFE.csv beside the checkout.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LocalNliModel } from "../src/backends/local/localNliModel";
import { CachedScorer } from "../src/scorers/cachedScorer";
import { terminalProgress } from "../src/cli/progress";
import { loadResolutions } from "../src/data/load";
import { evaluate, type Evaluation } from "../src/evaluation/evaluate";
import { ensureTestModel } from "../src/models/generate/generate";
import { physicalCoreCount } from "../src/backends/local/sessionOptions";
import { median, peakRssMb } from "./common";

const ROOT = resolve(__dirname, "..");
const CANDIDATES = [join(ROOT, "data/New-years-resolutions-DFE.csv"), resolve(ROOT, "../shared/data/new-years-resolutions/New-years-resolutions-DFE.csv")];
const DEFAULT_TEMPLATES = "This example is {}.|This New Year's resolution is about {}.";

/** Progress on stderr as plain lines (every 10%) when it is not a terminal, so logs show the rate and ETA too. */
function progressLines(name: string): ((done: number, total: number) => void) & { finish(): void } {
  if (process.stderr.isTTY) return terminalProgress(name);
  const started = performance.now();
  let nextTenth = 1;
  const report = ((done: number, total: number) => {
    if (total === 0 || done < (nextTenth * total) / 10) return;
    while (done >= (nextTenth * total) / 10) nextTenth++;
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 1e-9);
    console.error(`  ${name}: ${done}/${total} pairs, ${rate.toFixed(0)} pairs/s, ETA ${((total - done) / Math.max(rate, 1e-9)).toFixed(0)} s`);
  }) as ((done: number, total: number) => void) & { finish(): void };
  report.finish = () => {};
  return report;
}

async function measure(dataPath: string, limit: number | undefined, batchSize: number, dtype: string, templates: string[], threadsOption?: number): Promise<number> {
  const dataset = loadResolutions(dataPath, { limit });
  const modelDir = ensureTestModel("distilbert-base-nli");
  const threads = threadsOption ?? physicalCoreCount();
  const model = await LocalNliModel.load(modelDir, { batchSize, dtype, threads });
  const cacheDir = mkdtempSync(join(tmpdir(), "zs-evaluate-bench-"));
  console.log(`data: ${dataPath}: ${dataset.totalRows} rows, ${dataset.frame.shape[0]} labelled, ${dataset.labels.length} labels; ${templates.length} template(s)`);
  console.log(`model: ${modelDir} (distilbert-base-nli, random weights, ${dtype}), batch size ${batchSize}, threads ${threads}${threadsOption ? "" : " (default)"}; cache: ${cacheDir}`);

  const run = async (name: string): Promise<{ seconds: number; computed: number; cached: number; evaluation: Evaluation }> => {
    // A new CachedScorer each run, as a new process would open the cache: only the disk carries over.
    const cache = new CachedScorer(model, { dir: cacheDir });
    const progress = progressLines(name);
    const started = performance.now();
    const evaluation = await evaluate(cache, dataset, { templates, onProgress: progress });
    const seconds = (performance.now() - started) / 1000;
    progress.finish();
    cache.close();
    return { seconds, computed: cache.totals.computed, cached: cache.totals.cached, evaluation };
  };
  try {
    const first = await run("first run");
    const second = await run("cached re-run");
    const pairs = first.evaluation.size * first.evaluation.labels.length * templates.length;
    const same = JSON.stringify(first.evaluation.templates.map((t) => t.confusion)) === JSON.stringify(second.evaluation.templates.map((t) => t.confusion));
    console.log("figures:");
    console.log(`pairs per run: ${pairs} (${first.evaluation.size} texts x ${first.evaluation.labels.length} labels x ${templates.length} templates)`);
    console.log(`first run:     ${first.seconds.toFixed(1)} s, ${first.computed} pairs computed, ${first.cached} from the cache (${(first.computed / first.seconds).toFixed(0)} pairs/s)`);
    console.log(`cached re-run: ${(second.seconds * 1000).toFixed(0)} ms, ${second.computed} pairs computed, ${second.cached} from the cache (${(pairs / second.seconds).toFixed(0)} pairs/s)`);
    const speedUp = first.seconds / second.seconds;
    console.log(`speed-up: ${speedUp.toFixed(0)}x (target >= 100x) ${speedUp >= 100 ? "OK" : "MISSED"}; same metrics: ${same ? "yes" : "NO"} (accuracy ${first.evaluation.templates[0].accuracy.toFixed(4)})`);
    console.log(`peak RSS: ${peakRssMb().toFixed(0)} MB`);
    return same && second.computed === 0 ? 0 : 1;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    await model.dispose();
  }
}

/** This checkout and `oldRoot` in turn, one template, each a process of its own; first-run pairs/s compared. */
function sideBySide(oldRoot: string, dataPath: string, limit: number | undefined, batchSize: number, rounds: number, alsoThreads?: string, alsoBatchSize?: string): number {
  const common = ["--data", dataPath, "--batch-size", String(batchSize), ...(limit ? ["--limit", String(limit)] : [])];
  const contenders: Record<string, { root: string; args: string[] }> = {
    old: { root: oldRoot, args: common },
    new: { root: ROOT, args: [...common, "--templates", "This example is {}."] },
    "new q8": { root: ROOT, args: [...common, "--templates", "This example is {}.", "--dtype", "q8"] },
    ...(alsoThreads ? { [`new ${alsoThreads}t`]: { root: ROOT, args: [...common, "--templates", "This example is {}.", "--threads", alsoThreads] } } : {}),
    ...(alsoBatchSize ? { [`new bs${alsoBatchSize}`]: { root: ROOT, args: [...common, "--templates", "This example is {}.", "--batch-size", alsoBatchSize] } } : {}),
  };
  const names = Object.keys(contenders);
  const rates: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const speedUps: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const name of names.map((_, i) => names[(i + round) % names.length])) {
      const { root, args } = contenders[name];
      const child = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench/evaluate.bench.ts"), ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      // Both versions print "first run: S s, N pairs computed"; the rate from those two keeps its decimals.
      const match = /first run:\s+([\d.]+) s, (\d+) pairs computed/.exec(child.stdout);
      if (child.status !== 0 || !match) throw new Error(`${name} (${root}) failed: ${child.stderr || child.stdout}`);
      const rate = Number(match[2]) / Number(match[1]);
      rates[name].push(rate);
      const speedUp = /speed-up: (\d+)x/.exec(child.stdout)?.[1];
      if (speedUp) speedUps[name].push(Number(speedUp));
      const peak = /peak RSS: (\d+) MB/.exec(child.stdout)?.[1];
      const threads = /threads (\d+)/.exec(child.stdout)?.[1];
      console.log(`  round ${round}/${rounds}: ${name.padEnd(6)} first run ${match[2]} pairs in ${match[1]} s = ${rate.toFixed(1)} pairs/s${peak ? `, peak RSS ${peak} MB` : ""}${threads ? `, ${threads} thread(s)` : ""}  (${root})`);
    }
  }
  // The load of a shared machine drifts between rounds (the same process ran 3x faster in one round than
  // in the next), so each round's ratio is taken between runs a few seconds apart and their median is the
  // figure; the ratio of the medians over all rounds is printed beside it.
  console.log("figures:");
  for (const name of names.filter((name) => name !== "old")) {
    const perRound = rates[name].map((rate, round) => rate / rates.old[round]);
    const ratio = median(perRound);
    console.log(
      `first run, ${name} vs old (fp32): median of per-round ratios ${ratio.toFixed(2)}x (${perRound.map((r) => r.toFixed(2)).join(", ")}) ${name === "new" ? `(target >= 1.3x) ${ratio >= 1.3 ? "OK" : "MISSED"}` : "(beside the target, which is fp32's)"}; ` +
        `medians ${median(rates[name]).toFixed(1)} vs ${median(rates.old).toFixed(1)} pairs/s = ${(median(rates[name]) / median(rates.old)).toFixed(2)}x`,
    );
  }
  // Each run also re-ran from its cache: the cached speed-up of this checkout, as each of its runs printed it.
  if (speedUps.new.length > 0) {
    const speedUp = median(speedUps.new);
    console.log(`cached re-run, new (fp32): median speed-up ${speedUp.toFixed(0)}x over the first run (${speedUps.new.join(", ")}) (target >= 100x) ${speedUp >= 100 ? "OK" : "MISSED"}`);
  }
  return 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      limit: { type: "string" },
      "batch-size": { type: "string" },
      dtype: { type: "string", default: "fp32" },
      templates: { type: "string", default: DEFAULT_TEMPLATES },
      old: { type: "string" },
      rounds: { type: "string", default: "2" },
      threads: { type: "string" },
      "also-threads": { type: "string" },
      "also-batch-size": { type: "string" },
    },
  });
  const dataPath = values.data ?? CANDIDATES.find((path) => existsSync(path));
  if (!dataPath || !existsSync(dataPath)) {
    console.error(
      `no resolutions dataset: looked for ${values.data ?? CANDIDATES.join(" and ")}.\n` +
        `Fetch it with "zero-shot data" (or "zero-shot data --from PATH"), or pass --data PATH.`,
    );
    return 2;
  }
  const limit = values.limit ? Number(values.limit) : undefined;
  const batchSize = values["batch-size"] ? Number(values["batch-size"]) : 32;
  if (values.old) return sideBySide(resolve(values.old), resolve(dataPath), limit, batchSize, Number(values.rounds), values["also-threads"], values["also-batch-size"]);
  return measure(dataPath, limit, batchSize, values.dtype!, values.templates!.split("|"), values.threads ? Number(values.threads) : undefined);
}

main().then((code) => (process.exitCode = code));
