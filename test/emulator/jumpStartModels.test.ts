/** Which hub model serves a JumpStart model's container: remembered from CreateModel's tags, by content, across restarts. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JumpStartModels } from "../../src/emulator/jumpStartModels";
import { ModelLoadError } from "../../src/errors";
import { JUMPSTART_MODEL_ID_TAG, JUMPSTART_MODEL_VERSION_TAG } from "../../src/jumpstart/resolve";
import { tempDirs } from "../helpers/tempDirs";

const container = { Image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.1", ModelDataUrl: "s3://jumpstart-cache/zstc/model.tar.gz", Environment: { SAGEMAKER_PROGRAM: "inference.py", HF_TASK: "zero-shot-classification" } };
const tags = (modelId: string) => [
  { Key: JUMPSTART_MODEL_ID_TAG, Value: modelId },
  { Key: JUMPSTART_MODEL_VERSION_TAG, Value: "2.0.0" },
];

describe("JumpStartModels", () => {
  const stateDir = tempDirs("jumpstart-models-test-");

  it("serves a tagged JumpStart container with the hub model the bundled snapshot names as its source", () => {
    const models = new JumpStartModels(stateDir());
    models.remember(container, tags("huggingface-zstc-cross-encoder-nli-deberta-base"));
    assert.equal(models.modelFor(container), "cross-encoder/nli-deberta-base");
  });

  it("prefers the jumpStartModels mapping over the snapshot", () => {
    const models = new JumpStartModels(stateDir(), { "huggingface-zstc-cross-encoder-nli-deberta-base": "models/tiny-bert-nli" });
    models.remember(container, tags("huggingface-zstc-cross-encoder-nli-deberta-base"));
    assert.equal(models.modelFor(container), "models/tiny-bert-nli");
  });

  it("recognises the container by content, whatever the key order, and not a container that differs", () => {
    const models = new JumpStartModels(stateDir());
    models.remember(container, tags("huggingface-zstc-cross-encoder-nli-deberta-base"));
    const reordered = { Environment: { HF_TASK: "zero-shot-classification", SAGEMAKER_PROGRAM: "inference.py" }, ModelDataUrl: container.ModelDataUrl, Image: container.Image };
    assert.equal(models.modelFor(reordered), "cross-encoder/nli-deberta-base");
    assert.equal(models.modelFor({ ...container, ModelDataUrl: "s3://jumpstart-cache/other/model.tar.gz" }), undefined);
  });

  it("ignores containers without the JumpStart model id tag, and a missing container", () => {
    const models = new JumpStartModels(stateDir());
    models.remember(container, [{ Key: "team", Value: "nlp" }]);
    models.remember(container, undefined);
    models.remember(undefined, tags("huggingface-zstc-cross-encoder-nli-deberta-base"));
    assert.equal(models.modelFor(container), undefined);
  });

  it("remembers containers across a restart, so endpoints find their model after the emulator restarts", () => {
    const dir = stateDir();
    new JumpStartModels(dir).remember(container, tags("huggingface-zstc-cross-encoder-nli-deberta-base"));
    assert.equal(new JumpStartModels(dir).modelFor(container), "cross-encoder/nli-deberta-base");
  });

  it("refuses a JumpStart id it cannot map with a ModelLoadError naming the ids it serves and the option", () => {
    const models = new JumpStartModels(stateDir(), { "my-own-model": "models/tiny-bert-nli" });
    models.remember(container, tags("huggingface-llm-not-zero-shot"));
    assert.throws(
      () => models.modelFor(container),
      (error: unknown) => {
        assert.ok(error instanceof ModelLoadError);
        assert.match(error.message, /^local mode cannot serve JumpStart model huggingface-llm-not-zero-shot: it serves the models of its bundled snapshot \(my-own-model, huggingface-zstc-cross-encoder-nli-deberta-base, /);
        assert.match(error.message, /and those mapped by the jumpStartModels option \(\{"<jumpstart id>": "<hub id or model directory>"\}\)$/);
        return true;
      },
    );
  });
});
