import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { EndpointClassifier } from "../../../src/backends/sagemaker/endpointClassifier";
import { EndpointNotFoundError } from "../../../src/backends/sagemaker/endpointErrors";
import { createRuntimeClient } from "../../../src/backends/sagemaker/runtimeClient";
import { ZeroShotClassifier } from "../../../src/classification/classifier";
import { evaluate } from "../../../src/evaluation/evaluate";
import { startInferenceServer, type InferenceServer } from "../../../src/server/httpServer";
import { tinyBert } from "../../helpers/models";

const TEXTS = ["I will run a marathon", "Save more money", "read more books", "laugh more", "learn the guitar", "volunteer monthly", "get a new job"];
const GOLD = ["Health", "Finance", "Education", "Humor", "Leisure", "Philanthropy", "Career"];
const LABELS = [...new Set(GOLD)];

describe("a SageMaker endpoint as a classification backend", () => {
  let local: ZeroShotClassifier;
  let server: InferenceServer;
  let client: SageMakerRuntimeClient;
  before(async () => {
    local = new ZeroShotClassifier(await LocalNliModel.load(tinyBert()));
    server = await startInferenceServer({ classifier: local, port: 0, endpoints: (name) => (name === "zero-shot" ? local : undefined), log: () => undefined });
    client = createRuntimeClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  it("answers like the local classifier, in text order, across several requests", async () => {
    const remote = new EndpointClassifier(client, "zero-shot", { textsPerRequest: 3, concurrency: 2 });
    const progress: number[] = [];
    const results = await remote.classify(TEXTS, LABELS, { multiLabel: true, hypothesisTemplate: "This resolution is about {}.", onProgress: (done) => progress.push(done) });
    assert.deepEqual(results, await local.classify(TEXTS, LABELS, { multiLabel: true, hypothesisTemplate: "This resolution is about {}." }));
    assert.equal(progress.at(-1), TEXTS.length * LABELS.length);
  });

  it("evaluates the same as the local model", async () => {
    const remote = await evaluate(new EndpointClassifier(client, "zero-shot"), { texts: TEXTS, gold: GOLD });
    const direct = await evaluate(local, { texts: TEXTS, gold: GOLD });
    assert.equal(remote.templates[0].accuracy, direct.templates[0].accuracy);
    assert.deepEqual(remote.templates[0].confusion, direct.templates[0].confusion);
  });

  it("an unknown endpoint is a typed error", async () => {
    await assert.rejects(new EndpointClassifier(client, "missing").classify("x", ["A"]), EndpointNotFoundError);
  });
});
