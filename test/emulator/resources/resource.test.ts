/** The facts every control-plane resource shares: ARNs in the request's region, times as the SDK's Dates. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { now, resourceArn, toDate } from "../../../src/emulator/resources/resource";

describe("resource", () => {
  it("writes ARNs in the request's region and the local account, with the name lower-cased as SageMaker does", () => {
    assert.equal(resourceArn({ region: "eu-west-1" }, "endpoint-config", "My-Config"), "arn:aws:sagemaker:eu-west-1:000000000000:endpoint-config/my-config");
    assert.equal(resourceArn({ region: "us-east-1" }, "model", "m1"), "arn:aws:sagemaker:us-east-1:000000000000:model/m1");
  });

  it("records times as epoch seconds and gives them back as the same instant", () => {
    const before = Date.now();
    const recorded = now();
    assert.ok(recorded >= before / 1000 && recorded <= Date.now() / 1000);
    assert.equal(toDate(1_700_000_000.25).toISOString(), "2023-11-14T22:13:20.250Z");
  });
});
