import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SageMakerApiError } from "../../src/emulator/apiErrors";
import { listPage, type ListQuery } from "../../src/emulator/listPaging";

interface Job {
  Name: string;
  Status: string;
  CreationTime: number;
}

const jobs: Job[] = [
  { Name: "nightly-b", Status: "Completed", CreationTime: 3 },
  { Name: "Nightly-A", Status: "InProgress", CreationTime: 1 },
  { Name: "adhoc", Status: "Failed", CreationTime: 4 },
  { Name: "nightly-c", Status: "Completed", CreationTime: 2 },
];
const spec = { summary: (job: Job) => job.Name, nameOf: (job: Job) => job.Name, statusOf: (job: Job) => job.Status };
const names = (query: ListQuery, records = jobs) => listPage(records, query, spec).items;

function invalid(pattern: RegExp) {
  return (error: unknown) => error instanceof SageMakerApiError && error.type === "ValidationException" && error.status === 400 && pattern.test(error.message);
}

describe("listPage", () => {
  it("lists newest first by default", () => {
    assert.deepEqual(names({}), ["adhoc", "nightly-b", "nightly-c", "Nightly-A"]);
  });

  it("sorts by Name, CreationTime or Status, in either order", () => {
    assert.deepEqual(names({ SortBy: "Name", SortOrder: "Ascending" }), ["Nightly-A", "adhoc", "nightly-b", "nightly-c"]);
    assert.deepEqual(names({ SortBy: "Name" }), ["nightly-c", "nightly-b", "adhoc", "Nightly-A"]);
    assert.deepEqual(names({ SortBy: "CreationTime", SortOrder: "Ascending" }), ["Nightly-A", "nightly-c", "nightly-b", "adhoc"]);
    assert.deepEqual(names({ SortBy: "Status", SortOrder: "Ascending" }).slice(0, 2).sort(), ["nightly-b", "nightly-c"]);
    assert.deepEqual(names({ SortBy: "Status", SortOrder: "Ascending" }).slice(2), ["adhoc", "Nightly-A"]);
  });

  it("filters by NameContains (ignoring case) and StatusEquals together", () => {
    assert.deepEqual(names({ NameContains: "NIGHTLY" }), ["nightly-b", "nightly-c", "Nightly-A"]);
    assert.deepEqual(names({ NameContains: "nightly", StatusEquals: "Completed" }), ["nightly-b", "nightly-c"]);
    assert.deepEqual(names({ StatusEquals: "Stopped" }), []);
    assert.deepEqual(names({ NameContains: "" }).length, 4);
  });

  it("pages by MaxResults, chaining NextToken until the last page, which has none", () => {
    const first = listPage(jobs, { MaxResults: 3 }, spec);
    assert.deepEqual(first, { items: ["adhoc", "nightly-b", "nightly-c"], nextToken: "3" });
    const second = listPage(jobs, { MaxResults: 3, NextToken: first.nextToken }, spec);
    assert.deepEqual(second, { items: ["Nightly-A"] });
    assert.equal(listPage(jobs, { MaxResults: 4 }, spec).nextToken, undefined);
    assert.equal(listPage([], {}, spec).items.length, 0);
  });

  it("returns 10 per page unless told, up to 100", () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ Name: `job-${String(i).padStart(3, "0")}`, Status: "Completed", CreationTime: i }));
    const page = listPage(many, {}, spec);
    assert.equal(page.items.length, 10);
    assert.equal(page.items[0], "job-119");
    const all: string[] = [];
    let token: string | undefined;
    do {
      const next = listPage(many, { MaxResults: 100, SortOrder: "Ascending", NextToken: token }, spec);
      all.push(...next.items);
      token = next.nextToken;
    } while (token);
    assert.deepEqual(all, many.map((job) => job.Name));
  });

  it("refuses bad SortBy, SortOrder, MaxResults and NextToken with SageMaker's wording", () => {
    assert.throws(() => listPage(jobs, { SortBy: "Size" }, spec), invalid(/^1 validation error detected: Value "Size" at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: \[Name, CreationTime, Status\]$/));
    assert.throws(() => listPage(jobs, { SortOrder: "ascending" }, spec), invalid(/at 'sortOrder' .*\[Ascending, Descending\]$/));
    for (const max of [0, 101, 2.5, -1]) {
      assert.throws(() => listPage(jobs, { MaxResults: max }, spec), invalid(/at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100$/), String(max));
    }
    for (const token of ["abc", "-1", "1e3", "", "5", "1234567890"]) {
      assert.throws(() => listPage(jobs, { NextToken: token }, spec), invalid(/at 'nextToken' .*NextToken of the previous page/), token);
    }
  });

  it("does not offer Status sorting for records without a status", () => {
    const models = [{ Name: "m", CreationTime: 1 }];
    const noStatus = { summary: (m: { Name: string }) => m.Name, nameOf: (m: { Name: string }) => m.Name };
    assert.throws(() => listPage(models, { SortBy: "Status" }, noStatus), invalid(/enum value set: \[Name, CreationTime\]$/));
    assert.deepEqual(listPage(models, { SortBy: "Name" }, noStatus).items, ["m"]);
  });
});
