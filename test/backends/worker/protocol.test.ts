/**
 * How errors cross the worker thread boundary: a project error keeps its kind (so the server still
 * answers 400 for bad input and 500 for a model fault), anything else becomes an InferenceError.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deserializeError, serializeError } from "../../../src/backends/worker/protocol";
import { InferenceError, InputError, ModelConfigError, ModelLoadError, ZeroShotError } from "../../../src/errors";

const roundTrip = (error: unknown) => deserializeError(structuredClone(serializeError(error)));

describe("worker error protocol", () => {
  it("serializes an error as its name and message, and a thrown non-error as its text", () => {
    assert.deepEqual(serializeError(new InputError("no labels: pass at least one")), { name: "InputError", message: "no labels: pass at least one" });
    assert.deepEqual(serializeError(new RangeError("offset out of range")), { name: "RangeError", message: "offset out of range" });
    assert.deepEqual(serializeError("plain string"), { name: "Error", message: "plain string" });
    assert.deepEqual(serializeError(42), { name: "Error", message: "42" });
  });

  it("gives back each project error as the same class with the same message and code", () => {
    for (const original of [new InputError("bad input"), new ModelLoadError("no files"), new ModelConfigError("no entailment label"), new InferenceError("forward failed")]) {
      const back = roundTrip(original);
      assert.equal(back.constructor, original.constructor);
      assert.equal(back.message, original.message);
      assert.equal(back.code, original.code);
    }
  });

  it("turns any other error into an InferenceError that names the original, so it is a 500 and not a 400", () => {
    const back = roundTrip(new TypeError("cannot read properties of undefined"));
    assert.ok(back instanceof InferenceError);
    assert.equal(back.code, "inference_failed");
    assert.match(back.message, /^the model failed \(TypeError: cannot read properties of undefined\): see the server's log/);
    assert.ok(roundTrip("thrown text") instanceof InferenceError);
  });

  it("does not let a worker name an inherited property or the base class to pick the error's kind", () => {
    for (const name of ["constructor", "toString", "__proto__", "ZeroShotError", "DatasetError"]) {
      const back = deserializeError({ name, message: "x" });
      assert.ok(back instanceof InferenceError, name);
      assert.ok(back instanceof ZeroShotError);
    }
  });
});
