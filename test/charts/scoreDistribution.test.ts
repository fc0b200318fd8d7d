import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { scoreDistributionChart } from "../../src/charts/scoreDistribution";
import { renderSvg } from "../../src/charts/render";
import { VEGA_LITE_SCHEMA } from "../../src/charts/spec";
import { assertMatchesSnapshot } from "../helpers/snapshot";
import * as fixtures from "./fixtures";

describe("scoreDistributionChart", () => {
  const spec = scoreDistributionChart(fixtures.predictions);

  it("is a Vega-Lite v5 spec with its data inline", () => {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA);
    assert.equal(JSON.stringify(spec).includes('"url"'), false);
    const values = (spec.data as { values: { outcome: string }[] }).values;
    assert.equal(values.filter((v) => v.outcome === "wrong").length, 14);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "scoreDistribution.svg"));
  });
});
