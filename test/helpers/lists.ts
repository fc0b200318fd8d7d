/** Comparisons of number lists that cannot pass by comparing nothing. */

/**
 * The largest absolute difference between two equal-length score lists. Empty lists are an error, not 0:
 * a comparison of nothing would pass any tolerance and hide a result that lost its scores.
 */
export function maxDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  if (a.length === 0) throw new Error("both score lists are empty: nothing was compared");
  return Math.max(...a.map((value, i) => Math.abs(value - b[i])));
}
