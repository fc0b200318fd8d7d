/**
 * `zero-shot serve` under load, as `serve` runs it (the model in a worker thread): requests per second
 * and p50/p99 latency with 1, 4 and 16 concurrent AWS SDK clients, micro-batching on and off
 * (interleaved, so both see the same machine), `/ping` latency while the clients run, and every
 * failed request counted.
 *
 *   node --import tsx bench/server.bench.ts [--model tiny-bert-nli|distilbert-base-nli] [--seconds 8] [--clients 1,4,16]
 */
import { parseArgs } from "node:util";
import { createRuntimeClient, invokeZeroShotEndpoint } from "../src/backends/sagemaker/runtimeClient";
import { WorkerNliScorer } from "../src/backends/worker/workerNliScorer";
import { ZeroShotClassifier } from "../src/classification/classifier";
import { ensureTestModel, isPresetName } from "../src/models/generate/generate";
import { startInferenceServer, type InferenceServer } from "../src/server/httpServer";
import { MicroBatchingScorer } from "../src/scorers/microBatchingScorer";
import { LABELS, resolutionText } from "./common";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "distilbert-base-nli" },
    seconds: { type: "string", default: "8" },
    clients: { type: "string", default: "1,4,16" },
  },
});
const preset: string = values.model!;
if (!isPresetName(preset)) throw new Error(`--model must be a generated preset (tiny-bert-nli, distilbert-base-nli), not ${preset}`);
const presetName = preset;
const seconds = Number(values.seconds);
const clientCounts = values.clients!.split(",").map(Number);

interface Figures {
  requests: number;
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

async function measure(server: InferenceServer, clients: number): Promise<Figures> {
  const client = createRuntimeClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  const latencies: number[] = [];
  let failed = 0;
  const run = async (deadline: number, record: boolean) => {
    while (performance.now() < deadline) {
      const n = counter++;
      const started = performance.now();
      try {
        await invokeZeroShotEndpoint(client, "bench", { inputs: resolutionText(n), parameters: { candidate_labels: LABELS } });
        if (record) latencies.push(performance.now() - started);
      } catch (error) {
        failed += 1;
        if (failed <= 3) console.error(`  request failed: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, () => run(performance.now() + 1000, false))); // warm-up
  const pings: number[] = [];
  let measuring = true;
  const pinger = (async () => {
    while (measuring) {
      const started = performance.now();
      const response = await fetch(`${server.url}/ping`);
      await response.arrayBuffer();
      if (measuring) pings.push(performance.now() - started);
      await sleep(20);
    }
  })();
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, () => run(started + seconds * 1000, true)));
  const elapsed = (performance.now() - started) / 1000;
  measuring = false;
  await pinger;
  client.destroy();
  latencies.sort((a, b) => a - b);
  pings.sort((a, b) => a - b);
  return { requests: latencies.length, failed, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), pings };
}

async function main(): Promise<void> {
  console.log(`loading ${preset} in a worker thread ...`);
  const scorer = await WorkerNliScorer.start(ensureTestModel(presetName));
  const batcher = new MicroBatchingScorer(scorer);
  const servers = {
    off: await startInferenceServer({ classifier: new ZeroShotClassifier(scorer), port: 0 }),
    on: await startInferenceServer({ classifier: new ZeroShotClassifier(batcher), port: 0 }),
  };
  console.log(`model ${preset}; each request: 1 text x ${LABELS.length} labels; ${seconds} s per run after 1 s warm-up; /ping every 20 ms during each run\n`);
  const results = new Map<string, Figures>();
  for (const clients of clientCounts) {
    // Interleaved: off, on, for each client count, so both modes see the same machine.
    for (const mode of ["off", "on"] as const) {
      const key = `${String(clients).padStart(2)} client${clients > 1 ? "s" : " "}, batching ${mode.padEnd(3)}`;
      process.stdout.write(`${key} ... `);
      const batchesBefore = batcher.batchesRun;
      const r = await measure(servers[mode], clients);
      results.set(`${clients}/${mode}`, r);
      const batches = mode === "on" ? `, ${batcher.batchesRun - batchesBefore} batches` : "";
      console.log(
        `${r.perSecond.toFixed(2).padStart(7)} req/s   p50 ${r.p50.toFixed(0).padStart(6)} ms   p99 ${r.p99.toFixed(0).padStart(6)} ms   ` +
          `/ping p99 ${percentile(r.pings, 99).toFixed(1)} ms (max ${Math.max(...r.pings).toFixed(1)}, n=${r.pings.length})   ${r.requests} ok, ${r.failed} failed${batches}`,
      );
    }
  }
  console.log("\nmicro-batching on / off (throughput ratio; targets: >= 0.95 at 1 client, >= 1.15 at 16):");
  for (const clients of clientCounts) {
    const on = results.get(`${clients}/on`)!;
    const off = results.get(`${clients}/off`)!;
    console.log(`  ${String(clients).padStart(2)} client(s): x${(on.perSecond / off.perSecond).toFixed(2)}   (p50 x${(on.p50 / off.p50).toFixed(2)}, p99 x${(on.p99 / off.p99).toFixed(2)})`);
  }
  const loaded = Math.max(...clientCounts);
  const pings = [...results.get(`${loaded}/on`)!.pings, ...results.get(`${loaded}/off`)!.pings].sort((a, b) => a - b);
  console.log(`/ping p99 under the ${loaded}-client load: ${percentile(pings, 99).toFixed(1)} ms (target < 100 ms; max ${Math.max(...pings).toFixed(1)} ms, ${pings.length} pings)`);
  const failed = [...results.values()].reduce((sum, r) => sum + r.failed, 0);
  console.log(failed === 0 ? "no request lost" : `${failed} request(s) FAILED`);
  await Promise.all([servers.off.close(), servers.on.close()]);
  await scorer.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
