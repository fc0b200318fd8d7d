/** Maps a dataset's category column to candidate labels and says which rows it leaves out, and why. */

/** Rows left out by a category mapping, per category, in first-seen order. */
export interface LeftOutRows {
  /** Categories the mapping sends to `null` on purpose (e.g. Family/Friends/Relationships). */
  excluded: Record<string, number>;
  /** Categories the mapping does not know (a typo, or a new dataset version). */
  unmapped: Record<string, number>;
  /** Rows whose category cell is empty. */
  empty: number;
}

/** Each row's label (or `null` when left out) and the count of rows left out. */
export interface CategoryMapping {
  labels: (string | null)[];
  leftOut: LeftOutRows;
}

/**
 * Applies `mapping` to each category; a category missing from the mapping is kept under its own name
 * when `keepUnmapped` is true, else left out and counted.
 */
export function mapCategories(
  categories: readonly (string | null | undefined)[],
  mapping: Readonly<Record<string, string | null>>,
  options: { keepUnmapped?: boolean } = {},
): CategoryMapping {
  const leftOut: LeftOutRows = { excluded: {}, unmapped: {}, empty: 0 };
  const labels = categories.map((raw) => {
    const category = (raw ?? "").trim();
    if (category === "") {
      leftOut.empty++;
      return null;
    }
    if (Object.hasOwn(mapping, category)) {
      const label = mapping[category];
      if (label === null) leftOut.excluded[category] = (leftOut.excluded[category] ?? 0) + 1;
      return label;
    }
    if (options.keepUnmapped) return category;
    leftOut.unmapped[category] = (leftOut.unmapped[category] ?? 0) + 1;
    return null;
  });
  return { labels, leftOut };
}

/** One line per reason, e.g. "left out 351 rows: Family/Friends/Relationships 351 (no candidate label)". */
export function describeLeftOut(leftOut: LeftOutRows): string {
  const parts: string[] = [];
  for (const [category, count] of Object.entries(leftOut.excluded)) parts.push(`${category} ${count} (no candidate label)`);
  for (const [category, count] of Object.entries(leftOut.unmapped)) parts.push(`${category} ${count} (not in the category mapping)`);
  if (leftOut.empty > 0) parts.push(`empty category ${leftOut.empty}`);
  const total = countLeftOut(leftOut);
  return total === 0 ? "no rows left out" : `left out ${total} rows: ${parts.join(", ")}`;
}

/** How many rows were left out in all. */
export function countLeftOut(leftOut: LeftOutRows): number {
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return sum(leftOut.excluded) + sum(leftOut.unmapped) + leftOut.empty;
}
