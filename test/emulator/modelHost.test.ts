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
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { waitForEndpoint } from "../../src/workflow/deploy";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

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
    const { sagemaker, runtime } = fixture.clients;
    await sagemaker.send(new CreateModelCommand({ ModelName: name, PrimaryContainer: { Image: "local", ModelDataUrl: modelDataUrl, Environment: { HF_TASK: "zero-shot-classification" } } }));
    await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: name, ProductionVariants: [{ VariantName: "AllTraffic", ModelName: name, InitialInstanceCount: 1, InstanceType: "ml.m5.xlarge" }] }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
    const endpoint = await waitForEndpoint(fixture.clients, name, { onProgress: () => {} });
    assert.equal(endpoint.EndpointStatus, "InService", endpoint.FailureReason);
    const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: name, ContentType: "application/json", Body: JSON.stringify({ inputs: "hi", parameters: { candidate_labels: ["A", "B"] } }) }));
    return JSON.parse(Buffer.from(answer.Body!).toString()).sequence as string;
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
