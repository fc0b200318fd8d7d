/**
 * The batch transform workflow's own choices: the transform settings it asks the container for, how it
 * splits the input into objects, and evaluation through a transform job (local mode, real SDK clients)
 * measuring exactly what an in-process evaluation measures.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateModelCommand, DescribeTransformJobCommand } from "@aws-sdk/client-sagemaker";
import { loadClassifier } from "../../src/backends/local/loadClassifier";
import { InputError } from "../../src/errors";
import { evaluate } from "../../src/evaluation/evaluate";
import { startInferenceServer, type InferenceServer } from "../../src/server/httpServer";
import { executionSettings, objectSizes } from "../../src/workflow/batchTransform";
import { evaluateWithBatchTransform } from "../../src/workflow/evaluateWithBatchTransform";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

describe("transform settings", () => {
  let container: InferenceServer;
  before(async () => {
    container = await startInferenceServer({
      classifier: await loadClassifier(tinyBert(), { offline: true }),
      port: 0,
      executionParameters: { MaxConcurrentTransforms: 3, MaxPayloadInMB: 2 },
      log: () => {},
    });
  });
  after(() => container.close());

  it("asks the container's /execution-parameters when the options leave a setting out", async () => {
    assert.deepEqual(await executionSettings({ containerUrl: container.url }), { maxConcurrentTransforms: 3, maxPayloadInMB: 2, source: "container" });
    assert.deepEqual(await executionSettings({ containerUrl: container.url, maxPayloadInMB: 5 }), { maxConcurrentTransforms: 3, maxPayloadInMB: 5, source: "container" });
    assert.deepEqual(await executionSettings({ containerUrl: container.url, maxConcurrentTransforms: 8, maxPayloadInMB: 5 }), {
      maxConcurrentTransforms: 8,
      maxPayloadInMB: 5,
      source: "options",
    });
  });

  it("falls back to SageMaker's defaults when no container answers", async () => {
    const closed = await startInferenceServer({ classifier: await loadClassifier(tinyBert(), { offline: true }), port: 0, log: () => {} });
    const url = closed.url;
    await closed.close();
    assert.deepEqual(await executionSettings({ containerUrl: url }), { maxConcurrentTransforms: 1, maxPayloadInMB: 6, source: "defaults" });
    assert.deepEqual(await executionSettings({}), { maxConcurrentTransforms: 1, maxPayloadInMB: 6, source: "defaults" });
    await assert.rejects(executionSettings({ maxConcurrentTransforms: 0 }), (error: unknown) => error instanceof InputError && /maxConcurrentTransforms is 0/.test(error.message));
  });

  it("deals records to objects as evenly as possible, never an empty object", () => {
    assert.deepEqual(objectSizes(10, {}, 4), [3, 3, 2, 2]);
    assert.deepEqual(objectSizes(3, {}, 8), [1, 1, 1]);
    assert.deepEqual(objectSizes(10, { recordsPerObject: 4 }, 8), [4, 3, 3]);
    assert.deepEqual(objectSizes(10, { objectCount: 1 }, 8), [10]);
    assert.throws(() => objectSizes(10, { objectCount: 0 }, 1), InputError);
  });
});

describe("evaluation through a batch transform job", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
    await fixture.clients.sagemaker.send(
      new CreateModelCommand({ ModelName: "tiny", PrimaryContainer: { Image: "local", Environment: { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" } } }),
    );
  });
  after(() => fixture.stop());

  it("measures the job's answers exactly as an in-process evaluation measures the model", { timeout: 120_000 }, async () => {
    const labels = ["Health", "Finance", "Humor"];
    const texts = Array.from({ length: 60 }, (_, i) => `${["I will run every morning", "My salary went up", "Why did the chicken cross the road?"][i % 3]} (${i})`);
    const gold = texts.map((_, i) => labels[i % 3]);
    const { evaluation, run } = await evaluateWithBatchTransform(
      fixture.clients,
      { texts, gold },
      { modelName: "tiny", s3Uri: "s3://eval-bucket/eval", jobName: "evaluate-by-transform", labels, instanceCount: 2, maxConcurrentTransforms: 2, onProgress: () => {} },
    );
    assert.equal(run.objects, 4);
    assert.equal(run.records, 60);
    const job = await fixture.clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "evaluate-by-transform" }));
    assert.equal(job.TransformResources?.InstanceCount, 2);
    assert.equal(job.MaxConcurrentTransforms, 2);

    const inProcess = await evaluate(await loadClassifier(tinyBert(), { offline: true }), { texts, gold }, { labels });
    assert.equal(evaluation.size, 60);
    assert.equal(evaluation.model, "tiny");
    const [viaJob, local] = [evaluation.templates[0], inProcess.templates[0]];
    assert.deepEqual(viaJob.predictions.map((p) => [p.text, p.predicted]), local.predictions.map((p) => [p.text, p.predicted]));
    assert.equal(viaJob.accuracy, local.accuracy);
    assert.equal(viaJob.macroF1, local.macroF1);
    assert.deepEqual(viaJob.confusion, local.confusion);
  });
});
