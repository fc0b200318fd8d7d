/**
 * Evaluation of the full New Year's resolutions dataset (5,011 rows; 4,660 with one of the nine labels)
 * with the DistilBERT-base-sized generated model, through the score cache: the first run computes
 * every (text, label) pair, the re-run answers them from disk. Prints both times, the pairs each
 * computed and the ratio. The cache starts empty (a fresh temporary directory) every time.
 *
 *   node --import tsx bench/evaluate.bench.ts [--data PATH] [--limit N] [--batch-size 32]
 *
 * The data: --data, else data/New-years-resolutions-DFE.csv (from `zero-shot data`), else
 * ../shared/data/new-years-resolutions/New-years-resolutions-DFE.csv beside the checkout.
 */
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

const ROOT = resolve(__dirname, "..");
const CANDIDATES = [join(ROOT, "data/New-years-resolutions-DFE.csv"), resolve(ROOT, "../shared/data/new-years-resolutions/New-years-resolutions-DFE.csv")];

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { data: { type: "string" }, limit: { type: "string" }, "batch-size": { type: "string" } } });
  const dataPath = values.data ?? CANDIDATES.find((path) => existsSync(path));
  if (!dataPath || !existsSync(dataPath)) {
    console.error(
      `no resolutions dataset: looked for ${values.data ?? CANDIDATES.join(" and ")}.\n` +
        `Fetch it with "zero-shot data" (or "zero-shot data --from PATH"), or pass --data PATH.`,
    );
    return 2;
  }
  const dataset = loadResolutions(dataPath, { limit: values.limit ? Number(values.limit) : undefined });
  const batchSize = values["batch-size"] ? Number(values["batch-size"]) : 32;
  const modelDir = ensureTestModel("distilbert-base-nli");
  const model = await LocalNliModel.load(modelDir, { batchSize });
  const cacheDir = mkdtempSync(join(tmpdir(), "zs-evaluate-bench-"));
  console.log(`data: ${dataPath}: ${dataset.totalRows} rows, ${dataset.frame.shape[0]} labelled, ${dataset.labels.length} labels`);
  console.log(`model: ${modelDir} (distilbert-base-nli, random weights, fp32), batch size ${batchSize}; cache: ${cacheDir}`);

  const run = async (name: string): Promise<{ seconds: number; computed: number; cached: number; evaluation: Evaluation }> => {
    // A new CachedScorer each run, as a new process would open the cache: only the disk carries over.
    const cache = new CachedScorer(model, { dir: cacheDir });
    const progress = terminalProgress(name);
    const started = performance.now();
    const evaluation = await evaluate(cache, dataset, { onProgress: progress });
    const seconds = (performance.now() - started) / 1000;
    progress.finish();
    cache.close();
    return { seconds, computed: cache.totals.computed, cached: cache.totals.cached, evaluation };
  };
  try {
    const first = await run("first run");
    const second = await run("cached re-run");
    const pairs = first.evaluation.size * first.evaluation.labels.length;
    const sameMetrics = JSON.stringify(first.evaluation.templates[0].confusion) === JSON.stringify(second.evaluation.templates[0].confusion);
    console.log(`pairs per run: ${pairs} (${first.evaluation.size} texts x ${first.evaluation.labels.length} labels)`);
    console.log(`first run:     ${first.seconds.toFixed(1)} s, ${first.computed} pairs computed, ${first.cached} from the cache (${(first.computed / first.seconds).toFixed(0)} pairs/s)`);
    console.log(`cached re-run: ${(second.seconds * 1000).toFixed(0)} ms, ${second.computed} pairs computed, ${second.cached} from the cache`);
    console.log(`speed-up: ${(first.seconds / second.seconds).toFixed(0)}x; same metrics: ${sameMetrics ? "yes" : "NO"} (accuracy ${first.evaluation.templates[0].accuracy.toFixed(4)})`);
    return sameMetrics && second.computed === 0 ? 0 : 1;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    await model.dispose();
  }
}

main().then((code) => (process.exitCode = code));
