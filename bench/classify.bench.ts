/**
 * `npm run bench`: classification speed on the DistilBERT-base-sized generated model (6 layers, 768
 * wide, the real uncased tokenizer when ../shared has it), against the stock transformers.js
 * zero-shot-classification pipeline and the bare ONNX forward pass (the ceiling), in one run with the
 * contenders interleaved round by round (a loaded machine slows all of them alike). Ratios are taken
 * between neighbours in time (within a round, within a slice of texts) and their median reported.
 *
 * - whole process: the wall time of `zero-shot classify --input F --json` (fp32 and --dtype q8) and of a
 *   plain-JavaScript script running the stock pipeline on the same file, start-up included; and both
 *   on a file of one text, where start-up and model load are most of the process;
 * - in process: the time to classify the same texts once the models are loaded (after a short warm-up),
 *   all contenders in one process, interleaved a few texts at a time; the ceiling is our session alone
 *   on the same pairs, encoded, sorted and turned into tensors beforehand; ours and the ceiling again
 *   with the model's full graph (not narrowed to the first token), to show what the narrowing gives.
 *
 * Targets: whole process >= 1.5x stock at fp32 with identical scores; >= 0.95 of the bare ceiling in
 * process; q8 >= 2.5x stock fp32, with its largest score difference and label-order changes.
 *
 *   node --import tsx bench/classify.bench.ts [--texts 60] [--rounds 3] [--batch-size 32] [--slice-texts 6]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LocalNliModel } from "../src/backends/local/localNliModel";
import { transformers } from "../src/backends/local/transformers";
import { ensureTestModel } from "../src/models/generate/generate";
import { hypothesesFor } from "../src/nli/hypotheses";
import type { ZeroShotResult } from "../src/payload/types";
import { LABELS, median, peakRssMb, resolutionTexts } from "./common";
import { loadClassifier } from "../src/backends/local/loadClassifier";

const ROOT = resolve(__dirname, "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ort = require("onnxruntime-node") as typeof import("onnxruntime-node");

/** What the in-process phase reports, per contender. */
interface PhaseResult {
  seconds: number;
  loadSeconds: number;
  batchSize: number;
  results?: ZeroShotResult[];
}

interface InProcessReport {
  contenders: Record<string, PhaseResult>;
  /** Seconds of each contender on each slice: neighbours in time, so their ratios cancel the machine's load. */
  perSlice: Record<string, number>[];
  peakRssMb: number;
  slices: number;
}


type Contender = (texts: string[]) => Promise<ZeroShotResult[] | undefined>;

/**
 * Every contender in one process, interleaved slice by slice (a few texts each, the order rotating), so
 * a machine whose load changes during the run slows all of them alike; each contender's time is the
 * sum over the slices. A warm-up slice runs first, untimed.
 */
