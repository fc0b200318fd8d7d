import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { renderSvg } from "../../src/charts/render";
import { thresholdCurveChart } from "../../src/charts/thresholdCurve";
import { assertMatchesSnapshot } from "../helpers/snapshot";

describe("thresholdCurveChart", () => {
  const points = [0.1, 0.3, 0.5, 0.7, 0.9].map((threshold, i) => ({ threshold, precision: 0.2 + 0.15 * i, recall: 0.95 - 0.2 * i, f1: 0.4 + 0.05 * (2 - Math.abs(2 - i)), labelsPerText: 4 - i }));
  const spec = thresholdCurveChart(points, { chosen: 0.5 });

  it("draws precision, recall and F1 per threshold, and marks the chosen threshold", () => {
    const [lines, rule] = (spec as unknown as { layer: { data: { values: Record<string, unknown>[] } }[] }).layer;
    assert.equal(lines.data.values.length, 15);
    assert.deepEqual(lines.data.values.slice(0, 3).map((v) => v.metric), ["precision", "recall", "F1"]);
    assert.deepEqual(rule.data.values, [{ threshold: 0.5 }]);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "thresholdCurve.svg"));
  });
});
