import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { templateComparisonChart } from "../../src/charts/templateComparison";
import { renderSvg } from "../../src/charts/render";
import { VEGA_LITE_SCHEMA } from "../../src/charts/spec";
import { assertMatchesSnapshot } from "../helpers/snapshot";
import * as fixtures from "./fixtures";

describe("templateComparisonChart", () => {
  const spec = templateComparisonChart(fixtures.templates);

  it("is a Vega-Lite v5 spec with its data inline", () => {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA);
    assert.equal(JSON.stringify(spec).includes('"url"'), false);
    const values = (spec.data as { values: { metric: string }[] }).values;
    assert.deepEqual([...new Set(values.map((v) => v.metric))], ["accuracy", "macro-F1", "top-3 accuracy"]);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "templateComparison.svg"));
  });
});
