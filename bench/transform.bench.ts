/**
 * Local batch transform: records per second and peak memory for 1,000 and 10,000 records, through the
 * whole workflow (JSON Lines written and uploaded with client-s3, CreateTransformJob on the local
 * emulator, output downloaded and joined back to the inputs). Each size runs in its own process, so
 * its peak memory (VmHWM, and the largest heap seen) is its own; memory must not grow with the input.
 *
 *   node --import tsx bench/transform.bench.ts [--sizes 1000,10000] [--model tiny-bert-nli]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureTestModel, type PresetName } from "../src/models/generate/generate";
import { toZeroShotRequest, type ZeroShotRequest } from "../src/payload";
import { joinTransformOutput, runBatchTransform } from "../src/workflow/batchTransform";
import { destroyClients, sageMakerClients } from "../src/workflow/clients";
import { deployModel } from "../src/workflow/deploy";
import { startLocalSageMaker } from "../src/emulator/server";
import { LABELS, peakRssMb, resolutionText } from "./common";

/** Requests generated one at a time: the bench never holds the input in memory. */
function* requests(count: number): Generator<ZeroShotRequest> {
  for (let i = 0; i < count; i++) yield toZeroShotRequest(resolutionText(i), LABELS);
}

interface Measurement {
  records: number;
  seconds: number;
  recordsPerSecond: number;
  jobSeconds: number;
  baselineRssMB: number;
  peakRssMB: number;
  peakHeapMB: number;
}

async function measure(count: number, preset: PresetName): Promise<Measurement> {
  const dataDir = mkdtempSync(join(tmpdir(), "transform-bench-"));
  const local = await startLocalSageMaker({ dataDir, modelOptions: { offline: true } });
  const clients = sageMakerClients({ mode: "local", endpoint: local.url });
  try {
    const deployment = await deployModel(clients, { modelId: ensureTestModel(preset), name: "bench", onProgress: () => {} });
    // Warm up (model loaded, code paths compiled) so the baseline is the steady state before the job.
    await runBatchTransform(clients, { modelName: deployment.modelName, s3Uri: "s3://bench/warmup", requests: requests(50), workDir: dataDir, jobName: "warmup", onProgress: () => {} });
    if (global.gc) global.gc();
    const baselineRssMB = process.memoryUsage().rss / 1024 / 1024;
    let peakHeap = 0;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
    const start = performance.now();
    const run = await runBatchTransform(clients, {
      modelName: deployment.modelName,
      s3Uri: "s3://bench/data",
      requests: requests(count),
      workDir: dataDir,
      jobName: `bench-${count}`,
      onProgress: () => {},
    });
    let joined = 0;
    for await (const record of joinTransformOutput(run)) if (record.result) joined++;
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    if (joined !== count) throw new Error(`joined ${joined} of ${count} records`);
    const job = JSON.parse(readFileSync(join(dataDir, "control-plane", "transform-jobs", `bench-${count}.json`), "utf8")) as { TransformStartTime: number; TransformEndTime: number };
    return {
      records: count,
      seconds,
      recordsPerSecond: count / seconds,
      jobSeconds: job.TransformEndTime - job.TransformStartTime,
      baselineRssMB,
      peakRssMB: peakRssMb(),
      peakHeapMB: peakHeap / 1024 / 1024,
    };
  } finally {
    destroyClients(clients);
    await local.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: "string", default: "1000,10000" }, model: { type: "string", default: "tiny-bert-nli" }, child: { type: "string" } } });
  const preset = values.model as PresetName;
  if (values.child) {
    process.stdout.write(JSON.stringify(await measure(Number(values.child), preset)));
    return;
  }
  ensureTestModel(preset);
  console.log(`local batch transform, model ${preset}, ${LABELS.length} labels per record, each size in its own process\n`);
  console.log("records   total s   records/s   job s   baseline RSS MB   peak RSS MB   peak heap MB");
  const results: Measurement[] = [];
  for (const size of values.sizes.split(",").map(Number)) {
    const output = execFileSync(process.execPath, ["--import", "tsx", "--expose-gc", __filename, "--child", String(size), "--model", preset], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const m = JSON.parse(output) as Measurement;
    results.push(m);
    console.log(
      `${String(m.records).padStart(7)}   ${m.seconds.toFixed(2).padStart(7)}   ${m.recordsPerSecond.toFixed(0).padStart(9)}   ${m.jobSeconds.toFixed(2).padStart(5)}   ` +
        `${m.baselineRssMB.toFixed(0).padStart(15)}   ${m.peakRssMB.toFixed(0).padStart(11)}   ${m.peakHeapMB.toFixed(1).padStart(12)}`,
    );
  }
  if (results.length >= 2) {
    const [small, large] = [results[0], results.at(-1)!];
    console.log(
      `\n${large.records / small.records}x the records: peak RSS x${(large.peakRssMB / small.peakRssMB).toFixed(2)}, peak heap x${(large.peakHeapMB / small.peakHeapMB).toFixed(2)} ` +
        `(flat memory means ~1.0: records stream from disk to disk)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
