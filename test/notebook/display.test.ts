import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { displayChart, VEGA_LITE_MIME, type ChartBundle } from "../../src/notebook/display";
import { perClassF1Chart } from "../../src/charts/perClassF1";
import * as fixtures from "../charts/fixtures";

describe("displayChart", () => {
  it("sends one output with the Vega-Lite spec as an object, a static SVG and a text fallback", async () => {
    const outputs: ChartBundle[] = [];
    const spec = perClassF1Chart(fixtures.perClass);
    await displayChart(spec, { sink: (bundle) => outputs.push(bundle) });
    assert.equal(outputs.length, 1);
    assert.equal(outputs[0][VEGA_LITE_MIME], spec);
    assert.match(outputs[0]["image/svg+xml"]!, /^<svg/);
    assert.equal(outputs[0]["text/plain"], "<Vega-Lite chart: F1 per label>");
  });

  it("can carry a PNG instead, base64 as Jupyter stores it", async () => {
    const outputs: ChartBundle[] = [];
    await displayChart(perClassF1Chart(fixtures.perClass), { image: "png", sink: (bundle) => outputs.push(bundle) });
    assert.equal(Buffer.from(outputs[0]["image/png"]!, "base64").subarray(1, 4).toString(), "PNG");
    assert.equal(outputs[0]["image/svg+xml"], undefined);
  });

  it("says how to use it outside a notebook", async () => {
    await assert.rejects(displayChart(perClassF1Chart(fixtures.perClass)), /tslab notebook/);
  });
});
