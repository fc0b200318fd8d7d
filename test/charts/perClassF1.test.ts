import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { perClassF1Chart } from "../../src/charts/perClassF1";
import { renderSvg } from "../../src/charts/render";
import { VEGA_LITE_SCHEMA } from "../../src/charts/spec";
import { assertMatchesSnapshot } from "../helpers/snapshot";
import * as fixtures from "./fixtures";

describe("perClassF1Chart", () => {
  const spec = perClassF1Chart(fixtures.perClass);

  it("is a Vega-Lite v5 spec with its data inline", () => {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA);
    assert.equal(JSON.stringify(spec).includes('"url"'), false);
    const values = (spec.data as { values: { f1: number }[] }).values;
    assert.equal(values[0].f1, 0.7293);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "perClassF1.svg"));
  });
});
