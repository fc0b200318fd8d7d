import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countLeftOut, describeLeftOut, mapCategories } from "../../src/data/categories";
import { RESOLUTION_CATEGORY_LABELS, RESOLUTION_LABELS } from "../../src/data/resolutions";

describe("mapCategories", () => {
  it("maps the resolutions categories to the walkthrough's labels", () => {
    const { labels } = mapCategories(
      ["Health & Fitness", "Recreation & Leisure", "Education/Training", "Time Management/Organization", "Philanthropic", "Humor", "Personal Growth", "Career", "Finance"],
      RESOLUTION_CATEGORY_LABELS,
    );
    assert.deepEqual(labels, ["Health", "Leisure", "Education", "Time Management", "Philanthropy", "Humor", "Personal Growth", "Career", "Finance"]);
    assert.deepEqual(new Set(labels), new Set(RESOLUTION_LABELS));
  });

  it("counts the rows it leaves out, by reason", () => {
    const { labels, leftOut } = mapCategories(
      ["Family/Friends/Relationships", "Health & Fitness", "Pets", "", "Family/Friends/Relationships"],
      RESOLUTION_CATEGORY_LABELS,
    );
    assert.deepEqual(labels, [null, "Health", null, null, null]);
    assert.deepEqual(leftOut, { excluded: { "Family/Friends/Relationships": 2 }, unmapped: { Pets: 1 }, empty: 1 });
    assert.equal(countLeftOut(leftOut), 4);
    assert.equal(
      describeLeftOut(leftOut),
      "left out 4 rows: Family/Friends/Relationships 2 (no candidate label), Pets 1 (not in the category mapping), empty category 1",
    );
  });

  it("keeps unknown categories under their own name when asked, and a mapping can bring a category back", () => {
    assert.deepEqual(mapCategories(["Pets"], RESOLUTION_CATEGORY_LABELS, { keepUnmapped: true }).labels, ["Pets"]);
    const withFamily = { ...RESOLUTION_CATEGORY_LABELS, "Family/Friends/Relationships": "Family" };
    assert.deepEqual(mapCategories(["Family/Friends/Relationships"], withFamily).labels, ["Family"]);
  });
});
