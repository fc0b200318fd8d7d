import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors";
import { failureOf, measureLatency, quantile, resultTable } from "../../src/notebook/realtime";

describe("real-time helpers", () => {
  it("quantile uses the nearest rank", () => {
    assert.equal(quantile([5, 1, 3, 2, 4], 0.5), 3);
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2);
    assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });

  it("measureLatency times each call", async () => {
    let calls = 0;
    const latency = await measureLatency(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }, 3);
    assert.equal(calls, 3);
    assert.equal(latency.millis.length, 3);
    assert.ok(latency.min >= 4 && latency.p50 >= latency.min && latency.max >= latency.p50);
  });

  it("failureOf lays out a typed error, and throws when the call succeeds", async () => {
    const fields = await failureOf(async () => {
      throw new InputError("no labels");
    });
    assert.deepEqual(fields, { type: "InputError", code: "invalid_input", message: "no labels" });
    await assert.rejects(() => failureOf(async () => 1), /expected to fail but succeeded/);
  });

  it("resultTable shows one row per label, best first", () => {
    const html = resultTable({ sequence: "run <fast>", labels: ["Health", "Finance"], scores: [0.75, 0.25] });
    assert.match(html, /<caption[^>]*>run &lt;fast&gt;<\/caption>/);
    assert.match(html, /<td[^>]*>1<\/td><td[^>]*>Health<\/td><td[^>]*>0\.7500<\/td>[\s\S]*<td[^>]*>2<\/td><td[^>]*>Finance<\/td>/);
  });
});
