import { InputError } from "../errors";

/** Throws unless gold and predicted have the same, non-zero length. */
export function checkSameLength(gold: readonly unknown[], predicted: readonly unknown[], what = "predictions"): void {
  if (gold.length !== predicted.length) {
    throw new InputError(`${gold.length} gold labels but ${predicted.length} ${what}: pass one ${what.replace(/s$/, "")} per gold label`);
  }
  if (gold.length === 0) throw new InputError("no examples to evaluate: the dataset has no labelled rows");
}

/** The share of examples whose predicted label is the gold one. `accuracy(["a","b"], ["a","a"])` is 0.5. */
export function accuracy(gold: readonly string[], predicted: readonly string[]): number {
  checkSameLength(gold, predicted);
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) correct++;
  return correct / gold.length;
}
