/**
 * Charts in a notebook, on tslab or Deno's kernel. One output carries the Vega-Lite spec as
 * `application/vnd.vegalite.v5+json` (JupyterLab and VS Code draw it, interactive), a PNG (what an
 * untrusted JupyterLab notebook, GitHub and nbconvert's HTML show) and an SVG (crisp where it is
 * trusted), and a text fallback: each front end picks the richest type it can show.
 */
import { displayBundle, type KernelDisplayWriter } from "./kernel";
import { renderSvg, svgToPng } from "../charts/render";
import type { TopLevelSpec } from "../charts/spec";
import { currentModelWarning } from "./modelWarning";

export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** The MIME types of one chart output. */
export interface ChartBundle {
  [VEGA_LITE_MIME]: TopLevelSpec;
  "image/svg+xml": string;
  /** Base64, as Jupyter stores images. */
  "image/png": string;
  "text/plain": string;
}

/** Receives one display output: a MIME bundle. */
export type DisplaySink = (bundle: ChartBundle) => void;

function titleOf(spec: TopLevelSpec): string {
  const title = (spec as { title?: unknown }).title;
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && "text" in title) return String((title as { text: unknown }).text);
  return "chart";
}

/** The spec with `warning` as its subtitle, so the picture itself says it (a random test model's warning). */
export function withWarning(spec: TopLevelSpec, warning: string | undefined): TopLevelSpec {
  if (!warning) return spec;
  const text = titleOf(spec);
  return { ...spec, title: { text, subtitle: warning, subtitleColor: "#b02a00", subtitleFontWeight: "bold" } } as TopLevelSpec;
}

/** The spec, its PNG and SVG, and a text fallback, ready to display. */
export async function chartBundle(spec: TopLevelSpec, options: { idPrefix?: string; warning?: string } = {}): Promise<ChartBundle> {
  const shown = withWarning(spec, options.warning);
  const svg = await renderSvg(shown, { idPrefix: options.idPrefix });
  return {
    [VEGA_LITE_MIME]: shown,
    "image/png": svgToPng(svg).toString("base64"),
    "image/svg+xml": svg,
    "text/plain": `<Vega-Lite chart: ${titleOf(spec)}${options.warning ? ` (${options.warning})` : ""}>`,
  };
}

/**
 * Shows a chart in a notebook cell: interactive in JupyterLab, an image everywhere else. With a random
 * test model configured (`configureNotebook`), the chart's subtitle says its scores are meaningless.
 * @example
 * import * as notebook from "zero-shot-ts/notebook";
 * await notebook.displayChart(charts.confusionMatrixChart(evaluation.templates[0].confusion));
 */
export async function displayChart(spec: TopLevelSpec, options: { sink?: DisplaySink; write?: KernelDisplayWriter; warning?: string | null } = {}): Promise<void> {
  // Each output gets its own SVG ids: nbconvert's HTML puts every output of a notebook in one page.
  const warning = options.warning === null ? undefined : (options.warning ?? currentModelWarning());
  const bundle = await chartBundle(spec, { idPrefix: `chart${++displayed}`, warning });
  if (options.sink) return options.sink(bundle);
  await displayBundle({ ...bundle }, { write: options.write });
}

let displayed = 0;
