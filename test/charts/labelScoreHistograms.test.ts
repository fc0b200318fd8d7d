import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { labelScoreHistogramsChart } from "../../src/charts/labelScoreHistograms";
import { renderSvg } from "../../src/charts/render";
import { VEGA_LITE_SCHEMA } from "../../src/charts/spec";
import { assertMatchesSnapshot } from "../helpers/snapshot";
import * as fixtures from "./fixtures";

describe("labelScoreHistogramsChart", () => {
  const spec = labelScoreHistogramsChart(fixtures.predictions, fixtures.labels);

  it("is a Vega-Lite v5 spec with its data inline", () => {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA);
    assert.equal(JSON.stringify(spec).includes('"url"'), false);
  });

  it("shows each group as shares on one y scale for every label, so a rare label's texts show as clearly as a common one's", () => {
    const values = (spec.data as { values: { label: string; text: string; texts: number; share: number }[] }).values;
    // 4 labels x 2 groups x 10 bins.
    assert.equal(values.length, 80);
    for (const label of fixtures.labels) {
      for (const group of ["of this label", "of other labels"]) {
        const bars = values.filter((v) => v.label === label && v.text === group);
        assert.equal(Math.round(bars.reduce((sum, v) => sum + v.share, 0) * 1000) / 1000, 1, `${label} ${group}: shares sum to 1`);
      }
    }
    // 10 texts of each label, 30 of the others.
    assert.equal(values.filter((v) => v.text === "of this label").reduce((sum, v) => sum + v.texts, 0), 40);
    assert.equal((spec as { resolve?: unknown }).resolve, undefined, "no independent y scales");
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "labelScoreHistograms.svg"));
  });
});
