/** Resource tags by ARN: set at creation, read with ListTags, dropped with the resource, kept across restarts. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SageMakerApiError } from "../../../src/emulator/apiErrors";
import { ResourceTags } from "../../../src/emulator/resources/tags";
import { tempDirs } from "../../helpers/tempDirs";

const arn = "arn:aws:sagemaker:us-east-1:000000000000:model/m1";

describe("ResourceTags", () => {
  const stateDir = tempDirs("tags-test-");

  it("lists the tags a resource was created with, only Key and Value, and none for an untagged ARN", () => {
    const tags = new ResourceTags(stateDir());
    tags.set(arn, [{ Key: "team", Value: "nlp" }, { Key: "cost", Value: "1", extra: "dropped" } as never]);
    assert.deepEqual(tags.list({ ResourceArn: arn }), { Tags: [{ Key: "team", Value: "nlp" }, { Key: "cost", Value: "1" }] });
    assert.deepEqual(tags.list({ ResourceArn: "arn:aws:sagemaker:us-east-1:000000000000:model/other" }), { Tags: [] });
  });

  it("keeps nothing for an empty or missing tag list, and forgets a removed resource's tags", () => {
    const tags = new ResourceTags(stateDir());
    tags.set(arn, []);
    tags.set(arn, undefined);
    assert.deepEqual(tags.get(arn), []);
    tags.set(arn, [{ Key: "team", Value: "nlp" }]);
    tags.remove(arn);
    assert.deepEqual(tags.get(arn), []);
  });

  it("tells ARNs that differ only in region apart, and keeps tags across a restart", () => {
    const dir = stateDir();
    const tags = new ResourceTags(dir);
    tags.set(arn, [{ Key: "where", Value: "home" }]);
    tags.set(arn.replace("us-east-1", "eu-west-1"), [{ Key: "where", Value: "europe" }]);
    const restarted = new ResourceTags(dir);
    assert.deepEqual(restarted.get(arn), [{ Key: "where", Value: "home" }]);
    assert.deepEqual(restarted.get(arn.replace("us-east-1", "eu-west-1")), [{ Key: "where", Value: "europe" }]);
  });

  it("refuses a ResourceArn that is no SageMaker ARN with SageMaker's pattern error", () => {
    const tags = new ResourceTags(stateDir());
    for (const bad of [undefined, "m1", "arn:aws:s3:::bucket", `arn:aws:sagemaker:us-east-1:000000000000:model/${"x".repeat(250)}`]) {
      assert.throws(
        () => tags.list({ ResourceArn: bad }),
        (error: unknown) => {
          assert.ok(error instanceof SageMakerApiError);
          assert.equal(error.type, "ValidationException");
          assert.match(error.message, /at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws/);
          return true;
        },
        String(bad),
      );
    }
  });
});
