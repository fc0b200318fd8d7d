/**
 * evaluateWithBatchTransform in local mode (real SDK clients, the tiny generated model): a labelled CSV
 * dataset or plain arrays go through one transform job each, and the evaluation of the job's answers
 * matches what `evaluate` measures in this process with the same labels, template and multi-label choice.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateModelCommand, ListTransformJobsCommand } from "@aws-sdk/client-sagemaker";
import { loadClassifier } from "../../src/backends/local/loadClassifier";
import type { ZeroShotClassifier } from "../../src/classification/classifier";
import { loadLabelledCsv } from "../../src/data/load";
import { InputError } from "../../src/errors";
import { evaluate } from "../../src/evaluation/evaluate";
import { evaluateWithBatchTransform } from "../../src/workflow/evaluateWithBatchTransform";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

describe("evaluateWithBatchTransform", () => {
  let fixture: LocalSageMakerFixture;
  let classifier: ZeroShotClassifier;
  let dir: string;
  before(async () => {
    fixture = await startLocalFixture();
    await fixture.clients.sagemaker.send(
      new CreateModelCommand({ ModelName: "tiny", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" } } }),
    );
    classifier = await loadClassifier(tinyBert(), { offline: true });
    dir = mkdtempSync(join(tmpdir(), "zs-eval-transform-"));
  });
  after(async () => {
    await fixture.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("evaluates a labelled CSV dataset with its own labels, a custom template and multi-label scoring, as evaluate does", { timeout: 60_000 }, async () => {
    const csv = join(dir, "tickets.csv");
    writeFileSync(csv, "text,Resolution_Category\nMy knee hurts after running,health\nThe invoice total is wrong,billing\nI need a new password,access\nPlease refund my payment,billing\n");
    const dataset = loadLabelledCsv(csv, { categoryLabels: { health: "Health", billing: "Billing", access: null } });
    assert.deepEqual(dataset.labels, ["Health", "Billing"]);
    const template = "This ticket is about {}.";

    const { evaluation, run } = await evaluateWithBatchTransform(fixture.clients, dataset, {
      modelName: "tiny",
      s3Uri: "s3://eval-bucket/from-csv",
      jobName: "eval-from-csv",
      template,
      multiLabel: true,
      onProgress: () => {},
    });
    assert.equal(run.records, 3, "the row whose category maps to null is left out");
    const inProcess = await evaluate(classifier, dataset, { templates: [template], multiLabel: true });
    assert.deepEqual([evaluation.model, evaluation.size, evaluation.multiLabel, evaluation.labels], ["tiny", 3, true, ["Health", "Billing"]]);
    const [viaJob, local] = [evaluation.templates[0], inProcess.templates[0]];
    assert.equal(viaJob.template, template);
    assert.deepEqual(viaJob.predictions.map((p) => [p.text, p.gold, p.predicted]), local.predictions.map((p) => [p.text, p.gold, p.predicted]));
    assert.equal(viaJob.accuracy, local.accuracy);
    assert.deepEqual(viaJob.confusion, local.confusion);
    assert.ok(viaJob.multiLabel);
    assert.deepEqual(viaJob.multiLabel, local.multiLabel);
  });

  it("takes comma-separated labels in the order given, and scores a text whose gold label is not a candidate as leftOut", { timeout: 60_000 }, async () => {
    const texts = ["Stocks fell sharply today", "I ran ten miles", "A joke about a duck"];
    const gold = ["Finance", "Health", "Humor"];
    const { evaluation } = await evaluateWithBatchTransform(fixture.clients, { texts, gold }, {
      modelName: "tiny",
      s3Uri: "s3://eval-bucket/arrays",
      jobName: "eval-from-arrays",
      labels: "Health, Finance",
      onProgress: () => {},
    });
    const inProcess = await evaluate(classifier, { texts, gold }, { labels: "Health, Finance" });
    assert.deepEqual(evaluation.labels, ["Health", "Finance"]);
    assert.deepEqual(evaluation.leftOut, { Humor: 1 });
    assert.equal(evaluation.size, 2);
    assert.deepEqual([inProcess.leftOut, inProcess.size], [evaluation.leftOut, evaluation.size]);
    assert.deepEqual(evaluation.templates[0].predictions.map((p) => p.predicted), inProcess.templates[0].predictions.map((p) => p.predicted));
  });

  it("refuses texts and gold labels of different lengths before creating a job", async () => {
    await assert.rejects(
      evaluateWithBatchTransform(fixture.clients, { texts: ["a", "b"], gold: ["x"] }, { modelName: "tiny", s3Uri: "s3://eval-bucket/never", jobName: "never-created", onProgress: () => {} }),
      (error: unknown) => error instanceof InputError && error.message === "2 texts but 1 gold labels: give one gold label per text",
    );
    const jobs = await fixture.clients.sagemaker.send(new ListTransformJobsCommand({ NameContains: "never-created" }));
    assert.deepEqual(jobs.TransformJobSummaries, []);
  });
});
