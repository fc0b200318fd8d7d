import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { nliScoresChart } from "../../src/charts/nliScores";
import { renderSvg } from "../../src/charts/render";
import { VEGA_LITE_SCHEMA } from "../../src/charts/spec";
import { assertMatchesSnapshot } from "../helpers/snapshot";

const labels = ["Health", "Sports", "Finance"];
const outputs = ["contradiction", "neutral", "entailment"];
const logits = [new Float32Array([-2, 0.5, 3]), new Float32Array([0.1, 0.2, 0.3]), new Float32Array([2, 0, -1])];

describe("nliScoresChart", () => {
  const spec = nliScoresChart(labels, logits, outputs, { singleLabel: [0.9, 0.08, 0.02], multiLabel: [0.99, 0.55, 0.05] });

  it("names every bar: each label's three logits by output, and its two scores by kind", () => {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA);
    const [logitPanel, scorePanel] = (spec as unknown as { hconcat: { data: { values: Record<string, unknown>[] } }[] }).hconcat;
    assert.deepEqual(logitPanel.data.values.slice(0, 3), [
      { label: "Health", output: "contradiction", logit: -2 },
      { label: "Health", output: "neutral", logit: 0.5 },
      { label: "Health", output: "entailment", logit: 3 },
    ]);
    assert.deepEqual(scorePanel.data.values.slice(0, 2), [
      { label: "Health", kind: "single-label (softmax across labels)", score: 0.9 },
      { label: "Health", kind: "multi-label (each label on its own)", score: 0.99 },
    ]);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "nliScores.svg"));
  });
});
