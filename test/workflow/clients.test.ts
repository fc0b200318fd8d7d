import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clientRegion, destroyClients, LOCAL_CREDENTIALS, LOCAL_REGION, sageMakerClients } from "../../src/workflow/clients";

describe("sageMakerClients", () => {
  it("points every local-mode client at the emulator, path-style for S3, with the local credentials and region", async () => {
    const clients = sageMakerClients({ mode: "local", endpoint: "http://127.0.0.1:8787" });
    try {
      assert.equal(clients.mode, "local");
      assert.equal(clients.pollIntervalMs, 200);
      assert.equal(await clientRegion(clients), LOCAL_REGION);
      for (const client of [clients.sagemaker, clients.runtime, clients.s3]) {
        const endpoint = await client.config.endpoint!();
        assert.equal(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`, "http://127.0.0.1:8787");
        const { accessKeyId, secretAccessKey } = await client.config.credentials();
        assert.deepEqual({ accessKeyId, secretAccessKey }, LOCAL_CREDENTIALS);
      }
      assert.equal(clients.s3.config.forcePathStyle, true);
    } finally {
      destroyClients(clients);
    }
  });

  it("uses the region asked for, and polls AWS every 15 s", async () => {
    const aws = sageMakerClients({ mode: "aws", region: "eu-central-1" });
    const local = sageMakerClients({ mode: "local", endpoint: "http://127.0.0.1:1", region: "ap-south-1" });
    try {
      assert.equal(aws.mode, "aws");
      assert.equal(aws.pollIntervalMs, 15_000);
      assert.equal(await clientRegion(aws), "eu-central-1");
      assert.equal(await clientRegion(local), "ap-south-1");
    } finally {
      destroyClients(aws);
      destroyClients(local);
    }
  });
});
