import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { displayChart, VEGA_LITE_MIME, withWarning, type ChartBundle } from "../../src/notebook/display";
import { displayBundle, kernelDisplayWriter, runningKernel, type KernelDisplayWriter } from "../../src/notebook/kernel";
import { setModelWarning } from "../../src/notebook/modelWarning";
import { showHtml, showMarkdown } from "../../src/notebook/show";
import { perClassF1Chart } from "../../src/charts/perClassF1";
import { RANDOM_MODEL_WARNING } from "../../src/models/generate/marker";
import * as fixtures from "../charts/fixtures";

describe("displayChart", () => {
  it("sends one output with the Vega-Lite v5 spec as an object, a PNG, an SVG and a text fallback", async () => {
    const outputs: ChartBundle[] = [];
    const spec = perClassF1Chart(fixtures.perClass);
    await displayChart(spec, { sink: (bundle) => outputs.push(bundle), warning: null });
    assert.equal(outputs.length, 1);
    assert.deepEqual(Object.keys(outputs[0]).sort(), ["application/vnd.vegalite.v5+json", "image/png", "image/svg+xml", "text/plain"]);
    assert.equal(outputs[0][VEGA_LITE_MIME], spec);
    assert.match(outputs[0]["image/svg+xml"], /^<svg/);
    assert.equal(Buffer.from(outputs[0]["image/png"], "base64").subarray(1, 4).toString(), "PNG");
    assert.equal(outputs[0]["text/plain"], "<Vega-Lite chart: F1 per label>");
  });

  it("with a random test model configured, says so in the chart's subtitle, its image and its text", async () => {
    setModelWarning(RANDOM_MODEL_WARNING);
    try {
      const outputs: ChartBundle[] = [];
      await displayChart(perClassF1Chart(fixtures.perClass), { sink: (bundle) => outputs.push(bundle) });
      assert.deepEqual((outputs[0][VEGA_LITE_MIME] as { title: unknown }).title, withWarning(perClassF1Chart(fixtures.perClass), RANDOM_MODEL_WARNING).title);
      assert.match(outputs[0]["image/svg+xml"], /random test model: scores are meaningless/);
      assert.equal(outputs[0]["text/plain"], "<Vega-Lite chart: F1 per label (random test model: scores are meaningless)>");
    } finally {
      setModelWarning(undefined);
    }
  });

  it("says how to use it outside a notebook", async () => {
    assert.equal(runningKernel(), "none");
    assert.equal(kernelDisplayWriter(), undefined);
    await assert.rejects(displayChart(perClassF1Chart(fixtures.perClass)), /no notebook kernel to display in: call this inside a tslab or Deno notebook/);
  });
});

describe("kernel-neutral outputs", () => {
  const recorder = () => {
    const sent: { data: Record<string, unknown>; update: boolean }[] = [];
    const write: KernelDisplayWriter = (content, update) => sent.push({ data: content.data as Record<string, unknown>, update });
    return { sent, write };
  };

  it("showHtml sends the HTML with a readable text fallback", async () => {
    const { sent, write } = recorder();
    await showHtml("<table><thead><tr><th>label</th><th>score</th></tr></thead><tbody><tr><td>Health &amp; Fitness</td><td>0.5</td></tr></tbody></table>", { write });
    assert.equal(sent.length, 1);
    assert.equal(sent[0].data["text/plain"], "label\tscore\t\nHealth & Fitness\t0.5");
  });

  it("showMarkdown and displayBundle send one display_data each", async () => {
    const { sent, write } = recorder();
    await showMarkdown("**Model:** x", { write });
    await displayBundle({ "text/plain": "hi" }, { write });
    assert.deepEqual(sent, [
      { data: { "text/markdown": "**Model:** x", "text/plain": "**Model:** x" }, update: false },
      { data: { "text/plain": "hi" }, update: false },
    ]);
  });
});
