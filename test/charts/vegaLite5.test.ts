/**
 * Every chart the project builds, through the Vega-Lite JupyterLab renders with: JupyterLab 4 bundles
 * vega-lite 5.6.1 and vega 5.33 for `application/vnd.vegalite.v5+json`, and renders no v6 mimetype. The
 * project itself draws with vega-lite 6, which accepts more; a spec that leans on anything newer than 5.6.1
 * must fail here, in CI, not in a reader's browser. Checked three ways: the spec validates against
 * vega-lite 5.6.1's JSON schema (it silently ignores properties it does not know), compiles with no
 * warning, and renders with vega 5.33 with no warning.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import Ajv from "ajv";
import * as charts from "../../src/charts";
import { renderSvg } from "../../src/charts/render";
import type { TopLevelSpec } from "../../src/charts/spec";
import * as fixtures from "./fixtures";

/** One spec per chart builder of src/charts, built from the shared fixtures. */
const SPECS: Record<string, () => TopLevelSpec> = {
  confusionMatrixChart: () => charts.confusionMatrixChart(fixtures.confusion),
  labelScoreHistogramsChart: () => charts.labelScoreHistogramsChart(fixtures.predictions, fixtures.labels),
  perClassF1Chart: () => charts.perClassF1Chart(fixtures.perClass),
  reliabilityChart: () => charts.reliabilityChart(fixtures.calibration.bins, { expectedCalibrationError: fixtures.calibration.expectedCalibrationError }),
  scoreDistributionChart: () => charts.scoreDistributionChart(fixtures.predictions),
  templateComparisonChart: () => charts.templateComparisonChart(fixtures.templates),
  nliScoresChart: () =>
    charts.nliScoresChart(["Health", "Finance"], [[-2, 0.5, 3], [2, 0, -1]], ["contradiction", "neutral", "entailment"], { singleLabel: [0.9, 0.1], multiLabel: [0.99, 0.05] }),
  endpointTimelineChart: () =>
    charts.endpointTimelineChart([
      { phase: "Creating", startSeconds: 0, endSeconds: 240 },
      { phase: "InService", startSeconds: 240, endSeconds: 600 },
    ]),
  answerScoresChart: () => charts.answerScoresChart([{ name: "single-label", labels: ["Health", "Finance"], scores: [0.7, 0.3] }]),
  latencyChart: () => charts.latencyChart([120.4, 80.2, 81, 79.5, 90.1], { p50: 81, p90: 108.3 }),
  thresholdCurveChart: () =>
    charts.thresholdCurveChart(
      [0.1, 0.5, 0.9].map((threshold, i) => ({ threshold, precision: 0.3 + 0.3 * i, recall: 0.9 - 0.3 * i, f1: 0.5, labelsPerText: 3 - i })),
      { chosen: 0.5 },
    ),
};

/** What the test uses of vega 5 (its own types declare the module "vega", which is vega 6's name here). */
interface Vega5 {
  version: string;
  Warn: number;
  parse(spec: object): object;
  View: new (runtime: object, options: { renderer: "none"; logger: unknown; logLevel: number }) => { toSVG(): Promise<string>; finalize(): void };
}
interface VegaLite5 {
  version: string;
  compile(spec: object, options: { logger: unknown }): { spec: object };
}

/**
 * vega-lite 5.6.1's build takes vega from `require("vega")`, which in this project is vega 6 (an ES module
 * with top-level await that `require` cannot load). It is handed vega 5.33 instead, as JupyterLab's bundle does.
 */
function loadVegaLite5(vega: Vega5): VegaLite5 {
  const path = require.resolve("vega-lite-5/build/vega-lite.js");
  const module = { exports: {} as VegaLite5 };
  const load = new Function("exports", "module", "require", readFileSync(path, "utf8")) as (exports: object, module: object, require: (id: string) => unknown) => void;
  load(module.exports, module, (id) => (id === "vega" ? vega : require(id)));
  return module.exports;
}

/** A vega logger that keeps every warning and error. */
function recordingLogger() {
  const messages: string[] = [];
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error: (...args: unknown[]) => (messages.push(`error: ${args.map(String).join(" ")}`), logger),
    warn: (...args: unknown[]) => (messages.push(`warn: ${args.map(String).join(" ")}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  return { logger, messages };
}

describe("every chart with vega-lite 5.6.1 and vega 5.33 (JupyterLab's renderer)", () => {
  let vega: Vega5;
  let vegaLite: VegaLite5;
  let validate: ReturnType<Ajv["compile"]>;
  before(() => {
    vega = require("vega-5") as Vega5;
    vegaLite = loadVegaLite5(vega);
    const schema = JSON.parse(readFileSync(require.resolve("vega-lite-5/build/vega-lite-schema.json"), "utf8")) as object;
    validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  });

  it("uses the versions JupyterLab bundles", () => {
    assert.deepEqual([vegaLite.version, vega.version], ["5.6.1", "5.33.0"]);
  });

  it("covers every chart builder that src/charts exports", () => {
    const builders = Object.keys(charts).filter((name) => name.endsWith("Chart") && typeof (charts as Record<string, unknown>)[name] === "function");
    assert.deepEqual(builders.sort(), Object.keys(SPECS).sort(), "add the new chart to SPECS");
  });

  for (const [name, build] of Object.entries(SPECS)) {
    it(`${name}: a valid v5 spec that compiles and renders with no warning, at the size vega-lite 6 draws`, async () => {
      const spec = build();
      assert.match(String(spec.$schema), /\/vega-lite\/v5(\.\d+)*\.json$/);
      const valid = validate(spec);
      assert.ok(valid, `not a vega-lite 5.6.1 spec: ${JSON.stringify(validate.errors?.slice(0, 3))}`);

      const { logger, messages } = recordingLogger();
      const compiled = vegaLite.compile(spec, { logger }).spec;
      const view = new vega.View(vega.parse(compiled), { renderer: "none", logger, logLevel: vega.Warn });
      const svg = await view.toSVG();
      view.finalize();
      assert.deepEqual(messages, []);

      const size = (document: string) => /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(document)?.slice(1, 3).map(Number);
      const drawn = size(svg);
      assert.ok(drawn && drawn[0] > 0 && drawn[1] > 0, `no drawing: ${svg.slice(0, 200)}`);
      assert.deepEqual(drawn, size(await renderSvg(spec)));
    });
  }
});
