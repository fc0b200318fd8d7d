/**
 * What every chart shares: the Vega-Lite types (vega-lite is an ES module with top-level await, so its
 * types are imported type-only and its code only through `render.ts`'s dynamic import), the schema
 * JupyterLab renders, and a common look.
 */
import type { TopLevelSpec } from "vega-lite" with { "resolution-mode": "import" };
import type { Config } from "vega-lite/types_unstable/config.js" with { "resolution-mode": "import" };

export type { TopLevelSpec };

/** Vega-Lite v5 is what JupyterLab's `application/vnd.vegalite.v5+json` renderer takes; these specs use nothing newer. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** A look shared by every chart: readable axes, no frame around facets. */
export const CHART_CONFIG: Config = {
  font: "DejaVu Sans, Verdana, sans-serif",
  axis: { labelFontSize: 11, titleFontSize: 12, gridOpacity: 0.6 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: "start" },
  view: { stroke: null },
};

/** Colours of right and wrong predictions, used by every chart that splits them. */
export const OUTCOME_COLORS = { domain: ["correct", "wrong"], range: ["#2f7ebc", "#e4572e"] };

/** Rounds for chart data, so specs and snapshots do not carry float noise. */
export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
