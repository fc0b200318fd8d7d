/**
 * `zero-shot serve` under load, as `serve` runs it (the model in worker threads): requests per second
 * and p50/p99 latency with 1, 4 and 16 concurrent AWS SDK clients, `/ping` latency while the clients
 * run, and every failed request counted, for three servers interleaved (so all see the same machine):
 *
 * - `off`:  per-request handling on one worker thread with every core (`serve --no-batching --workers 1`);
 * - `pool`: per-request handling on `--workers` single-threaded workers and a solo worker with every
 *           core for lone requests (`serve --no-batching --workers 2`);
 * - `on`:   the same workers with micro-batching in front (`serve --workers 2`).
 *
 * Every request is one distinct resolution-like tweet (4-14 words, none repeated, so cross-request
 * deduplication finds nothing to skip) x the 9 walkthrough labels.
 *
 *   node --import tsx bench/server.bench.ts [--model tiny-bert-nli|distilbert-base-nli] [--seconds 20] [--clients 1,4,16] [--rounds 1] [--workers 2]
 *
 * `--rounds N` repeats every run N times (alternating which mode goes first) and adds them up: on a
 * machine shared with other work, more rounds average out its load.
 */
import { parseArgs } from "node:util";
import { createRuntimeClient, invokeZeroShotEndpoint } from "../src/backends/sagemaker/runtimeClient";
import { servingWorkers, WorkerNliScorer } from "../src/backends/worker/workerNliScorer";
import { ZeroShotClassifier } from "../src/classification/classifier";
import { ensureTestModel, isPresetName } from "../src/models/generate/generate";
import { startInferenceServer, type InferenceServer } from "../src/server/httpServer";
import { MicroBatchingScorer } from "../src/scorers/microBatchingScorer";
import { LABELS, median, resolutionText } from "./common";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "distilbert-base-nli" },
    seconds: { type: "string", default: "20" },
    clients: { type: "string", default: "1,4,16" },
    rounds: { type: "string", default: "1" },
    workers: { type: "string", default: "2" },
  },
});
const preset: string = values.model!;
if (!isPresetName(preset)) throw new Error(`--model must be a generated preset (tiny-bert-nli, distilbert-base-nli), not ${preset}`);
const presetName = preset;
const seconds = Number(values.seconds);
const clientCounts = values.clients!.split(",").map(Number);
const rounds = Number(values.rounds);
const workers = Number(values.workers);
const MODES = ["off", "pool", "on"] as const;
type Mode = (typeof MODES)[number];

interface Figures {
  /** Requests answered in the measuring windows. */
  requests: number;
  /** Seconds measured. */
  seconds: number;
  /** Latencies (ms) of the requests that started and ended in a window, sorted. */
  latencies: number[];
  failed: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** `/ping` latencies measured during the run (ms), sorted. */
  pings: number[];
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let counter = 0;

/**
 * Closed-loop clients: each sends its next request when the last is answered. Only requests answered
 * inside the measuring window count, and the window opens once every client has had an answer (the
 * queue is in its steady state), so neither the start nor the tail of a run skews the rate.
 */
async function measure(server: InferenceServer, clients: number): Promise<Figures> {
  const client = createRuntimeClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  const latencies: number[] = [];
  let failed = 0;
  let completed = 0;
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let stop = false;
  const answered = new Set<number>();
  let steady!: () => void;
  const steadyState = new Promise<void>((resolve) => (steady = resolve));
  const run = async (id: number) => {
    while (!stop) {
      const n = counter++;
      const started = performance.now();
      try {
        await invokeZeroShotEndpoint(client, "bench", { inputs: resolutionText(n), parameters: { candidate_labels: LABELS } });
        const now = performance.now();
        if (now >= windowStart && now <= windowEnd) completed += 1;
        if (started >= windowStart && now <= windowEnd) latencies.push(now - started);
      } catch (error) {
        failed += 1;
        if (failed <= 3) console.error(`  request failed: ${(error as Error).message}`);
      }
      answered.add(id);
      if (answered.size === clients) steady();
    }
  };
  const running = Array.from({ length: clients }, (_, id) => run(id));
  await Promise.race([steadyState, sleep(120_000)]);
  await sleep(500);
  const pings: number[] = [];
  windowStart = performance.now();
  windowEnd = windowStart + seconds * 1000;
  const pinger = (async () => {
    while (performance.now() < windowEnd) {
      const started = performance.now();
      const response = await fetch(`${server.url}/ping`);
      await response.arrayBuffer();
      pings.push(performance.now() - started);
      await sleep(20);
    }
  })();
  await sleep(seconds * 1000);
  stop = true;
  await pinger;
  await Promise.all(running);
  client.destroy();
  latencies.sort((a, b) => a - b);
  pings.sort((a, b) => a - b);
  // Throughput: requests answered in the window; the latency list holds those that also started in it.
  return { requests: completed, seconds, latencies, failed, perSecond: completed / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), pings };
}