async function inProcess(modelDir: string, texts: string[], batchSize: number, sliceTexts: number, round: number): Promise<InProcessReport> {
  const contenders: Record<string, Contender> = {};
  const loadSeconds: Record<string, number> = {};
  const timedLoad = async <T>(name: string, load: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await load();
    loadSeconds[name] = (performance.now() - start) / 1000;
    return value;
  };
  const fp32 = await timedLoad("ours-fp32", () => loadClassifier(modelDir, { batchSize }));
  contenders["ours-fp32"] = (list) => fp32.classify(list, LABELS);
  // The same without narrowing the graph to the first token: what that narrowing gives, side by side.
  const fp32Full = await timedLoad("ours-fp32-full-graph", () => loadClassifier(modelDir, { batchSize, firstTokenGraph: false }));
  contenders["ours-fp32-full-graph"] = (list) => fp32Full.classify(list, LABELS);
  const q8 = await timedLoad("ours-q8", () => loadClassifier(modelDir, { batchSize, dtype: "q8" }));
  contenders["ours-q8"] = (list) => q8.classify(list, LABELS);
  const pipe = await timedLoad(
    "stock-fp32",
    async () => (await transformers.pipeline("zero-shot-classification", modelDir, { local_files_only: true, dtype: "fp32" })) as unknown as (text: string, labels: string[]) => Promise<ZeroShotResult>,
  );
  contenders["stock-fp32"] = async (list) => {
    const out: ZeroShotResult[] = [];
    for (const text of list) out.push(await pipe(text, LABELS));
    return out;
  };
  // The ceilings: our fp32 sessions alone on the same pairs, encoded, length-sorted and turned into tensors
  // beforehand; "ceiling-fp32" runs the graph ours-fp32 runs (narrowed to the first token where the model
  // allows), "ceiling-fp32-full-graph" the model's graph as shipped (the ceiling the issue measured against).
  const model = fp32.scorer as LocalNliModel;
  const fullModel = fp32Full.scorer as LocalNliModel;
  const hypotheses = hypothesesFor(LABELS);
  const feedsFor = (list: string[]) => {
    const encoded = list.flatMap((text) => hypotheses.map((h) => model.encoder.encode(text, h))).sort((a, b) => b.inputIds.length - a.inputIds.length);
    const feeds: Record<string, InstanceType<typeof ort.Tensor>>[] = [];
    for (let start = 0; start < encoded.length; start += batchSize) {
      const chunk = encoded.slice(start, start + batchSize);
      const length = chunk[0].inputIds.length;
      const ids = new BigInt64Array(chunk.length * length);
      const mask = new BigInt64Array(chunk.length * length);
      chunk.forEach((row, r) => row.inputIds.forEach((id, i) => ((ids[r * length + i] = BigInt(id)), (mask[r * length + i] = 1n))));
      feeds.push({ input_ids: new ort.Tensor("int64", ids, [chunk.length, length]), attention_mask: new ort.Tensor("int64", mask, [chunk.length, length]) });
    }
    return feeds;
  };
  const slices: string[][] = [];
  for (let start = 0; start < texts.length; start += sliceTexts) slices.push(texts.slice(start, start + sliceTexts));
  const prebuilt = new Map(slices.map((slice) => [slice, feedsFor(slice)]));
  contenders["ceiling-fp32"] = async (list) => {
    for (const feed of prebuilt.get(list) ?? feedsFor(list)) await model.session.run(feed);
    return undefined;
  };
  contenders["ceiling-fp32-full-graph"] = async (list) => {
    for (const feed of prebuilt.get(list) ?? feedsFor(list)) await fullModel.session.run(feed);
    return undefined;
  };

  const names = Object.keys(contenders);
  for (const name of names) await contenders[name](texts.slice(0, 3)); // warm-up: allocator growth, first shapes
  const seconds: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  const results: Record<string, ZeroShotResult[]> = Object.fromEntries(names.map((name) => [name, []]));
  const perSlice: Record<string, number>[] = [];
  for (const [index, slice] of slices.entries()) {
    const times: Record<string, number> = {};
    for (let k = 0; k < names.length; k++) {
      const name = names[(index + round + k) % names.length];
      const start = performance.now();
      const out = await contenders[name](slice);
      times[name] = (performance.now() - start) / 1000;
      seconds[name] += times[name];
      if (out) results[name].push(...out);
    }
    perSlice.push(times);
  }
  const report: Record<string, PhaseResult> = {};
  for (const name of names) {
    report[name] = { seconds: seconds[name], loadSeconds: loadSeconds[name] ?? 0, batchSize: name === "stock-fp32" ? 1 : batchSize, results: results[name].length ? results[name] : undefined };
  }
  return { contenders: report, perSlice, peakRssMb: peakRssMb(), slices: slices.length };
}

