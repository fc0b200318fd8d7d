import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { latencyChart } from "../../src/charts/latency";
import { renderSvg } from "../../src/charts/render";
import { assertMatchesSnapshot } from "../helpers/snapshot";

describe("latencyChart", () => {
  const spec = latencyChart([120.4, 80.2, 81, 79.5, 90.1], { p50: 81, p90: 108.3 });

  it("has one dot per call, numbered from 1, and the p50 and p90 lines", () => {
    const [dots, rules] = (spec as unknown as { layer: { data: { values: Record<string, unknown>[] } }[] }).layer;
    assert.deepEqual(dots.data.values.map((v) => v.call), [1, 2, 3, 4, 5]);
    assert.deepEqual(rules.data.values, [{ quantile: "p50", ms: 81 }, { quantile: "p90", ms: 108.3 }]);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "latency.svg"));
  });
});
