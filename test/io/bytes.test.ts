import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatBytes } from "../../src/io/bytes";

describe("formatBytes", () => {
  it("reads as a person would: whole kB below a MB, one decimal in MB, two in GB", () => {
    assert.equal(formatBytes(0), "0 kB");
    assert.equal(formatBytes(870_400), "850 kB");
    assert.equal(formatBytes(268_435_456), "256.0 MB");
    assert.equal(formatBytes(1.6 * 1024 ** 3), "1.60 GB");
  });
});
