import { InputError } from "../errors";
import { checkSameLength } from "./accuracy";

/** Counts of (gold, predicted) label pairs: `counts[goldIndex][predictedIndex]`. */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
}

/** The confusion matrix over `labels`; a gold or predicted label outside `labels` is an `InputError`. */
export function confusionMatrix(gold: readonly string[], predicted: readonly string[], labels: readonly string[]): ConfusionMatrix {
  checkSameLength(gold, predicted);
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < gold.length; i++) {
    const row = index.get(gold[i]);
    const column = index.get(predicted[i]);
    if (row === undefined || column === undefined) {
      const unknown = row === undefined ? gold[i] : predicted[i];
      throw new InputError(`label ${JSON.stringify(unknown)} (example ${i + 1}) is not one of the matrix labels ${labels.join(", ")}: add it to the labels`);
    }
    counts[row][column]++;
  }
  return { labels: [...labels], counts };
}
