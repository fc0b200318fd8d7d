import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { confusionMatrixChart } from "../../src/charts/confusionMatrix";
import { renderSvg } from "../../src/charts/render";
import { VEGA_LITE_SCHEMA } from "../../src/charts/spec";
import { assertMatchesSnapshot } from "../helpers/snapshot";
import * as fixtures from "./fixtures";

describe("confusionMatrixChart", () => {
  const spec = confusionMatrixChart(fixtures.confusion);

  it("is a Vega-Lite v5 spec with its data inline", () => {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA);
    assert.equal(JSON.stringify(spec).includes('"url"'), false);
    const values = (spec.data as { values: { gold: string; predicted: string; count: number; share: number }[] }).values;
    // Health row: 12 of 15 right.
    assert.deepEqual(values[0], { gold: "Health", predicted: "Health", count: 12, share: 0.8 });
    assert.equal(values.length, 16);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "confusionMatrix.svg"));
  });
});
