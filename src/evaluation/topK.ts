import { InputError } from "../errors";
import { checkSameLength } from "./accuracy";

/**
 * The share of examples whose gold label is among the `k` highest-ranked labels. `ranked[i]` lists
 * example i's labels best first, as a `ZeroShotResult`'s `labels` do.
 */
export function topKAccuracy(gold: readonly string[], ranked: readonly (readonly string[])[], k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new InputError(`top-k needs a whole k of at least 1, not ${k}`);
  checkSameLength(gold, ranked, "rankings");
  let hits = 0;
  for (let i = 0; i < gold.length; i++) if (ranked[i].slice(0, k).includes(gold[i])) hits++;
  return hits / gold.length;
}
