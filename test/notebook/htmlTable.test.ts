import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { htmlTable } from "../../src/notebook/htmlTable";

describe("htmlTable", () => {
  it("writes a header row and one row per record, numbers right-aligned with fixed decimals", () => {
    const html = htmlTable(["label", "score"], [["Health", 0.91234], ["Finance", 1 / 3]], { digits: 2 });
    assert.match(html, /<thead><tr><th[^>]*>label<\/th><th[^>]*>score<\/th><\/tr><\/thead>/);
    assert.match(html, /<tr><td style="text-align:left">Health<\/td><td style="text-align:right">0\.91<\/td><\/tr>/);
    assert.match(html, /<td style="text-align:right">0\.33<\/td>/);
  });

  it("escapes text, so a premise with markup shows as written", () => {
    const html = htmlTable(["premise"], [['<b>"bold" & co</b>']]);
    assert.ok(html.includes("&lt;b&gt;&quot;bold&quot; &amp; co&lt;/b&gt;"));
  });
});
