import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DatasetError, InferenceError, InputError, ModelConfigError, ModelLoadError, ZeroShotError } from "../src/errors";

describe("the error hierarchy", () => {
  it("gives each kind of failure its own class, name and stable code, under ZeroShotError", () => {
    const kinds = [
      [new InputError("m"), "InputError", "invalid_input"],
      [new ModelLoadError("m"), "ModelLoadError", "model_load_failed"],
      [new ModelConfigError("m"), "ModelConfigError", "model_config"],
      [new InferenceError("m"), "InferenceError", "inference_failed"],
      [new DatasetError("m"), "DatasetError", "dataset_failed"],
    ] as const;
    for (const [error, name, code] of kinds) {
      assert.ok(error instanceof ZeroShotError && error instanceof Error);
      assert.equal(error.name, name);
      assert.equal(error.code, code);
      assert.equal(String(error), `${name}: m`);
    }
    assert.equal(new Set(kinds.map(([, , code]) => code)).size, kinds.length, "codes are distinct");
  });

  it("keeps the underlying failure as cause", () => {
    const cause = Object.assign(new Error("getaddrinfo ENOTFOUND huggingface.co"), { code: "ENOTFOUND" });
    const error = new ModelLoadError("cannot download the model: check the network or pass --offline", { cause });
    assert.equal(error.cause, cause);
  });
});
