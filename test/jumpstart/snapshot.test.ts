/**
 * readJumpStartSnapshot against a JumpStart content bucket on 127.0.0.1: one task's models, every
 * version of the manifest, only the latest version's specs read, and a dated provenance.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ZERO_SHOT_SNAPSHOT } from "../../src/jumpstart/catalog";
import { JumpStartCatalogError } from "../../src/jumpstart/errors";
import { readJumpStartSnapshot } from "../../src/jumpstart/snapshot";
import { PREPACKED_SPEC, startJumpStartBucket, TEST_JUMPSTART_ID, type JumpStartBucket } from "../helpers/jumpStartBucket";

describe("readJumpStartSnapshot", () => {
  let bucket: JumpStartBucket;
  before(async () => {
    bucket = await startJumpStartBucket();
  });
  after(() => bucket.close());

  it("keeps the zero-shot task's models only, and reads the specs of the latest version alone", async () => {
    bucket.requests.length = 0;
    const snapshot = await readJumpStartSnapshot("af-south-1", { baseUrl: bucket.baseUrl, now: new Date("2026-03-04T23:59:00Z") });
    assert.deepEqual(bucket.requests, ["/models_manifest.json", `/community_models/${TEST_JUMPSTART_ID}/specs_v2.0.3.json`]);
    assert.deepEqual(snapshot.models.map((model) => model.modelId), [TEST_JUMPSTART_ID], "the spc pair model of the manifest is left out");
    assert.deepEqual(snapshot.models[0].versions.find((v) => v.version === "2.0.3")?.spec, PREPACKED_SPEC);
    assert.equal(snapshot.models[0].hubModelId, "test-org/tiny-nli");
  });

  it("says which region, bucket and day it was read from, and keeps the bundled regions and refresh command", async () => {
    const snapshot = await readJumpStartSnapshot("af-south-1", { baseUrl: bucket.baseUrl, now: new Date("2026-03-04T23:59:00Z") });
    assert.equal(snapshot.task, "zstc");
    assert.equal(snapshot.date, "2026-03-04");
    assert.equal(snapshot.manifestRegion, "af-south-1");
    assert.equal(snapshot.provenance, `models_manifest.json and the latest specs of each zstc model, read from ${bucket.baseUrl} on 2026-03-04`);
    assert.deepEqual(snapshot.regions, ZERO_SHOT_SNAPSHOT.regions);
    assert.equal(snapshot.refresh, ZERO_SHOT_SNAPSHOT.refresh);
  });

  it("reads another task when asked, and fails with the missing file's address when its specs cannot be read", async () => {
    await assert.rejects(
      readJumpStartSnapshot("us-east-1", { baseUrl: bucket.baseUrl, task: "spc" }),
      (error: unknown) => error instanceof JumpStartCatalogError && error.message.includes(`${bucket.baseUrl}/community_models/huggingface-spc-test-pair-model/specs_v1.0.0.json: HTTP 403`),
    );
    const none = await readJumpStartSnapshot("us-east-1", { baseUrl: bucket.baseUrl, task: "txt2img" });
    assert.deepEqual([none.task, none.models], ["txt2img", []]);
  });
});

describe("a manifest that is not a list", () => {
  it("is refused with the manifest's address", async () => {
    const server = createServer((_, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"models": []}'));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await assert.rejects(
        readJumpStartSnapshot("us-east-1", { baseUrl }),
        (error: unknown) => error instanceof JumpStartCatalogError && error.message === `${baseUrl}/models_manifest.json is not a list of model headers`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
