/** JumpStart's version selection, as the SageMaker Python SDK picks versions. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareVersions, latestVersion, selectVersion } from "../../src/jumpstart/versions";

const AVAILABLE = ["1.0.14", "2.0.9", "2.0.14", "1.2.0"];

describe("JumpStart versions", () => {
  it("orders numerically, not as text", () => {
    assert.equal(compareVersions("2.0.14", "2.0.9"), 1);
    assert.equal(latestVersion(AVAILABLE), "2.0.14");
  });
  it('"*" is the latest, "1.*" the latest 1.x, an exact version itself, a missing one nothing', () => {
    assert.equal(selectVersion("*", AVAILABLE), "2.0.14");
    assert.equal(selectVersion("1.*", AVAILABLE), "1.2.0");
    assert.equal(selectVersion("2.0.*", AVAILABLE), "2.0.14");
    assert.equal(selectVersion("2.0.9", AVAILABLE), "2.0.9");
    assert.equal(selectVersion("3.*", AVAILABLE), undefined);
    assert.equal(selectVersion("2.0.10", AVAILABLE), undefined);
  });
});
