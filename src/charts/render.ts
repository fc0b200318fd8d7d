/**
 * Headless rendering of Vega-Lite specs: vega-lite compiles, vega draws SVG with no canvas (text widths
 * are estimated, so the output is the same on every machine), and resvg rasterises the SVG to PNG.
 * vega and vega-lite are ES modules with top-level await: they load through a real dynamic `import()`
 * (TypeScript keeps it as one in this CommonJS project), once, on first use.
 */
import type { TopLevelSpec } from "./spec";

type VegaModule = typeof import("vega", { with: { "resolution-mode": "import" } });
type VegaLiteModule = typeof import("vega-lite", { with: { "resolution-mode": "import" } });

let modules: Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> | undefined;

function loadVega(): Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> {
  modules ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return modules;
}

/** Compiles a Vega-Lite spec to a Vega spec. */
export async function compileToVega(spec: TopLevelSpec): Promise<object> {
  const { vegaLite } = await loadVega();
  return vegaLite.compile(spec).spec;
}

/**
 * The chart as an SVG document. vega numbers gradient and clip-path ids with a process-wide counter;
 * they are renumbered from 0 under `idPrefix`, so the same chart gives the same bytes, and several
 * charts inlined in one HTML page (each with its own prefix) do not share ids.
 */
export async function renderSvg(spec: TopLevelSpec, options: { idPrefix?: string } = {}): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none", logLevel: vega.Error });
  try {
    return renumberIds(await view.toSVG(), options.idPrefix ?? "chart");
  } finally {
    view.finalize();
  }
}

/** Renames every `id="..."` of an SVG document (and its `url(#...)` / `href="#..."` references) to `<prefix>-<kind>-<n>`. */
export function renumberIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  for (const [, id] of svg.matchAll(/\bid="([^"]+)"/g)) {
    if (!renamed.has(id)) renamed.set(id, `${prefix}-${id.replace(/[_-]?\d+$/, "") || "id"}-${renamed.size}`);
  }
  if (renamed.size === 0) return svg;
  return svg.replace(/(\bid="|url\(#|href="#)([^")]+)/g, (match, lead: string, id: string) => (renamed.has(id) ? lead + renamed.get(id) : match));
}

/** Fonts for PNG: only DejaVu is sure to exist; without these options resvg maps `sans-serif` to DejaVu Serif. */
export const PNG_FONT_OPTIONS = { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" };

/** The chart as a PNG image, `scale` times the SVG's size (default 2, sharp on high-density screens). */
export async function renderPng(spec: TopLevelSpec, options: { scale?: number } = {}): Promise<Buffer> {
  const svg = await renderSvg(spec);
  return svgToPng(svg, options);
}

/** Rasterises an SVG document with resvg. */
export function svgToPng(svg: string, options: { scale?: number } = {}): Buffer {
  // Loaded on use: a native addon that only PNG output needs.
  const { Resvg } = require("@resvg/resvg-js") as typeof import("@resvg/resvg-js");
  const resvg = new Resvg(svg, { fitTo: { mode: "zoom", value: options.scale ?? 2 }, font: PNG_FONT_OPTIONS, background: "white" });
  return resvg.render().asPng();
}
