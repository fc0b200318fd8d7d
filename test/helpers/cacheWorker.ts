/**
 * A separate process that scores pairs through a CachedScorer over the tiny test model, for the cache's
 * crash and concurrency tests. argv: cacheDir, first text index, last text index, [kill after N chunks].
 * Prints the cache's counts as JSON.
 */
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import { CachedScorer } from "../../src/scorers/cachedScorer";
import type { NliScorer, PremiseHypothesisPair } from "../../src/classification/contract";
import { tinyBert } from "./models";

export const workerPairs = (from: number, to: number): PremiseHypothesisPair[] =>
  Array.from({ length: to - from }, (_, i) => ({ premise: `resolution number ${from + i}: run more`, hypothesis: "This example is Health." }));

async function main() {
  const [dir, from, to, killAfter] = process.argv.slice(2);
  const model = await LocalNliModel.load(tinyBert(), { batchSize: 8 });
  let chunks = 0;
  const inner: NliScorer = {
    modelId: model.modelId,
    labelIds: model.labelIds,
    async scorePairs(pairs, options) {
      if (killAfter !== undefined && chunks === Number(killAfter)) process.kill(process.pid, "SIGKILL");
      chunks++;
      return model.scorePairs(pairs, options);
    },
  };
  const cache = new CachedScorer(inner, { dir, chunkSize: 16, identity: { model: "tiny-bert-nli", dtype: "fp32" } });
  await cache.scorePairs(workerPairs(Number(from), Number(to)));
  process.stdout.write(JSON.stringify(cache.totals));
}

if (require.main === module) main();
