/**
 * The emulator's runtime API blames the right party, as SageMaker does: a model that fails is a
 * ModelError (424) carrying the container's 500, a payload the container refuses is a ModelError
 * carrying its 400, and the emulator never answers 500 for either.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ModelError, ValidationError, InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { MODEL_PRESETS } from "../../src/models/generate/generate";
import { buildEncoderModel } from "../../src/models/generate/onnxEncoder";
import { deployModel } from "../../src/workflow/deploy";
import { signedFetch, startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

/** tiny-bert-nli whose ONNX graph has 16 positions while its tokenizer and config promise 128: long texts fail in the forward pass. */
function brokenModel(dir: string): string {
  const source = tinyBert();
  mkdirSync(join(dir, "onnx"), { recursive: true });
  for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json"]) copyFileSync(join(source, file), join(dir, file));
  const vocabSize = (JSON.parse(readFileSync(join(source, "config.json"), "utf8")) as { vocab_size: number }).vocab_size;
  const spec = { ...MODEL_PRESETS["tiny-bert-nli"].encoder, maxPositions: 16, vocabSize };
  writeFileSync(join(dir, "onnx", "model.onnx"), buildEncoderModel(spec));
  writeFileSync(join(dir, "onnx", "model_quantized.onnx"), buildEncoderModel(spec, true));
  return dir;
}

const payload = (text: string) => JSON.stringify({ inputs: text, parameters: { candidate_labels: ["Health", "Finance"] } });

describe("local runtime errors", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
    await deployModel(fixture.clients, { modelId: tinyBert(), name: "good", onProgress: () => {} });
    await deployModel(fixture.clients, { modelId: brokenModel(join(fixture.dataDir, "broken-model")), name: "broken", onProgress: () => {} });
  });
  after(() => fixture.stop());

  it("answers a model fault as ModelError with the container's 500, not as the caller's fault", async () => {
    const text = "a premise long enough to need more positions than this model's graph has, many words over eight tokens";
    await assert.rejects(fixture.clients.runtime.send(new InvokeEndpointCommand({ EndpointName: "broken", ContentType: "application/json", Body: payload(text) })), (error: unknown) => {
      assert.ok(error instanceof ModelError, String(error));
      assert.equal(error.$metadata.httpStatusCode, 424);
      assert.equal(error.OriginalStatusCode, 500);
      assert.match(error.OriginalMessage ?? "", /the model failed/);
      return true;
    });
    // The same endpoint still answers what fits its graph.
    const short = await fixture.clients.runtime.send(new InvokeEndpointCommand({ EndpointName: "broken", ContentType: "application/json", Body: payload("hi") }));
    assert.equal(JSON.parse(Buffer.from(short.Body!).toString()).sequence, "hi");
  });

  it("passes a payload the container refuses on as ModelError with its 400", async () => {
    await assert.rejects(
      fixture.clients.runtime.send(new InvokeEndpointCommand({ EndpointName: "good", ContentType: "application/json", Body: JSON.stringify({ inputs: "x", parameters: {} }) })),
      (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.equal(error.OriginalStatusCode, 400);
        assert.match(error.OriginalMessage ?? "", /candidate_labels/);
        return true;
      },
    );
  });

  it("refuses a JSON payload that is not UTF-8 instead of classifying replacement characters", async () => {
    const body = Buffer.concat([Buffer.from('{"inputs": "caf'), Buffer.from([0xe9]), Buffer.from('", "parameters": {"candidate_labels": ["A", "B"]}}')]);
    await assert.rejects(fixture.clients.runtime.send(new InvokeEndpointCommand({ EndpointName: "good", ContentType: "application/json", Body: body })), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.OriginalStatusCode, 400);
      assert.match(error.OriginalMessage ?? "", /not valid UTF-8/);
      return true;
    });
  });

  it("answers an unknown endpoint and an oversized body with the runtime's ValidationError", async () => {
    await assert.rejects(fixture.clients.runtime.send(new InvokeEndpointCommand({ EndpointName: "missing", ContentType: "application/json", Body: payload("x") })), ValidationError);
    const big = await signedFetch(fixture.local.url, { target: "/endpoints/good/invocations", headers: { "content-type": "application/json" }, body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20) });
    assert.equal(big.status, 413);
    assert.equal(big.headers.get("x-amzn-errortype"), "ValidationError");
    // The SDK, which keeps sending while the answer comes, sees the ValidationError too (not a broken pipe).
    for (let attempt = 0; attempt < 5; attempt++) {
      await assert.rejects(
        fixture.clients.runtime.send(new InvokeEndpointCommand({ EndpointName: "good", ContentType: "application/json", Body: Buffer.alloc(7 * 1024 * 1024, 0x20) })),
        (error: unknown) => error instanceof ValidationError && error.$metadata.httpStatusCode === 413,
      );
    }
  });

  it("answers a SageMaker-signed call to a route it does not serve in SageMaker's shape", async () => {
    const stream = await signedFetch(fixture.local.url, { target: "/endpoints/good/invocations-response-stream", headers: { "content-type": "application/json" }, body: payload("x") });
    assert.equal(stream.status, 404);
    assert.equal(((await stream.json()) as { __type: string }).__type, "UnknownOperationException");
  });
});
