import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SageMakerTimeoutError } from "../../src/workflow/errors";
import { statusLinePrinter, waitForStatus, type WaitProgress } from "../../src/workflow/progress";

/** Describes a resource whose status moves through `statuses`, one per poll, then stays at the last. */
function resource(statuses: string[]) {
  let polls = 0;
  return {
    get polls() {
      return polls;
    },
    describe: async () => ({ EndpointStatus: statuses[Math.min(polls++, statuses.length - 1)] }),
  };
}

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, stream: { write: (text: string) => written.push(text), isTTY } as unknown as NodeJS.WriteStream };
};

describe("waitForStatus", () => {
  it("polls until the status settles, reporting each poll, and returns the last description", async () => {
    const endpoint = resource(["Creating", "Creating", "InService"]);
    const seen: WaitProgress[] = [];
    const last = await waitForStatus("endpoint e", endpoint.describe, (d) => d.EndpointStatus, (s) => s !== "Creating", { pollIntervalMs: 0, onProgress: (p) => seen.push(p) });
    assert.deepEqual(last, { EndpointStatus: "InService" });
    assert.equal(endpoint.polls, 3);
    assert.deepEqual(seen.map((p) => `${p.resource}: ${p.status}`), ["endpoint e: Creating", "endpoint e: Creating", "endpoint e: InService"]);
    assert.ok(seen.every((p, i) => p.elapsedMs >= 0 && (i === 0 || p.elapsedMs >= seen[i - 1].elapsedMs)));
  });

  it("gives up after timeoutMs with a message that says the resource keeps running", async () => {
    const endpoint = resource(["Creating"]);
    await assert.rejects(
      waitForStatus("endpoint slow", endpoint.describe, (d) => d.EndpointStatus, () => false, { pollIntervalMs: 0, timeoutMs: -1, onProgress: () => undefined }),
      (error: unknown) =>
        error instanceof SageMakerTimeoutError &&
        error.code === "sagemaker_timeout" &&
        /^endpoint slow is still Creating after \d+ s: wait longer \(timeoutMs\) .* keeps running \(and billing\) until deleted$/.test(error.message),
    );
    assert.equal(endpoint.polls, 1);
  });
});

describe("statusLinePrinter", () => {
  it("writes one line per status change when the output is not a terminal", () => {
    const out = stream(false);
    const print = statusLinePrinter(out.stream);
    print({ resource: "transform job j", status: "InProgress", elapsedMs: 0 });
    print({ resource: "transform job j", status: "InProgress", elapsedMs: 1_400 });
    print({ resource: "transform job j", status: "Completed", elapsedMs: 61_600 });
    assert.deepEqual(out.written, ["transform job j: InProgress (0 s)\n", "transform job j: Completed (62 s)\n"]);
  });

  it("redraws one line on a terminal, starting a new line when the status changes", () => {
    const out = stream(true);
    const print = statusLinePrinter(out.stream);
    print({ resource: "endpoint e", status: "Creating", elapsedMs: 1_000 });
    print({ resource: "endpoint e", status: "InService", elapsedMs: 95_000 });
    assert.deepEqual(out.written, ["\rendpoint e: Creating (1 s)   ", "\rendpoint e: InService (95 s)   ", "\n"]);
  });
});
