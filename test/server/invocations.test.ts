import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import { InferenceError, ModelConfigError, ModelLoadError } from "../../src/errors";
import { acceptsJson, answerInvocation, isJsonMediaType, MAX_PAYLOAD_BYTES, type InvocationRequest } from "../../src/server/invocations";
import { tinyBert } from "../helpers/models";
import { loadClassifier } from "../../src/backends/local/loadClassifier";

const json = (value: unknown, extra: Partial<InvocationRequest> = {}): InvocationRequest => ({
  body: Buffer.from(JSON.stringify(value)),
  contentType: "application/json",
  ...extra,
});

describe("answerInvocation (POST /invocations)", () => {
  let classifier: ZeroShotClassifier;
  before(async () => {
    classifier = await loadClassifier(tinyBert());
  });

  it("answers one result for a string input, equal to classify", async () => {
    const response = await answerInvocation(classifier, json({ inputs: "I will run a marathon", parameters: { candidate_labels: ["Health", "Finance"] } }));
    assert.equal(response.status, 200);
    assert.equal(response.headers["Content-Type"], "application/json");
    const [expected] = await classifier.classify("I will run a marathon", ["Health", "Finance"]);
    assert.deepEqual(JSON.parse(response.body), expected);
  });

  it("answers a list for a list input, with multi_label and the template applied", async () => {
    const request = { inputs: ["one", "two"], parameters: { candidate_labels: "Humor, Career", multi_label: true, hypothesis_template: "This tweet is about {}." } };
    const response = await answerInvocation(classifier, json(request, { contentType: "application/json; charset=utf-8", accept: "application/json" }));
    assert.equal(response.status, 200);
    const expected = await classifier.classify(["one", "two"], ["Humor", "Career"], { multiLabel: true, hypothesisTemplate: "This tweet is about {}." });
    assert.deepEqual(JSON.parse(response.body), expected);
  });

  it("echoes the custom attributes header", async () => {
    const response = await answerInvocation(classifier, json({ inputs: "x", parameters: { candidate_labels: ["A", "B"] } }, { customAttributes: "trace=42" }));
    assert.equal(response.headers["X-Amzn-SageMaker-Custom-Attributes"], "trace=42");
  });

  const errors: { name: string; request: InvocationRequest; status: number; type: string; message: RegExp }[] = [
    { name: "malformed JSON", request: { body: Buffer.from('{"inputs": "x",'), contentType: "application/json" }, status: 400, type: "BadRequestException", message: /not valid JSON/ },
    { name: "an empty body", request: { body: Buffer.alloc(0) }, status: 400, type: "BadRequestException", message: /body is empty/ },
    { name: "no inputs", request: json({ parameters: { candidate_labels: ["A"] } }), status: 400, type: "BadRequestException", message: /no "inputs"/ },
    { name: "no candidate labels", request: json({ inputs: "x" }), status: 400, type: "BadRequestException", message: /candidate_labels|label/ },
    { name: "a template without {}", request: json({ inputs: "x", parameters: { candidate_labels: ["A"], hypothesis_template: "nothing" } }), status: 400, type: "BadRequestException", message: /hypothesis_template/ },
    { name: "a non-JSON content type", request: { body: Buffer.from("text"), contentType: "text/csv" }, status: 415, type: "UnsupportedMediaTypeException", message: /Content-Type: application\/json/ },
    { name: "an Accept other than JSON", request: json({ inputs: "x", parameters: { candidate_labels: ["A"] } }, { accept: "text/csv" }), status: 406, type: "NotAcceptableException", message: /application\/json only/ },
    { name: "a body over 6 MiB", request: { body: Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 32), contentType: "application/json" }, status: 413, type: "RequestEntityTooLargeException", message: /6 MiB/ },
  ];
  for (const { name, request, status, type, message } of errors) {
    it(`answers ${status} ${type} for ${name}, with a JSON body {code, type, message}`, async () => {
      const response = await answerInvocation(classifier, request);
      assert.equal(response.status, status);
      const body = JSON.parse(response.body);
      assert.deepEqual(Object.keys(body), ["code", "type", "message"]);
      assert.equal(body.code, status);
      assert.equal(body.type, type);
      assert.match(body.message, message);
      assert.doesNotMatch(body.message, /\n\s+at /, "no stack trace");
    });
  }

  it("blames the model, not the caller, for a model fault: 500 with the fault's kind and its advice", async () => {
    const faults = [
      new ModelConfigError("the model has no entailment label: use an NLI model such as facebook/bart-large-mnli"),
      new ModelLoadError("model directory models/x is missing onnx/model.onnx: run npm run models"),
      new InferenceError("the model failed on a batch of 2 pairs of up to 12 tokens: out of memory"),
    ];
    for (const fault of faults) {
      const faulty = new ZeroShotClassifier({ modelId: "faulty", labelIds: classifier.scorer.labelIds, scorePairs: () => Promise.reject(fault) });
      const response = await answerInvocation(faulty, json({ inputs: "x", parameters: { candidate_labels: ["A", "B"] } }));
      assert.equal(response.status, 500, fault.name);
      const body = JSON.parse(response.body);
      assert.equal(body.type, "InternalServerException");
      assert.equal(body.message, `the model failed on this request (${fault.name}): ${fault.message}`);
    }
  });

  it("answers a body that is not UTF-8 with 400", async () => {
    const response = await answerInvocation(classifier, { body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), contentType: "application/json" });
    assert.equal(response.status, 400);
    assert.match(JSON.parse(response.body).message, /not valid UTF-8/);
  });

  it("still answers after every kind of bad request", async () => {
    const response = await answerInvocation(classifier, json({ inputs: "still here", parameters: { candidate_labels: ["A", "B"] } }));
    assert.equal(response.status, 200);
  });
});

describe("media types", () => {
  it("takes JSON with parameters, and no content type as JSON", () => {
    assert.equal(isJsonMediaType("application/json; charset=utf-8"), true);
    assert.equal(isJsonMediaType(undefined), true);
    assert.equal(isJsonMediaType("application/x-www-form-urlencoded"), false);
  });

  it("answers JSON to */*, application/* and lists that include JSON, not to q=0", () => {
    assert.equal(acceptsJson("*/*"), true);
    assert.equal(acceptsJson("text/csv, application/*;q=0.5"), true);
    assert.equal(acceptsJson("application/json;q=0"), false);
    assert.equal(acceptsJson("text/csv"), false);
  });
});
