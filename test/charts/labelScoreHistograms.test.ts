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
    const values = (spec.data as { values: { text: string }[] }).values;
    // One value per (prediction, label); one gold label per prediction.
    assert.equal(values.length, 160);
    assert.equal(values.filter((v) => v.text === "of this label").length, 40);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "labelScoreHistograms.svg"));
  });
});
