import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHART_CONFIG, OUTCOME_COLORS, round, VEGA_LITE_SCHEMA } from "../../src/charts/spec";

describe("chart conventions", () => {
  it("targets Vega-Lite v5, the version JupyterLab renders", () => {
    assert.equal(VEGA_LITE_SCHEMA, "https://vega.github.io/schema/vega-lite/v5.json");
  });

  it("round keeps 4 decimals by default, so specs and snapshots carry no float noise", () => {
    assert.equal(round(0.1 + 0.2), 0.3);
    assert.equal(round(2 / 3), 0.6667);
    assert.equal(round(2 / 3, 1), 0.7);
    assert.equal(round(1.23456), 1.2346);
  });

  it("colours correct and wrong predictions apart, and draws text in an installed font", () => {
    assert.deepEqual(OUTCOME_COLORS.domain, ["correct", "wrong"]);
    assert.equal(new Set(OUTCOME_COLORS.range).size, 2);
    assert.match(String(CHART_CONFIG.font), /^DejaVu Sans/);
  });
});
