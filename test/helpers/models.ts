/** Generated test models, shared by the tests: made once per machine in the user cache (DEFAULT_TEST_MODEL_ROOT). */
import { ensureTestModel } from "../../src/models/generate/generate";

export const tinyBert = () => ensureTestModel("tiny-bert-nli");
export const tinyBart = () => ensureTestModel("tiny-bart-nli");

/** The largest absolute difference between two equal-length score lists. */
export function maxDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  return Math.max(...a.map((value, i) => Math.abs(value - b[i])));
}