async function main(): Promise<void> {
  console.log(`loading ${preset}: one worker thread with every core, and ${workers} single-threaded ones plus a solo one with every core ...`);
  const model = ensureTestModel(presetName);
  const single = await WorkerNliScorer.start(model);
  const scorer = await WorkerNliScorer.start(model, servingWorkers(workers));
  const batcher = new MicroBatchingScorer(scorer);
  const servers: Record<Mode, InferenceServer> = {
    off: await startInferenceServer({ classifier: new ZeroShotClassifier(single), port: 0 }),
    pool: await startInferenceServer({ classifier: new ZeroShotClassifier(scorer), port: 0 }),
    on: await startInferenceServer({ classifier: new ZeroShotClassifier(batcher), port: 0 }),
  };
  console.log(`model ${preset}; each request: 1 text x ${LABELS.length} labels; ${seconds} s measured per run once every client has had an answer; /ping every 20 ms meanwhile\n`);
  const results = new Map<string, Figures>();
  const add = (key: string, r: Figures) => {
    const sum = results.get(key);
    if (!sum) {
      results.set(key, r);
      return;
    }
    const latencies = [...sum.latencies, ...r.latencies].sort((a, b) => a - b);
    const pings = [...sum.pings, ...r.pings].sort((a, b) => a - b);
    const requests = sum.requests + r.requests;
    const measured = sum.seconds + r.seconds;
    results.set(key, { requests, seconds: measured, latencies, pings, failed: sum.failed + r.failed, perSecond: requests / measured, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
  };
  /** Each round's throughput per mode and client count: the ratios are taken round by round, then their median. */
  const perRound: Record<string, number>[] = [];
  const schedule = Array.from({ length: rounds }, () => clientCounts).flat();
  for (const [round, clients] of schedule.entries()) {
    // Interleaved, in alternating order, so both modes see the same machine.
    for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
      const key = `${String(clients).padStart(2)} client${clients > 1 ? "s" : " "}, ${mode.padEnd(4)}`;
      process.stdout.write(`${key} ... `);
      const batchesBefore = batcher.batchesRun;
      const soloBefore = scorer.soloJobs;
      const r = await measure(servers[mode], clients);
      add(`${clients}/${mode}`, r);
      (perRound[Math.floor(round / clientCounts.length)] ??= {})[`${clients}/${mode}`] = r.perSecond;
      const batches =
        mode === "on"
          ? `, ${batcher.batchesRun - batchesBefore} batches (so far ${batcher.regimeBatches.merged} merged, ${batcher.regimeBatches.separate} caller by caller; ms/pair ${batcher.msPerPair.merged?.toFixed(0) ?? "-"} merged, ${batcher.msPerPair.separate?.toFixed(0) ?? "-"} apart; ${batcher.probes} tries of the slower)`
          : "";
      console.log(
        `${r.perSecond.toFixed(2).padStart(7)} req/s${mode === "off" ? "" : `, ${scorer.soloJobs - soloBefore} on the solo worker`}   p50 ${r.p50.toFixed(0).padStart(6)} ms   p99 ${r.p99.toFixed(0).padStart(6)} ms   ` +
          `/ping p99 ${percentile(r.pings, 99).toFixed(1)} ms (max ${Math.max(...r.pings).toFixed(1)}, n=${r.pings.length})   ${r.requests} ok, ${r.failed} failed${batches}`,
      );
    }
  }
  const ratios = (title: string, mode: Mode, base: Mode) => {
    console.log(title);
    for (const clients of new Set(clientCounts)) {
      const on = results.get(`${clients}/${mode}`)!;
      const off = results.get(`${clients}/${base}`)!;
      console.log(
        `  ${String(clients).padStart(2)} client(s): x${(on.perSecond / off.perSecond).toFixed(2)}   median of the rounds' ratios x${median(perRound.map((r) => r[`${clients}/${mode}`] / r[`${clients}/${base}`])).toFixed(2)}   (${on.perSecond.toFixed(2)} vs ${off.perSecond.toFixed(2)} req/s over ${on.seconds} s each; p50 x${(on.p50 / off.p50).toFixed(2)}, p99 x${(on.p99 / off.p99).toFixed(2)})`,
      );
    }
  };
  console.log("\nfigures (the runs above added up per mode and client count):");
  ratios(`on (${workers} workers + micro-batching) / off (per request, 1 worker) (throughput ratio; targets: >= 0.95 at 1 client, >= 1.15 at 16):`, "on", "off");
  ratios(`on / pool (what micro-batching adds to the same ${workers} workers):`, "on", "pool");
  // The verdicts: on / off as the median of the rounds' ratios (within a round the modes ran side by side).
  const verdict = (clients: number, target: number, word: string) => {
    const ratio = median(perRound.map((r) => r[`${clients}/on`] / r[`${clients}/off`]));
    console.log(`target: on / off at ${clients} client(s) ${word} x${target.toFixed(2)}: x${ratio.toFixed(2)} (median of ${perRound.length} round(s)) ${ratio >= target ? "OK" : "MISSED"}`);
  };
  if (clientCounts.includes(1)) verdict(1, 0.95, "never below");
  if (clientCounts.includes(16)) verdict(16, 1.15, "at least");
  const loaded = Math.max(...clientCounts);
  const pings = MODES.flatMap((mode) => results.get(`${loaded}/${mode}`)!.pings).sort((a, b) => a - b);
  const pingP99 = percentile(pings, 99);
  console.log(`target: /ping p99 under the ${loaded}-client load below 100 ms: ${pingP99.toFixed(1)} ms ${pingP99 < 100 ? "OK" : "MISSED"} (max ${Math.max(...pings).toFixed(1)} ms, ${pings.length} pings)`);
  const failed = [...results.values()].reduce((sum, r) => sum + r.failed, 0);
  console.log(failed === 0 ? "target: no request lost: OK" : `target: no request lost: ${failed} request(s) FAILED, MISSED`);
  console.error("closing the servers and stopping the workers ...");
  await Promise.all(MODES.map((mode) => servers[mode].close()));
  await Promise.all([single.dispose(), scorer.dispose()]);
}

// Exits once the figures are out: SDK clients' keep-alive sockets and the servers' grace for them must not hold the run open.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
