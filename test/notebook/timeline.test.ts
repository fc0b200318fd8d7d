import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lifecycleTimeline } from "../../src/notebook/timeline";

describe("lifecycleTimeline", () => {
  it("keeps each status change with its time, prints every report, and ends the last phase", () => {
    let clock = 1_000;
    const printed: string[] = [];
    const timeline = lifecycleTimeline({ now: () => clock, print: (p) => printed.push(`${p.resource}: ${p.status}`) });
    timeline.mark("CreateModel, CreateEndpointConfig, CreateEndpoint");
    clock += 500;
    timeline.onProgress({ resource: "endpoint e", status: "Creating", elapsedMs: 0 });
    clock += 2_000;
    timeline.onProgress({ resource: "endpoint e", status: "Creating", elapsedMs: 2_000 });
    clock += 1_000;
    timeline.onProgress({ resource: "endpoint e", status: "InService", elapsedMs: 3_000 });
    clock += 4_000;
    timeline.mark("deleting");
    clock += 250;
    timeline.end();
    clock += 10_000;
    assert.deepEqual(printed, ["endpoint e: Creating", "endpoint e: Creating", "endpoint e: InService"]);
    assert.deepEqual(timeline.phases(), [
      { phase: "CreateModel, CreateEndpointConfig, CreateEndpoint", startSeconds: 0, endSeconds: 0.5 },
      { phase: "Creating", startSeconds: 0.5, endSeconds: 3.5 },
      { phase: "InService", startSeconds: 3.5, endSeconds: 7.5 },
      { phase: "deleting", startSeconds: 7.5, endSeconds: 7.75 },
    ]);
  });
});
