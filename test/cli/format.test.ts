import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatResultTable } from "../../src/cli/format";

describe("formatResultTable", () => {
  it("prints each text, then its labels padded to one width with the score to 4 places and a bar of 30 per unit", () => {
    const table = formatResultTable([
      { sequence: "I will run\na marathon", labels: ["Health", "Personal Growth"], scores: [0.75, 0.25] },
      { sequence: "Save money", labels: ["Finance"], scores: [1] },
    ]);
    assert.equal(
      table,
      [
        "I will run a marathon",
        `  Health           0.7500  ${"█".repeat(23)}`,
        `  Personal Growth  0.2500  ${"█".repeat(8)}`,
        "",
        "Save money",
        `  Finance  1.0000  ${"█".repeat(30)}`,
        "",
      ].join("\n"),
    );
  });
});
