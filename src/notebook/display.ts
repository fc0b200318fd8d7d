/**
 * Charts in a tslab notebook. One output carries the Vega-Lite spec as
 * `application/vnd.vegalite.v5+json` (JupyterLab draws it, interactive) together with a static SVG
 * (what GitHub's notebook view and nbconvert's HTML show, as they have no Vega renderer) and a text
 * fallback: each front end picks the richest type it knows.
 */
import { kernelDisplayWriter } from "./kernel";
import { renderSvg, svgToPng } from "../charts/render";
import type { TopLevelSpec } from "../charts/spec";

export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** The MIME types of one chart output. */
export interface ChartBundle {
  [VEGA_LITE_MIME]: TopLevelSpec;
  "image/svg+xml"?: string;
  /** Base64, as Jupyter stores images. */
  "image/png"?: string;
  "text/plain": string;
}

/** Receives one display output: a MIME bundle. */
export type DisplaySink = (bundle: ChartBundle) => void;

/** The spec, a static image and a text fallback, ready to display. */
export async function chartBundle(spec: TopLevelSpec, options: { image?: "svg" | "png"; idPrefix?: string } = {}): Promise<ChartBundle> {
  const svg = await renderSvg(spec, { idPrefix: options.idPrefix });
  const title = typeof spec.title === "string" ? spec.title : typeof spec.title === "object" && spec.title && "text" in spec.title ? String(spec.title.text) : "chart";
  const bundle: ChartBundle = { [VEGA_LITE_MIME]: spec, "text/plain": `<Vega-Lite chart: ${title}>` };
  if (options.image === "png") bundle["image/png"] = svgToPng(svg).toString("base64");
  else bundle["image/svg+xml"] = svg;
  return bundle;
}

function tslabSink(): DisplaySink | undefined {
  const write = kernelDisplayWriter();
  return write && ((bundle) => write({ data: bundle, metadata: {}, transient: {} }, false));
}

/**
 * Shows a chart in a tslab notebook cell: interactive in JupyterLab, a static image elsewhere.
 * @example
 * import { charts } from "zero-shot-ts";
 * await charts.display(charts.confusionMatrixChart(evaluation.templates[0].confusion));
 */
export async function displayChart(spec: TopLevelSpec, options: { image?: "svg" | "png"; sink?: DisplaySink } = {}): Promise<void> {
  const sink = options.sink ?? tslabSink();
  if (!sink) throw new Error("no tslab kernel to display in: call displayChart inside a tslab notebook, or pass { sink } (or use renderSvg / renderPng)");
  // Each output gets its own SVG ids: nbconvert's HTML puts every output of a notebook in one page.
  sink(await chartBundle(spec, { image: options.image, idPrefix: `chart${++displayed}` }));
}

let displayed = 0;
