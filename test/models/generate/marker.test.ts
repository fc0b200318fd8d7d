/**
 * A generated test model says so everywhere: its config.json carries the mark, and every output made with
 * it (CLI table, CLI --json, evaluate's JSON and HTML report, the server's answer header) says
 * "random test model: scores are meaningless". Real models, real CLI processes, a real HTTP server.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { ZeroShotClassifier } from "../../../src/classification/classifier";
import { isRandomTestModelConfig, isRandomTestModelDir, MODEL_WARNING_HEADER, RANDOM_MODEL_WARNING, randomModelWarning } from "../../../src/models/generate/marker";
import { CachedScorer } from "../../../src/scorers/cachedScorer";
import { MicroBatchingScorer } from "../../../src/scorers/microBatchingScorer";
import { startInferenceServer } from "../../../src/server/httpServer";
import { runCliInProcess } from "../../helpers/cli";
import { tinyBert } from "../../helpers/models";

const sample = resolve(__dirname, "../../../data/resolutions-sample.csv");

describe("the random-model marker", () => {
  let scratch: string;
  let model: LocalNliModel;
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "zs-marker-"));
    model = await LocalNliModel.load(tinyBert());
  });
  after(async () => {
    await model.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("is written into a generated model's config.json, with the warning in words", () => {
    const config = JSON.parse(readFileSync(join(tinyBert(), "config.json"), "utf8"));
    assert.equal(config.random_weights, true);
    assert.equal(config._warning, "random test model: scores are meaningless");
    assert.equal(isRandomTestModelDir(tinyBert()), true);
  });

  it("is absent from a model whose config has no mark (a real model's copy), and from a missing folder", () => {
    const copy = join(scratch, "unmarked");
    cpSync(tinyBert(), copy, { recursive: true });
    const config = JSON.parse(readFileSync(join(copy, "config.json"), "utf8"));
    delete config.random_weights;
    delete config._warning;
    delete config._generated_by;
    writeFileSync(join(copy, "config.json"), JSON.stringify(config));
    assert.equal(isRandomTestModelDir(copy), false);
    assert.equal(isRandomTestModelDir(join(scratch, "missing")), false);
    assert.equal(isRandomTestModelConfig({ model_type: "bart" }), false);
  });

  it("is seen through the loaded model, a classifier and the scorer decorators", () => {
    assert.equal(model.randomWeights, true);
    assert.equal(randomModelWarning(model), RANDOM_MODEL_WARNING);
    assert.equal(randomModelWarning(new ZeroShotClassifier(new MicroBatchingScorer(model))), RANDOM_MODEL_WARNING);
    const cached = new CachedScorer(model, { dir: join(scratch, "cache") });
    assert.equal(randomModelWarning(new ZeroShotClassifier(cached)), RANDOM_MODEL_WARNING);
    cached.close();
    assert.equal(randomModelWarning({ modelId: "some/real-model" }), undefined);
  });

  /** The CLI's commands in this process, sharing one loaded model (test/cli/*.test.ts spawn the binary once each). */
  const classifiers = new Map<string, Promise<ZeroShotClassifier>>();

  it("heads the CLI's table, and goes to stderr beside --json's unchanged lines", async () => {
    const table = await runCliInProcess(["classify", "I will run a marathon", "--labels", "Health,Finance", "--model", tinyBert()], { classifiers });
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout.split("\n")[0], "warning: random test model: scores are meaningless");

    const json = await runCliInProcess(["classify", "I will run a marathon", "--labels", "Health,Finance", "--model", tinyBert(), "--json"], { classifiers });
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(Object.keys(JSON.parse(json.stdout)), ["sequence", "labels", "scores"]);
    assert.match(json.stderr, /zero-shot: warning: random test model: scores are meaningless/);
  });

  it("heads evaluate's summary, is a field of its --json, and a banner of its HTML report", async () => {
    const report = join(scratch, "report.html");
    const common = ["evaluate", "--data", sample, "--model", tinyBert(), "--limit", "10", "--no-cache"];
    const json = await runCliInProcess([...common, "--json", "--report", report], { classifiers });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).model_warning, RANDOM_MODEL_WARNING);
    const html = readFileSync(report, "utf8");
    assert.match(html, /<p class="warning" role="alert">Warning: random test model: scores are meaningless<\/p>\n<h1>/);

    const text = await runCliInProcess(common, { classifiers });
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout.split("\n")[0], "warning: random test model: scores are meaningless");
  });

  it("is the server's X-Zero-Shot-Model-Warning header, on the container and runtime paths, with the body's shape unchanged", async () => {
    const classifier = new ZeroShotClassifier(model);
    const server = await startInferenceServer({ classifier, port: 0, modelWarning: randomModelWarning(classifier), log: () => {} });
    try {
      const body = JSON.stringify({ inputs: "I will run a marathon", parameters: { candidate_labels: ["Health", "Finance"] } });
      for (const path of ["/invocations", "/endpoints/any/invocations"]) {
        const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get(MODEL_WARNING_HEADER), RANDOM_MODEL_WARNING);
        assert.deepEqual(Object.keys((await response.json()) as object), ["sequence", "labels", "scores"]);
      }
    } finally {
      await server.close();
    }
  });
});
