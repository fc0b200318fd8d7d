import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { reliabilityChart } from "../../src/charts/reliability";
import { renderSvg } from "../../src/charts/render";
import { VEGA_LITE_SCHEMA } from "../../src/charts/spec";
import { assertMatchesSnapshot } from "../helpers/snapshot";
import * as fixtures from "./fixtures";

describe("reliabilityChart", () => {
  const spec = reliabilityChart(fixtures.calibration.bins, { expectedCalibrationError: fixtures.calibration.expectedCalibrationError });

  it("is a Vega-Lite v5 spec with its data inline", () => {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA);
    assert.equal(JSON.stringify(spec).includes('"url"'), false);
    assert.match(String(spec.title), /^Reliability diagram \(ECE 0\.\d{3}\)$/);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "reliability.svg"));
  });
});
