/** Numbers printed with their names: a reader should never have to count positions in a bare array. */
import { InputError } from "../errors";

/**
 * `values` keyed by `names`, in order: `{ Health: 0.61, Sports: 0.2, ... }`.
 * @example notebook.byLabel(labels, zs.softmax(entailmentLogits))
 */
export function byLabel<T = number>(names: readonly string[], values: ArrayLike<T>): Record<string, T> {
  if (names.length !== values.length) throw new InputError(`${names.length} names but ${values.length} values: pass one name per value`);
  return Object.fromEntries(names.map((name, i) => [name, values[i]]));
}

/** Rows of numbers keyed twice: `{ [row name]: { [column name]: value } }`, e.g. each example's logits by output. */
export function byRowAndColumn(rowNames: readonly string[], columnNames: readonly string[], rows: readonly ArrayLike<number>[]): Record<string, Record<string, number>> {
  // One row per name; each row keyed by the column names.
  if (rowNames.length !== rows.length) throw new InputError(`${rowNames.length} row names but ${rows.length} rows`);
  return Object.fromEntries(rowNames.map((name, i) => [name, byLabel(columnNames, rows[i])]));
}
