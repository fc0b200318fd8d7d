import { CHART_CONFIG, round, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./spec";

/** One phase of an endpoint's life, in seconds from the first request. */
export interface LifecyclePhase {
  phase: string;
  startSeconds: number;
  endSeconds: number;
}

/** Notebook 02's endpoint life cycle as a timeline: one bar per phase (created, Creating, InService, deleted). */
export function endpointTimelineChart(phases: readonly LifecyclePhase[], options: { title?: string } = {}): TopLevelSpec {
  const values = phases.map((p) => ({ phase: p.phase, start: round(p.startSeconds, 2), end: round(Math.max(p.endSeconds, p.startSeconds), 2), seconds: round(Math.max(0, p.endSeconds - p.startSeconds), 2) }));
  const order = phases.map((p) => p.phase);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "The endpoint's life cycle",
    config: CHART_CONFIG,
    width: 460,
    height: { step: 24 },
    data: { values },
    layer: [
      {
        mark: { type: "bar", cornerRadius: 2 },
        encoding: {
          y: { field: "phase", type: "nominal", sort: order, title: null, axis: { labelLimit: 360 } },
          x: { field: "start", type: "quantitative", title: "seconds since CreateModel" },
          x2: { field: "end" },
          color: { field: "phase", type: "nominal", sort: order, legend: null, scale: { scheme: "tableau10" } },
          tooltip: [{ field: "phase" }, { field: "seconds", type: "quantitative", format: ".2f", title: "seconds" }],
        },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
        encoding: {
          y: { field: "phase", type: "nominal", sort: order },
          x: { field: "end", type: "quantitative" },
          text: { field: "seconds", type: "quantitative", format: ".1f" },
        },
      },
    ],
  } as TopLevelSpec;
}
