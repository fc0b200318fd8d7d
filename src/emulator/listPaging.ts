/**
 * The List* operations' shared behaviour: `NameContains` and `StatusEquals` filters, `SortBy` /
 * `SortOrder`, and `MaxResults` pages chained by `NextToken`, as SageMaker pages them.
 */
import { invalidField } from "./apiErrors";

/** The paging and filter fields every List* request of the emulator accepts. */
export interface ListQuery {
  NameContains?: string;
  StatusEquals?: string;
  SortBy?: string;
  SortOrder?: string;
  MaxResults?: number;
  NextToken?: string;
}

/** How to read one kind of record for a listing. */
export interface ListSpec<T, Summary> {
  summary: (record: T) => Summary;
  nameOf: (record: T) => string;
  statusOf?: (record: T) => string;
}

/** One page of a listing: the summaries and, when more follow, the token for the next page. */
export interface ListPage<Summary> {
  items: Summary[];
  nextToken?: string;
}

const SORT_KEYS = ["Name", "CreationTime", "Status"];

/** Filters, sorts (newest first by default) and pages the records of one List* call. */
export function listPage<T extends { CreationTime: number }, Summary>(records: T[], query: ListQuery, spec: ListSpec<T, Summary>): ListPage<Summary> {
  const { nameOf, statusOf } = spec;
  const contains = typeof query.NameContains === "string" ? query.NameContains.toLowerCase() : undefined;
  const status = query.StatusEquals;
  const selected = records.filter((record) => (!contains || nameOf(record).toLowerCase().includes(contains)) && (!status || statusOf?.(record) === status));
  const sortBy = query.SortBy ?? "CreationTime";
  if (!SORT_KEYS.includes(sortBy) || (sortBy === "Status" && !statusOf)) {
    throw invalidField("sortBy", sortBy, `Member must satisfy enum value set: [${SORT_KEYS.filter((key) => key !== "Status" || statusOf).join(", ")}]`);
  }
  if (query.SortOrder !== undefined && query.SortOrder !== "Ascending" && query.SortOrder !== "Descending") {
    throw invalidField("sortOrder", query.SortOrder, "Member must satisfy enum value set: [Ascending, Descending]");
  }
  const max = query.MaxResults ?? 10;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidField("maxResults", max, "Member must have value between 1 and 100");
  const start = query.NextToken === undefined ? 0 : Number(query.NextToken);
  if (query.NextToken !== undefined && (!/^\d{1,9}$/.test(query.NextToken) || start > records.length)) {
    throw invalidField("nextToken", query.NextToken, "Member must be the NextToken of the previous page of this listing");
  }
  const descending = query.SortOrder !== "Ascending";
  const sortKey = (record: T): string | number =>
    sortBy === "Name" ? nameOf(record) : sortBy === "Status" ? (statusOf?.(record) ?? "") : record.CreationTime;
  selected.sort((a, b) => {
    const left = sortKey(a);
    const right = sortKey(b);
    const order = left < right ? -1 : left > right ? 1 : 0;
    return descending ? -order : order;
  });
  const page: ListPage<Summary> = { items: selected.slice(start, start + max).map(spec.summary) };
  if (start + max < selected.length) page.nextToken = String(start + max);
  return page;
}
