import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluate } from "../../src/evaluation/evaluate";
import { renderHtmlReport } from "../../src/report/htmlReport";
import type { ZeroShotResult } from "../../src/payload/types";

const alwaysFirst = {
  modelId: "always <first>",
  async classify(texts: readonly string[], labels: readonly string[]): Promise<ZeroShotResult[]> {
    return texts.map((sequence) => ({ sequence, labels: [...labels], scores: labels.map((_, i) => (i === 0 ? 0.6 : 0.4 / (labels.length - 1))) }));
  },
};

describe("renderHtmlReport", () => {
  it("is one self-contained document with tables and every chart as inline SVG", async () => {
    const evaluation = await evaluate(alwaysFirst, { texts: ["a", "b", "c"], gold: ["x", "y", "x"] }, { templates: ["This is {}.", "About {}."] });
    const html = await renderHtmlReport(evaluation, { dataSource: "test data" });
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<title>Zero-shot evaluation of always &lt;first&gt;<\/title>/);
    for (const id of ["templates", "f1", "confusion", "scores", "label-scores", "reliability"]) {
      assert.match(html, new RegExp(`<figure id="${id}">\\n<svg`), `chart ${id}`);
    }
    // No scripts, stylesheets or images from elsewhere: it opens offline.
    assert.doesNotMatch(html, /<script|<link|src="http/);
    assert.match(html, /<td class="num">0.6667<\/td>/); // accuracy 2/3 in the summary table
  });
});