/** Runs `args` as a child process; its wall time in seconds and its stdout. */
function runProcess(args: string[], env: NodeJS.ProcessEnv): { seconds: number; stdout: string } {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  if (child.status !== 0) throw new Error(`${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  return { seconds, stdout: child.stdout };
}

/** Largest score difference and label-order changes between two runs over the same texts. */
function compare(a: ZeroShotResult[], b: ZeroShotResult[]): { maxDiff: number; orderChanges: number; topChanges: number } {
  let maxDiff = 0;
  let orderChanges = 0;
  let topChanges = 0;
  a.forEach((result, i) => {
    const other = b[i];
    if (result.labels.join("\u0000") !== other.labels.join("\u0000")) orderChanges++;
    if (result.labels[0] !== other.labels[0]) topChanges++;
    result.labels.forEach((label, j) => (maxDiff = Math.max(maxDiff, Math.abs(result.scores[j] - other.scores[other.labels.indexOf(label)]))));
  });
  return { maxDiff, orderChanges, topChanges };
}

const parseLines = (stdout: string): ZeroShotResult[] => stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      phase: { type: "string" },
      "slice-texts": { type: "string", default: "6" },
      round: { type: "string", default: "0" },
      texts: { type: "string", default: "60" },
      rounds: { type: "string", default: "3" },
      "batch-size": { type: "string", default: "32" },
    },
  });
  const texts = resolutionTexts(Number(values.texts));
  const batchSize = Number(values["batch-size"]);
  const rounds = Number(values.rounds);
  const modelDir = ensureTestModel("distilbert-base-nli");
  if (values.phase === "in-process") {
    process.stdout.write(JSON.stringify(await inProcess(modelDir, texts, batchSize, Number(values["slice-texts"]), Number(values.round))));
    return 0;
  }
  const config = JSON.parse(readFileSync(join(modelDir, "config.json"), "utf8"));
  const pairs = texts.length * LABELS.length;
  console.log(`model: ${modelDir} (DistilBERT-base size: ${config.num_hidden_layers} layers, ${config.hidden_size} wide; tokenizer: ${config._generated_by.tokenizer})`);
  console.log(`inputs: ${texts.length} resolution-like texts x ${LABELS.length} labels = ${pairs} pairs; ${rounds} rounds, contenders interleaved, medians`);

  const scratch = mkdtempSync(join(tmpdir(), "zs-classify-bench-"));
  const input = join(scratch, "texts.jsonl");
  writeFileSync(input, texts.map((text) => JSON.stringify(text)).join("\n") + "\n");
  // One text: the process is then mostly start-up (Node, modules, model load), which every run pays.
  const oneText = join(scratch, "one-text.jsonl");
  writeFileSync(oneText, JSON.stringify(texts[0]) + "\n");
  // The CLI's caches (optimised graphs, fingerprints, V8's compiled code) start empty; the warm-up round fills them, as a user's first run does.
  const env = { ZERO_SHOT_CACHE: join(scratch, "models"), XDG_CACHE_HOME: join(scratch, "cache-home"), HF_HUB_OFFLINE: "1" };
  const cli = (dtype: string, file = input) => [join(ROOT, "dist/cli/main.js"), "classify", "--input", file, "--labels", LABELS.join(","), "--json", "--model", modelDir, "--batch-size", String(batchSize), "--dtype", dtype];
  const stock = (file: string) => [join(ROOT, "bench/stockClassify.js"), modelDir, file, LABELS.join(","), "fp32"];
  const whole: Record<string, string[]> = {
    "zero-shot classify (fp32)": cli("fp32"),
    "zero-shot classify --dtype q8": cli("q8"),
    "stock pipeline script (fp32)": stock(input),
    "one text: zero-shot (fp32)": cli("fp32", oneText),
    "one text: stock (fp32)": stock(oneText),
  };
  const IN_PROCESS = ["ours-fp32", "ours-fp32-full-graph", "ours-q8", "stock-fp32", "ceiling-fp32", "ceiling-fp32-full-graph"];
  const wholeTimes: Record<string, number[]> = Object.fromEntries(Object.keys(whole).map((name) => [name, []]));
  const wholeOutput: Record<string, ZeroShotResult[]> = {};
  const phaseRuns: Record<string, PhaseResult[]> = Object.fromEntries(IN_PROCESS.map((name) => [name, []]));
  let peakRss = 0;
  const slicesTimes: Record<string, number>[] = [];
  const started = performance.now();
  try {
    for (let round = 0; round <= rounds; round++) {
      const label = round === 0 ? "warm-up" : `round ${round}/${rounds}`;
      const names = Object.keys(whole);
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        const { seconds, stdout } = runProcess(whole[name], env);
        if (round > 0) wholeTimes[name].push(seconds);
        wholeOutput[name] = parseLines(stdout);
        console.log(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${label}, whole process: ${name.padEnd(30)} ${seconds.toFixed(2)} s`);
      }
      if (round === 0) continue;
      const { stdout } = runProcess(["--import", "tsx", __filename, "--phase", "in-process", "--texts", String(texts.length), "--batch-size", String(batchSize), "--slice-texts", values["slice-texts"]!, "--round", String(round)], env);
      const report = JSON.parse(stdout) as InProcessReport;
      peakRss = Math.max(peakRss, report.peakRssMb);
      for (const name of IN_PROCESS) phaseRuns[name].push(report.contenders[name]);
      slicesTimes.push(...report.perSlice);
      const summary = IN_PROCESS.map((name) => `${name} ${report.contenders[name].seconds.toFixed(1)} s`).join(", ");
      console.log(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${label}, in process (${report.slices} interleaved slices): ${summary}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  console.log("\nwhole process (start-up, load, tokenization, forward passes, output):");
  const wholeMedian = Object.fromEntries(Object.entries(wholeTimes).map(([name, times]) => [name, median(times)]));
  for (const [name, seconds] of Object.entries(wholeMedian)) {
    console.log(`  ${name.padEnd(32)} ${seconds.toFixed(2).padStart(7)} s  ${(pairs / seconds).toFixed(1).padStart(6)} pairs/s  (runs: ${wholeTimes[name].map((t) => t.toFixed(1)).join(", ")} s)`);
  }
  console.log(`in process (models loaded, after a warm-up; all ${IN_PROCESS.length} in one process, peak RSS ${peakRss.toFixed(0)} MB):`);
  const inMedian: Record<string, PhaseResult> = {};
  for (const name of IN_PROCESS) {
    const runs = phaseRuns[name];
    const seconds = median(runs.map((r) => r.seconds));
    inMedian[name] = { ...runs.find((r) => r.seconds === seconds)!, results: runs[0].results };
    const r = inMedian[name];
    console.log(
      `  ${name.padEnd(32)} ${seconds.toFixed(2).padStart(7)} s  ${(pairs / seconds).toFixed(1).padStart(6)} pairs/s  batch ${String(r.batchSize).padStart(2)}  load ${r.loadSeconds.toFixed(2)} s`,
    );
  }

  const ok = (pass: boolean) => (pass ? "OK" : "MISSED");
  // Ratios are taken within a round (whole process) or a slice (in process), then their median: the
  // machine's load changes between rounds, hardly between neighbours in time.
  const wholeRatioOf = (a: string, b: string) => median(wholeTimes[a].map((seconds, round) => seconds / wholeTimes[b][round]));
  const sliceRatioOf = (a: string, b: string) => median(slicesTimes.map((times) => times[a] / times[b]));
  const wholeRatio = wholeRatioOf("stock pipeline script (fp32)", "zero-shot classify (fp32)");
  const inRatio = sliceRatioOf("stock-fp32", "ours-fp32");
  const ceilingFraction = sliceRatioOf("ceiling-fp32", "ours-fp32");
  const q8Whole = wholeRatioOf("stock pipeline script (fp32)", "zero-shot classify --dtype q8");
  const q8In = sliceRatioOf("stock-fp32", "ours-q8");
  const q8VsFp32 = sliceRatioOf("ours-fp32", "ours-q8");
  const parity = compare(wholeOutput["zero-shot classify (fp32)"], wholeOutput["stock pipeline script (fp32)"]);
  const q8 = compare(wholeOutput["zero-shot classify --dtype q8"], wholeOutput["zero-shot classify (fp32)"]);
  console.log(`\nfigures (medians of ratios paired within each round / each of ${slicesTimes.length} slices):`);
  console.log(`  whole process, fp32 vs stock:        ${wholeRatio.toFixed(2)}x (target >= 1.5x) ${ok(wholeRatio >= 1.5)}`);
  const startRatio = wholeRatioOf("one text: stock (fp32)", "one text: zero-shot (fp32)");
  console.log(`  one text (start-up and load), fp32:  ${startRatio.toFixed(2)}x stock (${wholeMedian["one text: zero-shot (fp32)"].toFixed(2)} s vs ${wholeMedian["one text: stock (fp32)"].toFixed(2)} s)`);
  console.log(`  in process, fp32 vs stock:           ${inRatio.toFixed(2)}x`);
  console.log(`  in process, fraction of bare ceiling: ${ceilingFraction.toFixed(2)} (target >= 0.95) ${ok(ceilingFraction >= 0.95)} (the bare forward passes of the same graph)`);
  const narrowing = sliceRatioOf("ours-fp32-full-graph", "ours-fp32");
  const beyondFull = sliceRatioOf("ceiling-fp32-full-graph", "ours-fp32");
  const fullScores = compare(inMedian["ours-fp32"].results ?? [], inMedian["ours-fp32-full-graph"].results ?? []);
  console.log(`  first-token graph vs full graph:     ${narrowing.toFixed(2)}x (in process, fp32; max |score difference| ${fullScores.maxDiff.toExponential(2)}, label-order changes ${fullScores.orderChanges}/${texts.length})`);
  console.log(`  ours vs bare forward of full graph:  ${beyondFull.toFixed(2)} (above 1: past the ceiling of the model as shipped)`);
  console.log(`  fp32 scores vs stock:                max |difference| ${parity.maxDiff.toExponential(2)}, label-order changes ${parity.orderChanges}/${texts.length} ${ok(parity.maxDiff <= 1e-5 && parity.orderChanges === 0)}`);
  console.log(`  q8 whole process vs stock fp32:      ${q8Whole.toFixed(2)}x (target >= 2.5x) ${ok(q8Whole >= 2.5)}; in process ${q8In.toFixed(2)}x (${q8VsFp32.toFixed(2)}x our fp32)`);
  console.log(`  q8 vs fp32 (same inputs):            max |score difference| ${q8.maxDiff.toFixed(4)}, label-order changes ${q8.orderChanges}/${texts.length}, top-label changes ${q8.topChanges}/${texts.length}`);
  console.log(`  (random weights: the q8 error of a trained model differs; measure yours with this bench's compare on real outputs)`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
