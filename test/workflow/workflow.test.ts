/**
 * The walkthrough's whole SageMaker life cycle with the real AWS SDK clients against local mode:
 * deploy, invoke, batch transform, clean up, with the same calls that target AWS.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DescribeEndpointCommand, DescribeModelCommand, ListEndpointsCommand } from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, ValidationError } from "@aws-sdk/client-sagemaker-runtime";
import { toZeroShotRequest } from "../../src/payload";
import { deleteDeployment } from "../../src/workflow/cleanup";
import { deployModel, type Deployment } from "../../src/workflow/deploy";
import { SageMakerWorkflowError } from "../../src/workflow/errors";
import { huggingFaceInferenceImage } from "../../src/workflow/images";
import { invokeEndpoint } from "../../src/workflow/invoke";
import { EndpointModelError } from "../../src/backends/sagemaker/endpointErrors";
import { InputError } from "../../src/errors";
import { readTransformResults, runBatchTransform } from "../../src/workflow/batchTransform";
import { recordProgress, startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

const LABELS = ["Health", "Finance", "Humor"];
const TEXTS = ["I will run a marathon next year", "My salary went up", "Why did the chicken cross the road?", "Eat more vegetables", "Stocks fell today"];

describe("SageMaker workflow in local mode", () => {
  let fixture: LocalSageMakerFixture;
  let deployment: Deployment;
  before(async () => {
    fixture = await startLocalFixture();
  });
  after(() => fixture.stop());

  it("deploys the model behind an InService endpoint with the Hugging Face container's settings", async () => {
    const progress = recordProgress();
    deployment = await deployModel(fixture.clients, { modelId: tinyBert(), name: "zero-shot-walkthrough", onProgress: progress.onProgress });
    assert.deepEqual(deployment, { modelName: "zero-shot-walkthrough", endpointConfigName: "zero-shot-walkthrough-config", endpointName: "zero-shot-walkthrough" });
    assert.equal(progress.seen.at(-1), "endpoint zero-shot-walkthrough: InService");
    const model = await fixture.clients.sagemaker.send(new DescribeModelCommand({ ModelName: deployment.modelName }));
    assert.deepEqual(model.PrimaryContainer?.Environment, { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" });
    assert.equal(model.PrimaryContainer?.Image, huggingFaceInferenceImage("us-east-1"));
    assert.equal(model.ModelArn, "arn:aws:sagemaker:us-east-1:000000000000:model/zero-shot-walkthrough");
    const endpoint = await fixture.clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: deployment.endpointName }));
    assert.equal(endpoint.EndpointStatus, "InService");
    assert.equal(endpoint.CreationTime instanceof Date, true);
    assert.equal(endpoint.ProductionVariants?.[0].CurrentInstanceCount, 1);
    const listed = await fixture.clients.sagemaker.send(new ListEndpointsCommand({ NameContains: "walkthrough" }));
    assert.deepEqual(listed.Endpoints?.map((e) => [e.EndpointName, e.EndpointStatus]), [["zero-shot-walkthrough", "InService"]]);
  });

  it("answers InvokeEndpoint with labels sorted by score", async () => {
    const result = await invokeEndpoint(fixture.clients, deployment.endpointName, toZeroShotRequest(TEXTS[0], LABELS));
    assert.ok(!Array.isArray(result));
    assert.equal(result.sequence, TEXTS[0]);
    assert.deepEqual([...result.labels].sort(), [...LABELS].sort());
    assert.ok(Math.abs(result.scores.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    assert.deepEqual(result.scores, [...result.scores].sort((a, b) => b - a));
  });

  it("refuses a malformed payload before sending it, naming the field", async () => {
    await assert.rejects(
      invokeEndpoint(fixture.clients, deployment.endpointName, { inputs: "x", parameters: { candidate_labels: [] } }),
      (error: unknown) => error instanceof InputError && /candidate_labels is empty/.test(error.message),
    );
  });

  it("reports a request the model refuses as the container's 400 inside a ModelError", async () => {
    await assert.rejects(
      invokeEndpoint(fixture.clients, deployment.endpointName, toZeroShotRequest("x", ["word ".repeat(300)])),
      (error: unknown) =>
        error instanceof EndpointModelError && error.originalStatusCode === 400 && /leaves no room for the text/.test(error.message),
    );
  });

  it("batch-transforms JSON Lines and joins each answer to its input row, in order", async () => {
    const requests = TEXTS.map((text) => toZeroShotRequest(text, LABELS));
    const progress = recordProgress();
    const run = await runBatchTransform(fixture.clients, {
      modelName: deployment.modelName,
      s3Uri: "s3://walkthrough-bucket/zero-shot",
      jobName: "walkthrough-transform",
      requests,
      onProgress: progress.onProgress,
    });
    assert.equal(run.records, TEXTS.length);
    assert.equal(run.inputUri, "s3://walkthrough-bucket/zero-shot/input/walkthrough-transform.jsonl");
    assert.equal(run.outputUri, "s3://walkthrough-bucket/zero-shot/output/walkthrough-transform.jsonl.out");
    assert.equal(progress.seen.at(-1), "transform job walkthrough-transform: Completed");
    const rows = await readTransformResults(run);
    assert.deepEqual(rows.map((row) => row.lineNumber), [1, 2, 3, 4, 5]);
    assert.deepEqual(rows.map((row) => (row.result as { sequence: string }).sequence), TEXTS);
    // Batch answers are the endpoint's answers: one contract for both.
    for (const row of rows) assert.deepEqual(row.result, await invokeEndpoint(fixture.clients, deployment.endpointName, row.request));
  });

  it("cleans up endpoint, config and model, and a second clean-up finds nothing left without error", async () => {
    const first = await deleteDeployment(fixture.clients, deployment);
    assert.deepEqual(first, {
      deleted: ["endpoint zero-shot-walkthrough", "endpoint config zero-shot-walkthrough-config", "model zero-shot-walkthrough"],
      alreadyGone: [],
    });
    const second = await deleteDeployment(fixture.clients, deployment);
    assert.deepEqual(second.deleted, []);
    assert.equal(second.alreadyGone.length, 3);
    await assert.rejects(
      fixture.clients.runtime.send(new InvokeEndpointCommand({ EndpointName: deployment.endpointName, ContentType: "application/json", Body: "{}" })),
      (error: unknown) => error instanceof ValidationError && /zero-shot-walkthrough/.test(error.message),
    );
  });

  it("describing a missing endpoint is SageMaker's ValidationException \"Could not find endpoint\"", async () => {
    await assert.rejects(fixture.clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: "no-such-endpoint" })), (error: unknown) => {
      const { name, message, $metadata } = error as { name: string; message: string; $metadata: { httpStatusCode: number } };
      assert.equal(name, "ValidationException");
      assert.equal(message, 'Could not find endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint/no-such-endpoint".');
      assert.equal($metadata.httpStatusCode, 400);
      return true;
    });
  });

  it("fails an endpoint whose model directory is missing, with the reason, and deploy says so", async () => {
    // Under the generated models' folder, which local mode may read: a missing folder elsewhere is refused before it is looked for.
    const missing = join(dirname(tinyBert()), "nonexistent/models/tiny-nli");
    await assert.rejects(deployModel(fixture.clients, { modelId: missing, name: "broken-model", onProgress: () => {} }), (error: unknown) => {
      assert.ok(error instanceof SageMakerWorkflowError);
      assert.match(error.message, /endpoint broken-model is Failed/);
      assert.match(error.failureReason ?? "", /nonexistent\/models\/tiny-nli does not exist/);
      return true;
    });
    const endpoint = await fixture.clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: "broken-model" }));
    assert.equal(endpoint.EndpointStatus, "Failed");
    assert.deepEqual((await deleteDeployment(fixture.clients, { modelName: "broken-model", endpointConfigName: "broken-model-config", endpointName: "broken-model" })).deleted.length, 3);
  });

  it("answers a missing folder outside the allowed ones exactly as an existing one, so no path can be probed", async () => {
    const reasons: string[] = [];
    for (const [name, modelId] of [["probe-missing", "/nonexistent/models/tiny-nli"], ["probe-existing", "/usr/share"]] as const) {
      // Refused at CreateModel, before anything is looked up on disk.
      await assert.rejects(deployModel(fixture.clients, { modelId, name, onProgress: () => {} }), (error: unknown) => {
        assert.equal((error as Error).name, "ValidationException");
        reasons.push((error as Error).message.replaceAll(modelId, "PATH").replaceAll(dirname(modelId), "DIR"));
        return true;
      });
    }
    assert.match(reasons[0], /outside the folders local mode may read/);
    assert.equal(reasons[0], reasons[1]);
  });
});
