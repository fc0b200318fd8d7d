/**
 * How the server's worker should spend 2 cores on concurrent small requests, measured in worker threads
 * on the same inputs, contenders interleaved round by round (medians, ratios to per-request calls):
 *
 * - `1x2t, 9-pair calls`: one worker with 2 intra-op threads, each request (1 text x 9 labels) its own call (batching off);
 * - `1x1t, 9-pair calls`: one worker with 1 intra-op thread, one request after another (what a lone client gets from a pool);
 * - `1x2t, merged/N`: the same worker, all requests' pairs as one call cut into forward passes of N (sorted by length);
 * - `2x1t, 9-pair calls`: two workers with 1 intra-op thread each, requests spread over both at once;
 * - `2x1t, merged halves`: two 1-thread workers, the merged pairs split by length into 2 calls run at once.
 *
 *   node --import tsx bench/workerThreads.bench.ts [--model distilbert-base-nli] [--requests 7] [--rounds 7]
 */
import { parseArgs } from "node:util";
import { WorkerNliScorer } from "../src/backends/worker/workerNliScorer";
import type { PremiseHypothesisPair } from "../src/classification/contract";
import { ensureTestModel, isPresetName } from "../src/models/generate/generate";
import { hypothesisFor } from "../src/nli/hypotheses";
import { LABELS, median, resolutionText } from "./common";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "distilbert-base-nli" },
    requests: { type: "string", default: "7" },
    rounds: { type: "string", default: "7" },
  },
});
const preset = values.model!;
if (!isPresetName(preset)) throw new Error(`--model must be a generated preset, not ${preset}`);
const presetName = preset;
const requestCount = Number(values.requests);
const rounds = Number(values.rounds);

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

async function main(): Promise<void> {
  const model = ensureTestModel(presetName);
  const rss0 = rssMb();
  const twoThreads = await WorkerNliScorer.start(model, { threads: 2 });
  const rss1 = rssMb();
  const oneThread = [await WorkerNliScorer.start(model, { threads: 1 }), await WorkerNliScorer.start(model, { threads: 1 })];
  const rss2 = rssMb();
  const cut: Record<number, WorkerNliScorer> = {};
  for (const size of [8, 16, 32]) cut[size] = await WorkerNliScorer.start(model, { threads: 2, batchSize: size });
  console.log(`model ${preset}; process RSS ${rss0.toFixed(0)} MB, +${(rss1 - rss0).toFixed(0)} MB for a 2-thread worker, +${((rss2 - rss1) / 2).toFixed(0)} MB per 1-thread worker`);

  let offset = 0;
  const requests = (): PremiseHypothesisPair[][] => {
    const texts = Array.from({ length: requestCount }, () => resolutionText(offset++));
    return texts.map((premise) => LABELS.map((label) => ({ premise, hypothesis: hypothesisFor(label) })));
  };
  const contenders: Record<string, (reqs: PremiseHypothesisPair[][]) => Promise<unknown>> = {
    "1x2t, 9-pair calls": async (reqs) => {
      for (const r of reqs) await twoThreads.scorePairs(r);
    },
    "1x1t, 9-pair calls": async (reqs) => {
      for (const r of reqs) await oneThread[0].scorePairs(r);
    },
    "1x2t, merged/8": (reqs) => cut[8].scorePairs(reqs.flat()),
    "1x2t, merged/16": (reqs) => cut[16].scorePairs(reqs.flat()),
    "1x2t, merged/32": (reqs) => cut[32].scorePairs(reqs.flat()),
    "2x1t, 9-pair calls": async (reqs) => {
      let next = 0;
      await Promise.all(oneThread.map(async (w) => {
        while (next < reqs.length) await w.scorePairs(reqs[next++]);
      }));
    },
    "2x1t, merged halves": async (reqs) => {
      const all = reqs.flat().sort((a, b) => a.premise.length - b.premise.length);
      const half = Math.ceil(all.length / 2);
      await Promise.all([oneThread[0].scorePairs(all.slice(0, half)), oneThread[1].scorePairs(all.slice(half))]);
    },
  };
  const names = Object.keys(contenders);
  // Warm-up: every contender once (first shapes, arenas).
  for (const name of names) await contenders[name](requests());
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const reqs = requests(); // the same texts for every contender in this round
    const order = round % 2 === 0 ? names : [...names].reverse();
    const ms: Record<string, number> = {};
    for (const name of order) {
      const started = performance.now();
      await contenders[name](reqs);
      ms[name] = performance.now() - started;
      times[name].push(ms[name]);
    }
    for (const name of names) ratios[name].push(ms["1x2t, 9-pair calls"] / ms[name]);
    process.stdout.write(`round ${round + 1}/${rounds}\r`);
  }
  console.log(`\n${requestCount} requests x ${LABELS.length} labels per round, ${rounds} rounds; median ms per round and median speed vs 1x2t 9-pair calls:`);
  for (const name of names) console.log(`  ${name.padEnd(22)} ${median(times[name]).toFixed(0).padStart(6)} ms   x${median(ratios[name]).toFixed(2)}`);
  for (const w of [twoThreads, ...oneThread, ...Object.values(cut)]) await w.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
