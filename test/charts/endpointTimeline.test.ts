import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { endpointTimelineChart } from "../../src/charts/endpointTimeline";
import { renderSvg } from "../../src/charts/render";
import { assertMatchesSnapshot } from "../helpers/snapshot";

describe("endpointTimelineChart", () => {
  const spec = endpointTimelineChart([
    { phase: "CreateModel, CreateEndpointConfig, CreateEndpoint", startSeconds: 0, endSeconds: 1.2 },
    { phase: "Creating", startSeconds: 1.2, endSeconds: 245.5 },
    { phase: "InService", startSeconds: 245.5, endSeconds: 600 },
    { phase: "DeleteEndpoint, DeleteEndpointConfig, DeleteModel", startSeconds: 600, endSeconds: 601.3 },
  ]);

  it("has one bar per phase, in life-cycle order, with its duration", () => {
    const values = (spec.data as { values: { phase: string; seconds: number }[] }).values;
    assert.deepEqual(values.map((v) => [v.phase, v.seconds]), [
      ["CreateModel, CreateEndpointConfig, CreateEndpoint", 1.2],
      ["Creating", 244.3],
      ["InService", 354.5],
      ["DeleteEndpoint, DeleteEndpointConfig, DeleteModel", 1.3],
    ]);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "endpointTimeline.svg"));
  });
});
