import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ModelError, ServiceUnavailable, type SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import {
  EndpointModelError,
  EndpointNotFoundError,
  EndpointUnavailableError,
  EndpointValidationError,
} from "../../../src/backends/sagemaker/endpointErrors";
import { createRuntimeClient, invokeZeroShotEndpoint } from "../../../src/backends/sagemaker/runtimeClient";
import { ZeroShotClassifier } from "../../../src/classification/classifier";
import type { NliScorer } from "../../../src/classification/contract";
import { InputError } from "../../../src/errors";
import { startInferenceServer, type InferenceServer } from "../../../src/server/httpServer";
import { MicroBatchingScorer } from "../../../src/scorers/microBatchingScorer";
import { maxDifference, tinyBert } from "../../helpers/models";
import { promiseWithResolvers } from "../../helpers/barrier";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

describe("invokeZeroShotEndpoint against zero-shot serve", () => {
  let model: LocalNliModel;
  let classifier: ZeroShotClassifier;
  let server: InferenceServer;
  let client: SageMakerRuntimeClient;
  before(async () => {
    model = await LocalNliModel.load(tinyBert());
    classifier = new ZeroShotClassifier(new MicroBatchingScorer(model));
    server = await startInferenceServer({
      classifier,
      port: 0,
      endpoints: (name) => (name === "zero-shot" ? classifier : undefined),
      log: () => undefined,
    });
    // Only the configuration differs from a client for AWS.
    client = createRuntimeClient({ endpoint: server.url, region: "us-east-1", credentials });
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  it("returns one typed result for a string input, equal to the local classifier", async () => {
    const result = await invokeZeroShotEndpoint(client, "zero-shot", {
      inputs: "I will run a marathon",
      parameters: { candidate_labels: ["Health", "Finance"], hypothesis_template: "This tweet is about {}." },
    });
    const [expected] = await new ZeroShotClassifier(model).classify("I will run a marathon", ["Health", "Finance"], {
      hypothesisTemplate: "This tweet is about {}.",
    });
    assert.deepEqual(result, expected);
  });

  it("returns a list for a list input, with multi-label scores", async () => {
    const results = await invokeZeroShotEndpoint(client, "zero-shot", {
      inputs: ["first", "second"],
      parameters: { candidate_labels: "Humor, Career, Finance", multi_label: true },
    });
    assert.deepEqual(results, await classifier.classify(["first", "second"], ["Humor", "Career", "Finance"], { multiLabel: true }));
  });

  it("gives 32 concurrent requests with different labels each its own right answer", async () => {
    const requests = Array.from({ length: 32 }, (_, i) => ({
      inputs: `request number ${i} about topic ${i % 5}`,
      parameters: { candidate_labels: [`topic ${i}`, `subject ${(i * 7) % 32}`, i % 2 ? "odd" : "even"] },
    }));
    const results = await Promise.all(requests.map((request) => invokeZeroShotEndpoint(client, "zero-shot", request)));
    const plain = new ZeroShotClassifier(model);
    for (const [i, request] of requests.entries()) {
      const [expected] = await plain.classify(request.inputs, request.parameters.candidate_labels);
      assert.equal(results[i].sequence, request.inputs);
      assert.deepEqual(results[i].labels, expected.labels, `request ${i}`);
      assert.ok(maxDifference(results[i].scores, expected.scores) < 1e-6, `request ${i}`);
    }
  });

  it("raises EndpointNotFoundError for an unknown endpoint name", async () => {
    await assert.rejects(invokeZeroShotEndpoint(client, "nope", { inputs: "x", parameters: { candidate_labels: ["A"] } }), (error: unknown) => {
      assert.ok(error instanceof EndpointNotFoundError);
      assert.equal(error.endpointName, "nope");
      assert.match(error.message, /not found.*check the endpoint name/);
      return true;
    });
  });

  it("refuses a malformed request before the round trip, naming the field", async () => {
    const request = { inputs: "x", parameters: { candidate_labels: ["A"], multi_label: "yes" as unknown as boolean } };
    await assert.rejects(invokeZeroShotEndpoint(client, "zero-shot", request), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /"multi_label" must be true or false/);
      return true;
    });
  });

  it("maps ModelError from the server to EndpointModelError with OriginalStatusCode and the container message", async () => {
    // A server that only knows JSON answers text/csv with 406: the SDK throws ModelError, we map it.
    const csvClient = createRuntimeClient({ endpoint: server.url, region: "us-east-1", credentials, maxAttempts: 1 });
    csvClient.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers["accept"] = "text/csv";
        return next(args);
      },
      { step: "build", name: "askForCsv" },
    );
    const error = await invokeZeroShotEndpoint(csvClient, "zero-shot", { inputs: "x", parameters: { candidate_labels: ["A"] } }).catch((e: unknown) => e);
    csvClient.destroy();
    assert.ok(error instanceof EndpointModelError, String(error));
    assert.equal(error.originalStatusCode, 406);
    assert.equal(error.code, "endpoint_rejected_request");
    assert.match(error.originalMessage!, /application\/json only/);
    assert.ok(error.cause instanceof ModelError);
  });

  it("raises EndpointValidationError for a payload over 6 MiB", async () => {
    const error = await invokeZeroShotEndpoint(client, "zero-shot", { inputs: "x ".repeat(3.2 * 1024 * 1024), parameters: { candidate_labels: ["A"] } }).catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof EndpointValidationError, String(error));
    assert.equal(error.statusCode, 413);
  });

  it("retries 503 ServiceUnavailable with the SDK's backoff, and reports it typed when retries run out", async () => {
    // One invocation at a time. The first request's scoring waits on a gate the test opens, so the server is
    // busy for exactly as long as the test needs, on any machine.
    const scoring = promiseWithResolvers<void>();
    const gate = promiseWithResolvers<void>();
    const held: NliScorer = {
      modelId: model.modelId,
      labelIds: model.labelIds,
      async scorePairs(pairs, options) {
        scoring.resolve();
        await gate.promise;
        return model.scorePairs(pairs, options);
      },
    };
    const busy = await startInferenceServer({ classifier: new ZeroShotClassifier(held), port: 0, maxPendingInvocations: 1, log: () => undefined });
    const retrying = createRuntimeClient({ endpoint: busy.url, region: "us-east-1", credentials, maxAttempts: 6 });
    const once = createRuntimeClient({ endpoint: busy.url, region: "us-east-1", credentials, maxAttempts: 1 });
    try {
      const request = (text: string) => ({ inputs: text, parameters: { candidate_labels: ["A", "B"] } });
      const first = invokeZeroShotEndpoint(once, "any-name", request("first"));
      await scoring.promise;
      const noRetry = await invokeZeroShotEndpoint(once, "any-name", request("refused")).catch((e: unknown) => e);
      assert.ok(noRetry instanceof EndpointUnavailableError, String(noRetry));
      assert.equal(noRetry.statusCode, 503);
      assert.ok(noRetry.cause instanceof ServiceUnavailable);
      assert.match(noRetry.message, /answering 1 invocations already/);

      // Each attempt of the retrying client passes here (inside the SDK's retry loop, before the response is
      // parsed): the first one is refused with 503, which opens the gate; the retry waits until the first
      // request has been answered.
      const attempts: number[] = [];
      let firstDone: Promise<unknown> | undefined;
      retrying.middlewareStack.add(
        (next) => async (args) => {
          if (attempts.length > 0) await firstDone;
          const output = await next(args);
          attempts.push((output.response as { statusCode: number }).statusCode);
          if (attempts.length === 1) {
            firstDone = first.catch(() => undefined);
            gate.resolve();
          }
          return output;
        },
        { step: "deserialize", name: "holdRetryUntilFirstAnswered" },
      );
      const [a, b] = await Promise.all([first, invokeZeroShotEndpoint(retrying, "any-name", request("second"))]);
      assert.deepEqual(attempts, [503, 200]);
      assert.equal(a.sequence, "first");
      assert.equal(b.sequence, "second");
      assert.deepEqual(b, (await classifier.classify("second", ["A", "B"]))[0]);
    } finally {
      gate.resolve();
      retrying.destroy();
      once.destroy();
      await busy.close();
    }
  });

  it("raises EndpointUnavailableError when nothing listens", async () => {
    const gone = await startInferenceServer({ classifier, port: 0 });
    await gone.close();
    const orphan = createRuntimeClient({ endpoint: gone.url, region: "us-east-1", credentials, maxAttempts: 1 });
    const error = await invokeZeroShotEndpoint(orphan, "zero-shot", { inputs: "x", parameters: { candidate_labels: ["A"] } }).catch((e: unknown) => e);
    orphan.destroy();
    assert.ok(error instanceof EndpointUnavailableError, String(error));
    assert.match(error.message, /ECONNREFUSED.*is the server running/);
  });
});
