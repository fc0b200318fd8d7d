/**
 * `npm run bench`: pairs per second of this classifier, of the stock transformers.js
 * zero-shot-classification pipeline, and of the bare ONNX forward pass at its best batch size (the
 * ceiling), on the DistilBERT-base-sized generated model; each in its own process, so peak memory
 * (VmHWM) is its own. Targets: >= 1.5x the stock pipeline, >= 0.9 of the ceiling, identical scores.
 *
 *   node --import tsx bench/classify.bench.ts [--texts 60] [--batch-size 32]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { LocalNliModel } from "../src/backends/local/localNliModel";
import { PairEncoder } from "../src/backends/local/pairEncoder";
import { transformers } from "../src/backends/local/transformers";
import { ensureTestModel } from "../src/models/generate/generate";
import { hypothesesFor } from "../src/nli/hypotheses";
import type { ZeroShotResult } from "../src/payload/types";
import { LABELS, peakRssMb, resolutionTexts } from "./common";
import { loadClassifier } from "../src/backends/local/loadClassifier";

interface PhaseResult {
  pairsPerSecond: number;
  seconds: number;
  peakRssMb: number;
  batchSize?: number;
  results?: ZeroShotResult[];
  note?: string;
}

async function timed(run: () => Promise<unknown>, repeats: number): Promise<number> {
  await run(); // warm-up: session initialisation, allocator growth
  const start = performance.now();
  for (let i = 0; i < repeats; i++) await run();
  return (performance.now() - start) / 1000 / repeats;
}

async function phase(name: string, modelDir: string, texts: string[], batchSize: number, repeats: number): Promise<PhaseResult> {
  const pairs = texts.length * LABELS.length;
  if (name === "ours") {
    const classifier = await loadClassifier(modelDir, { batchSize });
    let results: ZeroShotResult[] = [];
    const seconds = await timed(async () => (results = await classifier.classify(texts, LABELS)), repeats);
    return { pairsPerSecond: pairs / seconds, seconds, peakRssMb: peakRssMb(), batchSize, results };
  }
  if (name === "stock") {
    const pipe = (await transformers.pipeline("zero-shot-classification", modelDir, { local_files_only: true, dtype: "fp32" })) as unknown as (
      text: string,
      labels: string[],
    ) => Promise<ZeroShotResult>;
    let results: ZeroShotResult[] = [];
    const seconds = await timed(async () => {
      results = [];
      for (const text of texts) results.push(await pipe(text, LABELS));
    }, repeats);
    return { pairsPerSecond: pairs / seconds, seconds, peakRssMb: peakRssMb(), batchSize: 1, results };
  }
  // The ceiling: the ONNX session alone on the same encoded, length-sorted pairs, no tokenization.
  const model = await LocalNliModel.load(modelDir);
  const encoder = new PairEncoder(model.tokenizer, model.maxLength, false);
  const hypotheses = hypothesesFor(LABELS);
  const encoded = texts.flatMap((text) => hypotheses.map((h) => encoder.encode(text, h).inputIds)).sort((a, b) => b.length - a.length);
  const session = model.model.sessions.model as unknown as { run(feeds: Record<string, unknown>): Promise<unknown> };
  const ort = require("onnxruntime-node") as typeof import("onnxruntime-node");
  const batches = (size: number) => {
    const feeds: Record<string, InstanceType<typeof ort.Tensor>>[] = [];
    for (let start = 0; start < encoded.length; start += size) {
      const chunk = encoded.slice(start, start + size);
      const length = chunk[0].length;
      const ids = new BigInt64Array(chunk.length * length);
      const mask = new BigInt64Array(chunk.length * length);
      chunk.forEach((row, r) => row.forEach((id, i) => ((ids[r * length + i] = BigInt(id)), (mask[r * length + i] = 1n))));
      feeds.push({ input_ids: new ort.Tensor("int64", ids, [chunk.length, length]), attention_mask: new ort.Tensor("int64", mask, [chunk.length, length]) });
    }
    return feeds;
  };
  let best: PhaseResult | undefined;
  for (const size of [8, 16, 32, 64]) {
    const feeds = batches(size);
    const seconds = await timed(async () => {
      for (const feed of feeds) await session.run(feed);
    }, repeats);
    if (!best || pairs / seconds > best.pairsPerSecond) best = { pairsPerSecond: pairs / seconds, seconds, peakRssMb: 0, batchSize: size };
  }
  return { ...best!, peakRssMb: peakRssMb(), note: "tensors prebuilt, tokenization excluded" };
}

async function main() {
  const { values } = parseArgs({
    options: { phase: { type: "string" }, texts: { type: "string", default: "60" }, "batch-size": { type: "string", default: "32" }, repeats: { type: "string", default: "2" } },
  });
  const texts = resolutionTexts(Number(values.texts));
  const batchSize = Number(values["batch-size"]);
  const repeats = Number(values.repeats);
  const modelDir = ensureTestModel("distilbert-base-nli");
  if (values.phase) {
    process.stdout.write(JSON.stringify(await phase(values.phase, modelDir, texts, batchSize, repeats)));
    return;
  }
  const config = JSON.parse(readFileSync(`${modelDir}/config.json`, "utf8"));
  console.log(`model: ${modelDir} (DistilBERT-base size: ${config.num_hidden_layers} layers, ${config.hidden_size} wide; tokenizer: ${config._generated_by.tokenizer})`);
  console.log(`inputs: ${texts.length} resolution-like texts x ${LABELS.length} labels = ${texts.length * LABELS.length} pairs; ${repeats} timed repeats after a warm-up`);
  const run = (name: string): PhaseResult =>
    JSON.parse(
      execFileSync(process.execPath, ["--import", "tsx", __filename, "--phase", name, "--texts", String(texts.length), "--batch-size", String(batchSize), "--repeats", String(repeats)], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      }),
    );
  const ours = run("ours");
  const stock = run("stock");
  const ceiling = run("ceiling");
  const row = (name: string, r: PhaseResult) =>
    `${name.padEnd(34)} ${r.pairsPerSecond.toFixed(1).padStart(8)} pairs/s  ${r.seconds.toFixed(2).padStart(6)} s  batch ${String(r.batchSize).padStart(2)}  peak RSS ${r.peakRssMb.toFixed(0)} MB${r.note ? `  (${r.note})` : ""}`;
  console.log(row("this classifier", ours));
  console.log(row("stock transformers.js pipeline", stock));
  console.log(row("bare ONNX forward (ceiling)", ceiling));
  let maxDiff = 0;
  let orderSame = true;
  ours.results!.forEach((result, i) => {
    const reference = stock.results![i];
    orderSame &&= result.labels.join() === reference.labels.join();
    result.labels.forEach((label, j) => (maxDiff = Math.max(maxDiff, Math.abs(result.scores[j] - reference.scores[reference.labels.indexOf(label)]))));
  });
  const vsStock = ours.pairsPerSecond / stock.pairsPerSecond;
  const vsCeiling = ours.pairsPerSecond / ceiling.pairsPerSecond;
  console.log(`speed-up vs stock pipeline: ${vsStock.toFixed(2)}x (target >= 1.5x) ${vsStock >= 1.5 ? "OK" : "MISSED"}`);
  console.log(`fraction of the bare forward ceiling: ${vsCeiling.toFixed(2)} (target >= 0.9) ${vsCeiling >= 0.9 ? "OK" : "MISSED"}`);
  console.log(`scores vs stock pipeline: max |difference| ${maxDiff.toExponential(2)}, same label order: ${orderSame} ${maxDiff <= 1e-5 && orderSame ? "OK" : "MISSED"}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
