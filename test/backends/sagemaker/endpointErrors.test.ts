import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  EndpointError,
  EndpointModelError,
  EndpointNotFoundError,
  EndpointResponseError,
  EndpointUnavailableError,
  EndpointValidationError,
} from "../../../src/backends/sagemaker/endpointErrors";
import { ZeroShotError } from "../../../src/errors";

describe("endpoint errors", () => {
  it("EndpointModelError blames the request for a container 4xx and the model for a 5xx; the runtime's status is 424", () => {
    const rejected = new EndpointModelError("e", "bad payload", 400, '"candidate_labels" is missing');
    assert.equal(rejected.code, "endpoint_rejected_request");
    assert.equal(rejected.statusCode, 424);
    assert.equal(rejected.originalStatusCode, 400);
    assert.equal(rejected.originalMessage, '"candidate_labels" is missing');
    assert.equal(new EndpointModelError("e", "model failed", 500, undefined).code, "endpoint_model_failed");
    assert.equal(new EndpointModelError("e", "no status", undefined, undefined).code, "endpoint_model_failed");
  });

  it("each kind carries the endpoint name, its code and the HTTP status the runtime answered", () => {
    const cause = new Error("sdk");
    const kinds = [
      [new EndpointNotFoundError("zs", "not found", { cause }), "endpoint_not_found", 400],
      [new EndpointValidationError("zs", "over 6 MiB", 413), "endpoint_validation", 413],
      [new EndpointUnavailableError("zs", "busy", 503), "endpoint_unavailable", 503],
      [new EndpointResponseError("zs", "not zero-shot results"), "endpoint_bad_response", 200],
    ] as const;
    for (const [error, code, status] of kinds) {
      assert.ok(error instanceof EndpointError && error instanceof ZeroShotError);
      assert.equal(error.endpointName, "zs");
      assert.equal(error.code, code);
      assert.equal(error.statusCode, status);
    }
    assert.equal(kinds[0][0].cause, cause);
    assert.equal(kinds[0][0].name, "EndpointNotFoundError");
  });
});
