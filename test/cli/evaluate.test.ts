import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { parseTemplates } from "../../src/cli/evaluate";
import { startInferenceServer } from "../../src/server/httpServer";
import { runCli, runCliInProcess } from "../helpers/cli";
import type { ZeroShotClassifier } from "../../src/classification/classifier";
import { tinyBert } from "../helpers/models";
import { loadClassifier } from "../../src/backends/local/loadClassifier";

const dir = mkdtempSync(join(tmpdir(), "zs-evaluate-cli-"));
const sample = resolve(__dirname, "../../data/resolutions-sample.csv");

describe("zero-shot evaluate", () => {
  // The runs of this file load the model once.
  const classifiers = new Map<string, Promise<ZeroShotClassifier>>();
  const zeroShot = (args: string[]) => runCliInProcess(args, { classifiers });

  it("measures a model, writes the report, and answers a re-run from the cache", async () => {
    const cacheDir = join(dir, "cache");
    const report = join(dir, "report.html");
    const args = ["evaluate", "--data", sample, "--model", tinyBert(), "--limit", "20", "--templates", "This example is {}.|This resolution is about {}.", "--cache-dir", cacheDir, "--json"];
    const first = await zeroShot([...args, "--report", report]);
    assert.equal(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout);
    assert.equal(result.size, 20);
    assert.equal(result.labels.length, 9);
    assert.deepEqual(result.data.left_out.excluded, { "Family/Friends/Relationships": 6 });
    assert.deepEqual(result.templates.map((t: { template: string }) => t.template), ["This example is {}.", "This resolution is about {}."]);
    // 20 texts x 9 labels x 2 templates, none seen before.
    assert.deepEqual({ ...result.cache, directory: undefined }, { directory: undefined, pairs: 360, unique: 360, cached: 0, computed: 360 });
    const html = readFileSync(report, "utf8");
    assert.equal(html.match(/<figure id="[a-z0-9-]+">\n<svg/g)?.length, 6);

    const again = await zeroShot(args);
    const rerun = JSON.parse(again.stdout);
    assert.equal(rerun.cache.computed, 0);
    assert.equal(rerun.cache.cached, 360);
    assert.deepEqual(rerun.templates.map((t: { accuracy: number }) => t.accuracy), result.templates.map((t: { accuracy: number }) => t.accuracy));

    // Another template over the same texts: only its own pairs are computed.
    const third = JSON.parse((await zeroShot([...args.slice(0, 7), "--templates", "This example is {}.|A goal about {}.", ...args.slice(9)])).stdout);
    assert.equal(third.cache.computed, 180);
  });

  it("--endpoint evaluates through a SageMaker endpoint (here zero-shot serve) with the same metrics", async () => {
    const classifier = await loadClassifier(tinyBert());
    const server = await startInferenceServer({ classifier, port: 0, log: () => undefined });
    try {
      const common = ["evaluate", "--data", sample, "--limit", "12", "--json"];
      const remote = await zeroShot([...common, "--endpoint", "my-zero-shot", "--endpoint-url", server.url]);
      assert.equal(remote.code, 0, remote.stderr);
      const local = await zeroShot([...common, "--model", tinyBert(), "--no-cache"]);
      const [r, l] = [JSON.parse(remote.stdout), JSON.parse(local.stdout)];
      assert.equal(r.templates[0].accuracy, l.templates[0].accuracy);
      assert.deepEqual(r.templates[0].per_class, l.templates[0].per_class);
      assert.equal(r.cache, null);
    } finally {
      await server.close();
    }
  });

  it("prints a readable summary on the terminal", async () => {
    const run = await zeroShot(["evaluate", "--data", sample, "--model", tinyBert(), "--limit", "9", "--labels", "Health,Humor,Personal Growth", "--no-cache"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /: 3 texts, 3 labels/);
    assert.match(run.stdout, /template +accuracy +macro-F1 +top-3 +ECE\nThis example is \{\}\. +\d+\.\d%/);
    assert.match(run.stdout, /score cache off/);
  });

  it("explains a missing data file (the binary, spawned) and a bad template", async () => {
    const missing = await runCli(["evaluate", "--data", join(dir, "none.csv"), "--model", tinyBert()]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no data file at .*none\.csv: run "zero-shot data"/);
    const template = await zeroShot(["evaluate", "--data", sample, "--model", tinyBert(), "--templates", "no placeholder"]);
    assert.equal(template.code, 2);
    assert.match(template.stderr, /no "\{\}" placeholder/);
  });

  it("splits --templates on |", () => {
    assert.deepEqual(parseTemplates(" A {} | B {}. |"), ["A {}", "B {}."]);
    assert.throws(() => parseTemplates("|"), /--templates is empty/);
  });
});
