import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeNetworkError } from "../../src/io/networkError";

/** The error a real fetch of `url` throws. */
async function fetchError(url: string): Promise<unknown> {
  try {
    await fetch(url);
  } catch (error) {
    return error;
  }
  throw new Error(`fetch ${url} succeeded`);
}

describe("describeNetworkError", () => {
  it("reads the system error under fetch's 'fetch failed'", async () => {
    const error = await fetchError("http://hub.example.invalid/model/config.json");
    assert.equal((error as Error).message, "fetch failed");
    assert.match(describeNetworkError(error)!, /^cannot resolve hub\.example\.invalid \((ENOTFOUND|EAI_AGAIN)\): /);
  });

  it("explains the ports fetch blocks before connecting", async () => {
    const error = await fetchError("http://127.0.0.1:9/config.json");
    assert.equal(
      describeNetworkError(error, "http://127.0.0.1:9/"),
      `fetch refuses port 9 (a port browsers block, "bad port"): serve the mirror on another port, e.g. 8080`,
    );
  });

  it("finds the cause inside an AggregateError (every address refused)", () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}:443`), { code: "ECONNREFUSED", address, port: 443 });
    const error = new TypeError("fetch failed", { cause: new AggregateError([refused("::1"), refused("127.0.0.1")]) });
    assert.match(describeNetworkError(error)!, /^\[::1\]:443 refused the connection \(ECONNREFUSED\)/);
  });

  it("adds nothing to an error that is not a network one (an HTTP status, a missing file)", () => {
    assert.equal(describeNetworkError(new Error("Could not locate file: config.json (404)")), undefined);
    assert.equal(describeNetworkError(Object.assign(new Error("no such file"), { code: "ENOENT" })), undefined);
  });
});
