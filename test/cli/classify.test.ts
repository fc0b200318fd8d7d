import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import type { ZeroShotResult } from "../../src/payload/types";
import { runCli, runCliInProcess } from "../helpers/cli";
import { maxDifference, tinyBert } from "../helpers/models";
import { loadClassifier } from "../../src/backends/local/loadClassifier";
import type { LocalNliModel } from "../../src/backends/local/localNliModel";

describe("zero-shot classify", () => {
  let scratch: string;
  let model: string;
  let classifier: ZeroShotClassifier;
  // The runs of this file load each (model, options) once.
  const classifiers = new Map<string, Promise<ZeroShotClassifier>>();
  const zeroShot = (args: string[]) => runCliInProcess(args, { classifiers });
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "zs-cli-"));
    model = tinyBert();
    classifier = await loadClassifier(model);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("prints sorted scores for each text in a readable table (the binary, spawned)", async () => {
    const run = await runCli(["classify", "I will run a marathon", "--labels", "Health,Finance", "--model", model]);
    assert.equal(run.code, 0, run.stderr);
    const [expected] = await classifier.classify("I will run a marathon", ["Health", "Finance"]);
    // A generated model's table starts with its warning (test/models/generate/marker.test.ts), then a blank line.
    const lines = run.stdout.trim().split("\n").slice(2);
    assert.equal(lines[0], "I will run a marathon");
    assert.match(lines[1], new RegExp(`^  ${expected.labels[0]}\\s+${expected.scores[0].toFixed(4)} `));
    assert.match(lines[2], new RegExp(`^  ${expected.labels[1]}\\s+${expected.scores[1].toFixed(4)} `));
  });

  it("--json prints one {sequence, labels, scores} per text, in input order, equal to the library", async () => {
    const input = join(scratch, "mixed.jsonl");
    writeFileSync(
      input,
      [
        JSON.stringify("a plain string line uses --labels"),
        JSON.stringify({ inputs: ["first of two", "second of two"], parameters: { candidate_labels: ["Humor", "Career", "Finance"], multi_label: true } }),
        JSON.stringify({ inputs: "own template", parameters: { candidate_labels: "Health, Leisure", hypothesis_template: "This tweet is about {}." } }),
      ].join("\n") + "\n",
    );
    const run = await zeroShot(["classify", "from the command line", "--input", input, "--labels", "Health,Finance", "--json", "--model", model, "--batch-size", "2"]);
    assert.equal(run.code, 0, run.stderr);
    const results = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as ZeroShotResult);
    assert.deepEqual(results.map((r) => r.sequence), ["from the command line", "a plain string line uses --labels", "first of two", "second of two", "own template"]);
    const expected = [
      ...(await classifier.classify(["from the command line", "a plain string line uses --labels"], "Health,Finance")),
      ...(await classifier.classify(["first of two", "second of two"], ["Humor", "Career", "Finance"], { multiLabel: true })),
      ...(await classifier.classify("own template", "Health,Leisure", { hypothesisTemplate: "This tweet is about {}." })),
    ];
    results.forEach((result, i) => {
      assert.deepEqual(result.labels, expected[i].labels);
      assert.ok(maxDifference(result.scores, expected[i].scores) <= 1e-6);
    });
    assert.ok(Math.abs(results[2].scores.reduce((a, b) => a + b) - 1) > 1e-3, "multi_label scores are independent");
  });

  it("a malformed line stops the run with the file and line, and prints no results", async () => {
    const input = join(scratch, "bad.jsonl");
    writeFileSync(input, `${JSON.stringify("fine")}\n{"inputs": "x", "parameters": {"candidate_labels": []}}\n`);
    const run = await zeroShot(["classify", "--input", input, "--labels", "A,B", "--json", "--model", model]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, new RegExp(`${input.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: candidate_labels is empty`));

    writeFileSync(input, `${JSON.stringify("fine")}\n{not json\n`);
    const broken = await zeroShot(["classify", "--input", input, "--labels", "A,B", "--model", model]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /bad\.jsonl:2: not valid JSON/);

    writeFileSync(input, `${JSON.stringify("fine")}\n\n${JSON.stringify("after a blank line")}\n`);
    const blank = await zeroShot(["classify", "--input", input, "--labels", "A,B", "--model", model]);
    assert.equal(blank.code, 2);
    assert.match(blank.stderr, /bad\.jsonl:2: the line is empty/);
  });

  it("errors are one actionable line, never a stack trace", async () => {
    const noLabels = await zeroShot(["classify", "text", "--model", model]);
    assert.equal(noLabels.code, 2);
    assert.match(noLabels.stderr, /^zero-shot: error: no candidate labels: pass --labels "A,B,C"/);
    const badTemplate = await zeroShot(["classify", "text", "--labels", "A", "--template", "About that.", "--model", model]);
    assert.match(badTemplate.stderr, /has no "\{\}" placeholder/);
    const badOption = await zeroShot(["classify", "text", "--lables", "A"]);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /Unknown option '--lables'/);
    for (const run of [noLabels, badTemplate, badOption]) assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it("resolves a relative --input and model directory against its working directory, loading the model once", async () => {
    writeFileSync(join(scratch, "relative.jsonl"), `${JSON.stringify("from a relative path")}\n`);
    const modelsDir = join(model, "..");
    const loadsBefore = classifiers.size;
    const run = await runCliInProcess(["classify", "--input", "relative.jsonl", "--labels", "Health,Finance", "--json", "--model", join(relative(scratch, modelsDir), "tiny-bert-nli")], { cwd: scratch, classifiers });
    assert.equal(run.code, 0, run.stderr);
    const [result] = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as ZeroShotResult);
    assert.deepEqual(result, (await classifier.classify("from a relative path", ["Health", "Finance"]))[0]);
    assert.equal(classifiers.size, loadsBefore + 1);
    // The same directory given as an absolute path, with the same options: no second load.
    await runCliInProcess(["classify", "again", "--labels", "A,B", "--model", model], { classifiers });
    assert.equal(classifiers.size, loadsBefore + 1);
  });

  it("loads the model again for a run whose environment changes what a load reads (ZERO_SHOT_FULL_GRAPH), with the same scores", async () => {
    const loaded = new Map<string, Promise<ZeroShotClassifier>>();
    const args = ["classify", "I will read more", "--labels", "Health,Education", "--json", "--model", model];
    const narrowed = await runCliInProcess(args, { classifiers: loaded, env: { ZERO_SHOT_FULL_GRAPH: undefined } });
    const full = await runCliInProcess(args, { classifiers: loaded, env: { ZERO_SHOT_FULL_GRAPH: "1" } });
    assert.equal(full.code, 0, full.stderr);
    assert.equal(loaded.size, 2, "the full-graph run must not reuse the narrowed graph's classifier");
    const [narrowedModel, fullModel] = (await Promise.all(loaded.values())).map((loadedClassifier) => loadedClassifier.scorer as LocalNliModel);
    assert.ok(narrowedModel.firstToken && narrowedModel.firstToken.narrowed > 0);
    assert.equal(fullModel.firstToken, undefined);
    assert.equal(full.stdout, narrowed.stdout);
    // The same environment again: the classifier loaded for it.
    await runCliInProcess(args, { classifiers: loaded, env: { ZERO_SHOT_FULL_GRAPH: "1" } });
    assert.equal(loaded.size, 2);
    await Promise.all([narrowedModel.dispose(), fullModel.dispose()]);
  });

  it("a classify run loads only what classifying needs: no AWS SDK, dataframes, charts or HTTP server code", async () => {
    // In this process: this file imports only the CLI, the classifier and the local backend.
    const run = await zeroShot(["classify", "read more", "--labels", "Health", "--json", "--model", model]);
    assert.equal(run.code, 0, run.stderr);
    const unneeded = Object.keys(require.cache).filter((file) => /@aws-sdk|@smithy|danfojs|[\\/]vega|@resvg|[\\/]src[\\/](server|emulator|charts|aws|evaluation)[\\/]/.test(file));
    assert.deepEqual(unneeded, []);
    assert.ok(Object.keys(require.cache).some((file) => /[\\/]src[\\/]cli[\\/]classify\.ts$/.test(file)), "the check sees the command's modules");
  });

  it("--help documents every option", async () => {
    const run = await zeroShot(["classify", "--help"]);
    assert.equal(run.code, 0);
    for (const option of ["--labels", "--multi-label", "--template", "--model", "--dtype", "--input", "--batch-size", "--json", "--offline", "bart-large-mnli"]) {
      assert.ok(run.stdout.includes(option), `--help mentions ${option}`);
    }
  });
});
