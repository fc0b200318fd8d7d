/**
 * `zero-shot serve` under load: requests per second and p50/p99 latency with 1 and 16 concurrent
 * clients, micro-batching on and off, through the real HTTP server and the AWS SDK client.
 *
 *   node --import tsx bench/server.bench.ts [--model tiny-bert-nli|distilbert-base-nli] [--seconds 8]
 */
import { parseArgs } from "node:util";
import { LocalNliModel } from "../src/backends/local/localNliModel";
import { createRuntimeClient, invokeZeroShotEndpoint } from "../src/backends/sagemaker/runtimeClient";
import { ZeroShotClassifier } from "../src/classification/classifier";
import { ensureTestModel, isPresetName } from "../src/models/generate/generate";
import { startInferenceServer } from "../src/server/httpServer";
import { MicroBatchingScorer } from "../src/scorers/microBatchingScorer";
import { LABELS, resolutionText } from "./common";

const { values } = parseArgs({ options: { model: { type: "string", default: "distilbert-base-nli" }, seconds: { type: "string", default: "8" } } });
const preset: string = values.model!;
if (!isPresetName(preset)) throw new Error(`--model must be a generated preset (tiny-bert-nli, distilbert-base-nli), not ${preset}`);
const presetName = preset;
const seconds = Number(values.seconds);

interface Figures {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(url: string, clients: number): Promise<Figures> {
  const client = createRuntimeClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  const latencies: number[] = [];
  let counter = 0;
  const run = async (deadline: number, record: boolean) => {
    while (performance.now() < deadline) {
      const n = counter++;
      const started = performance.now();
      await invokeZeroShotEndpoint(client, "bench", { inputs: resolutionText(n), parameters: { candidate_labels: LABELS } });
      if (record) latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: clients }, () => run(performance.now() + 1000, false))); // warm-up
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, () => run(started + seconds * 1000, true)));
  const elapsed = (performance.now() - started) / 1000;
  client.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  const model = await LocalNliModel.load(ensureTestModel(presetName));
  console.log(`model ${preset}; each request: 1 text x ${LABELS.length} labels; ${seconds} s per run after 1 s warm-up\n`);
  const results: Record<string, Figures> = {};
  for (const batching of [false, true]) {
    const classifier = new ZeroShotClassifier(batching ? new MicroBatchingScorer(model) : model);
    const server = await startInferenceServer({ classifier, port: 0 });
    for (const clients of [1, 16]) {
      const key = `${clients} client${clients > 1 ? "s" : ""}, batching ${batching ? "on" : "off"}`;
      results[key] = await measure(server.url, clients);
      const r = results[key];
      console.log(`${key.padEnd(26)} ${r.perSecond.toFixed(1).padStart(7)} req/s   p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   (${r.requests} requests)`);
    }
    await server.close();
  }
  console.log("\nmicro-batching on / off:");
  for (const clients of [1, 16]) {
    const on = results[`${clients} client${clients > 1 ? "s" : ""}, batching on`];
    const off = results[`${clients} client${clients > 1 ? "s" : ""}, batching off`];
    console.log(
      `  ${String(clients).padStart(2)} client(s): throughput x${(on.perSecond / off.perSecond).toFixed(2)}, p50 x${(on.p50 / off.p50).toFixed(2)}, p99 x${(on.p99 / off.p99).toFixed(2)}`,
    );
  }
  await model.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
