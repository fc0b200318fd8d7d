import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadClassifier } from "../../src/backends/local/loadClassifier";
import type { LocalNliModel } from "../../src/backends/local/localNliModel";
import { EndpointModelError, EndpointNotFoundError } from "../../src/backends/sagemaker/endpointErrors";
import type { ZeroShotClassifier } from "../../src/classification/classifier";
import { toZeroShotRequest } from "../../src/payload";
import { startInferenceServer, type InferenceServer } from "../../src/server/httpServer";
import { destroyClients, sageMakerClients, type SageMakerClients } from "../../src/workflow/clients";
import { invokeEndpoint } from "../../src/workflow/invoke";
import { tinyBert } from "../helpers/models";

describe("invokeEndpoint through the workflow's clients (zero-shot serve as the endpoint)", () => {
  let classifier: ZeroShotClassifier;
  let server: InferenceServer;
  let clients: SageMakerClients;
  before(async () => {
    classifier = await loadClassifier(tinyBert());
    server = await startInferenceServer({ classifier, port: 0, endpoints: (name) => (name === "zero-shot" ? classifier : undefined), log: () => undefined });
    clients = sageMakerClients({ mode: "local", endpoint: server.url });
  });
  after(async () => {
    destroyClients(clients);
    await server.close();
    await (classifier.scorer as LocalNliModel).dispose();
  });

  it("answers a string input with one result and a list with a list, equal to the local classifier", async () => {
    const one = await invokeEndpoint(clients, "zero-shot", toZeroShotRequest("I will run a marathon", ["Health", "Finance"]));
    assert.deepEqual(one, (await classifier.classify("I will run a marathon", ["Health", "Finance"]))[0]);
    const many = await invokeEndpoint(clients, "zero-shot", { inputs: ["Save money", "Read more"], parameters: { candidate_labels: ["Finance", "Education"], multi_label: true } });
    assert.deepEqual(many, await classifier.classify(["Save money", "Read more"], ["Finance", "Education"], { multiLabel: true }));
  });

  it("fails with the runtime client's typed errors", async () => {
    await assert.rejects(invokeEndpoint(clients, "other", toZeroShotRequest("x", ["A"])), (error: unknown) => error instanceof EndpointNotFoundError && error.endpointName === "other");
    // A label so long its hypothesis fills the model's input: the container answers 400, the runtime ModelError.
    await assert.rejects(
      invokeEndpoint(clients, "zero-shot", toZeroShotRequest("x", ["word ".repeat(300)])),
      (error: unknown) => error instanceof EndpointModelError && error.originalStatusCode === 400 && /leaves no room for the text/.test(error.message),
    );
  });
});
