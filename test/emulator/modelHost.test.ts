/**
 * What stands in for the model container: a model uploaded to local S3 under a prefix is an ordinary
 * model folder (the key encoding keeps plain names plain), so an endpoint serves it from its
 * ModelDataUrl, as it does a file:// folder under the data directory.
 */
import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand } from "@aws-sdk/client-sagemaker";
import { toZeroShotRequest, type ZeroShotResult } from "../../src/payload";
import { waitForEndpoint } from "../../src/workflow/deploy";
import { invokeEndpoint } from "../../src/workflow/invoke";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";
import { WorkerGate } from "../helpers/workerGate";

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => statSync(join(dir, name)).isFile());
}

describe("model host", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
  });
  after(() => fixture.stop());

  async function serveAndAsk(name: string, modelDataUrl: string): Promise<string> {
    await deploy(fixture, name, { ModelDataUrl: modelDataUrl, Environment: { HF_TASK: "zero-shot-classification" } });
    return (await ask(fixture, name, "hi")).sequence as string;
  }

  it("serves a model uploaded to local S3 from its s3:// ModelDataUrl", async () => {
    const source = tinyBert();
    await fixture.clients.s3.send(new CreateBucketCommand({ Bucket: "models" }));
    for (const file of filesUnder(source)) {
      const key = `tiny/${relative(source, join(source, file)).split("\\").join("/")}`;
      await fixture.clients.s3.send(new PutObjectCommand({ Bucket: "models", Key: key, Body: readFileSync(join(source, file)) }));
    }
    assert.equal(await serveAndAsk("from-s3", "s3://models/tiny/"), "hi");
  });

  it("serves a file:// model folder under the data directory", async () => {
    const copy = join(fixture.dataDir, "my-model");
    cpSync(tinyBert(), copy, { recursive: true });
    assert.equal(await serveAndAsk("from-file", pathToFileURL(copy).href), "hi");
  });
});

describe("model host with several copies of each model (modelWorkers)", () => {
  let single: LocalSageMakerFixture;
  before(async () => {
    single = await startLocalFixture();
    await deploy(single, "one-copy", { Environment: { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" } });
  });
  after(() => single.stop());

  it("scores an endpoint's requests on two copies at once, with the answers one copy gives", async () => {
    const gate = new WorkerGate();
    const pooled = await startLocalFixture({ modelWorker: gate.scorerOptions, modelWorkers: 2 });
    try {
      await deploy(pooled, "two-copies", { Environment: { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" } });
      gate.hold();
      const texts = ["I will run a marathon", "save more money", "learn to juggle"];
      const first = ask(pooled, "two-copies", texts[0]);
      await gate.reached(1);
      // The first request holds one copy; the second reaches the other while the first is still held.
      const second = ask(pooled, "two-copies", texts[1]);
      await gate.reached(2);
      // (With one copy, the second would wait for the first: it never reaches a model while the gate holds.)
      const third = ask(pooled, "two-copies", texts[2]);
      gate.open();
      const answers = await Promise.all([first, second, third]);
      assert.equal(gate.jobsReached, 3);
      for (const [i, text] of texts.entries()) assert.deepEqual(answers[i], await ask(single, "one-copy", text));
    } finally {
      gate.open();
      await pooled.stop();
    }
  });

  it("refuses a number of copies that is not a whole number of at least 1, before it listens", async () => {
    await assert.rejects(startLocalFixture({ modelWorkers: 0 }), /modelWorkers must be a whole number of at least 1, not 0: try --workers 1/);
  });
});

/** Creates a model (its container as given), an endpoint config and an endpoint, and waits until it is InService. */
async function deploy(fixture: LocalSageMakerFixture, name: string, container: { ModelDataUrl?: string; Environment: Record<string, string> }): Promise<void> {
  const { sagemaker } = fixture.clients;
  await sagemaker.send(new CreateModelCommand({ ModelName: name, PrimaryContainer: { Image: "local", ...container } }));
  await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: name, ProductionVariants: [{ VariantName: "AllTraffic", ModelName: name, InitialInstanceCount: 1, InstanceType: "ml.m5.xlarge" }] }));
  await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
  const endpoint = await waitForEndpoint(fixture.clients, name, { onProgress: () => {} });
  assert.equal(endpoint.EndpointStatus, "InService", endpoint.FailureReason);
}

/** The endpoint's answer to one text with labels A and B. */
async function ask(fixture: LocalSageMakerFixture, name: string, text: string): Promise<ZeroShotResult> {
  const answer = await invokeEndpoint(fixture.clients, name, toZeroShotRequest(text, ["A", "B"]));
  assert.ok(!Array.isArray(answer));
  return answer;
}
