import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { confusionMatrixChart } from "../../src/charts/confusionMatrix";
import { renderPng, renderSvg } from "../../src/charts/render";
import * as fixtures from "./fixtures";

describe("headless rendering", () => {
  const spec = confusionMatrixChart(fixtures.confusion);

  it("renders the same SVG every time", async () => {
    const first = await renderSvg(spec);
    assert.match(first, /^<svg[^>]*width="\d+"/);
    assert.equal(await renderSvg(spec), first);
  });

  it("rasterises to a PNG of the SVG's size times the scale", async () => {
    const svg = await renderSvg(spec);
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    const png = await renderPng(spec, { scale: 2 });
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), width * 2);
  });
});
