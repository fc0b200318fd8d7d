import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient, ValidationError } from "@aws-sdk/client-sagemaker-runtime";
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import type { NliScorer, PremiseHypothesisPair } from "../../src/classification/contract";
import { InferenceError } from "../../src/errors";
import type { NliLabelIds } from "../../src/nli/labels";
import type { PairLogits } from "../../src/nli/scores";
import { startInferenceServer, type InferenceServer } from "../../src/server/httpServer";
import { MicroBatchingScorer } from "../../src/scorers/microBatchingScorer";
import { matchRuntimeInvocationPath } from "../../src/server/runtimeApi";
import { tinyBert } from "../helpers/models";

/** A model whose forward pass breaks, as an out-of-memory or corrupt ONNX session would. */
class BrokenModel implements NliScorer {
  constructor(readonly model: LocalNliModel) {}
  readonly modelId = "broken";
  get labelIds(): NliLabelIds {
    return this.model.labelIds;
  }
  async scorePairs(pairs: readonly PremiseHypothesisPair[]): Promise<PairLogits[]> {
    throw new InferenceError(`the model failed on a batch of ${pairs.length} pairs: out of memory`);
  }
}

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("runtime API (POST /endpoints/{name}/invocations) with the AWS SDK", () => {
  let classifier: ZeroShotClassifier;
  let server: InferenceServer;
  let client: SageMakerRuntimeClient;
  before(async () => {
    const model = await LocalNliModel.load(tinyBert());
    classifier = new ZeroShotClassifier(new MicroBatchingScorer(model));
    const broken = new ZeroShotClassifier(new BrokenModel(model));
    const endpoints: Record<string, ZeroShotClassifier> = { "zero-shot": classifier, broken };
    server = await startInferenceServer({
      classifier,
      port: 0,
      endpoints: (name) => endpoints[name],
      endpointNames: () => Object.keys(endpoints),
      log: () => undefined,
    });
    client = new SageMakerRuntimeClient({ endpoint: server.url, region: "eu-west-1", credentials, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  it("answers InvokeEndpointCommand with the local classifier's scores and the headers the SDK maps", async () => {
    const output = await client.send(
      new InvokeEndpointCommand({
        EndpointName: "zero-shot",
        ContentType: "application/json",
        Accept: "application/json",
        CustomAttributes: "c000b4f9-df62-4c85-a0bf-7c525f9104a4",
        Body: body({ inputs: "I will run a marathon", parameters: { candidate_labels: ["Health", "Finance", "Leisure"] } }),
      }),
    );
    const [expected] = await classifier.classify("I will run a marathon", ["Health", "Finance", "Leisure"]);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(output.Body)), expected);
    assert.equal(output.ContentType, "application/json");
    assert.equal(output.InvokedProductionVariant, "AllTraffic");
    assert.equal(output.CustomAttributes, "c000b4f9-df62-4c85-a0bf-7c525f9104a4");
  });

  /** What the SDK throws for a request; fails the test if it does not throw. */
  async function sdkError(command: InvokeEndpointCommand): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
    try {
      await client.send(command);
    } catch (error) {
      return error as Error & { $metadata: { httpStatusCode?: number } };
    }
    assert.fail("the request should have failed");
  }

  const containerFailures = [
    { name: "malformed JSON", input: { Body: new TextEncoder().encode("{not json"), ContentType: "application/json" }, original: 400, message: /not valid JSON/ },
    { name: "a payload without labels", input: { Body: body({ inputs: "x" }), ContentType: "application/json" }, original: 400, message: /label/ },
    { name: "a CSV body", input: { Body: new TextEncoder().encode("a,b"), ContentType: "text/csv" }, original: 415, message: /application\/json/ },
    { name: "no ContentType (the SDK sends octet-stream)", input: { Body: body({ inputs: "x" }) }, original: 415, message: /ContentType: "application\/json"/ },
    { name: "Accept: text/csv", input: { Body: body({ inputs: "x", parameters: { candidate_labels: ["A"] } }), ContentType: "application/json", Accept: "text/csv" }, original: 406, message: /application\/json only/ },
  ];
  for (const { name, input, original, message } of containerFailures) {
    it(`turns ${name} into ModelError (424) with OriginalStatusCode ${original}`, async () => {
      const error = await sdkError(new InvokeEndpointCommand({ EndpointName: "zero-shot", ...input }));
      assert.ok(error instanceof ModelError, `${error.name}: ${error.message}`);
      assert.equal(error.$metadata.httpStatusCode, 424);
      assert.equal(error.OriginalStatusCode, original);
      const container = JSON.parse(error.OriginalMessage!);
      assert.equal(container.code, original);
      assert.match(container.message, message);
      assert.match(error.message, new RegExp(`^Received client error \\(${original}\\) from primary`));
    });
  }

  it("turns a failing model into ModelError with OriginalStatusCode 500, and keeps serving", async () => {
    const error = await sdkError(
      new InvokeEndpointCommand({ EndpointName: "broken", ContentType: "application/json", Body: body({ inputs: "x", parameters: { candidate_labels: ["A", "B"] } }) }),
    );
    assert.ok(error instanceof ModelError);
    assert.equal(error.OriginalStatusCode, 500);
    assert.match(JSON.parse(error.OriginalMessage!).message, /out of memory/);
    assert.doesNotMatch(error.OriginalMessage!, /\.ts:\d+/, "no stack trace");
    const output = await client.send(
      new InvokeEndpointCommand({ EndpointName: "zero-shot", ContentType: "application/json", Body: body({ inputs: "x", parameters: { candidate_labels: ["A", "B"] } }) }),
    );
    assert.equal(JSON.parse(new TextDecoder().decode(output.Body)).sequence, "x");
  });

  it("answers ValidationError (400) for an unknown endpoint name, listing the known ones", async () => {
    const error = await sdkError(new InvokeEndpointCommand({ EndpointName: "no-such-endpoint", ContentType: "application/json", Body: body({ inputs: "x" }) }));
    assert.ok(error instanceof ValidationError, error.name);
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.match(error.message, /Endpoint no-such-endpoint .*not found.*"zero-shot", "broken"/);
  });

  it("answers ValidationError (413) for a body over 6 MiB, and keeps serving", async () => {
    const big = body({ inputs: "x".repeat(6 * 1024 * 1024), parameters: { candidate_labels: ["A"] } });
    const error = await sdkError(new InvokeEndpointCommand({ EndpointName: "zero-shot", ContentType: "application/json", Body: big }));
    assert.ok(error instanceof ValidationError, error.name);
    assert.equal(error.$metadata.httpStatusCode, 413);
    assert.match(error.message, /6 MiB/);
    const output = await client.send(
      new InvokeEndpointCommand({ EndpointName: "zero-shot", ContentType: "application/json", Body: body({ inputs: "y", parameters: { candidate_labels: ["A", "B"] } }) }),
    );
    assert.equal(JSON.parse(new TextDecoder().decode(output.Body)).sequence, "y");
  });

  it("reads endpoint names from the path, percent-decoded", () => {
    assert.equal(matchRuntimeInvocationPath("/endpoints/my-endpoint/invocations"), "my-endpoint");
    assert.equal(matchRuntimeInvocationPath("/endpoints/a%20b/invocations"), "a b");
    assert.equal(matchRuntimeInvocationPath("/invocations"), undefined);
  });
});
