/** A hub that cannot be reached: the CLI says why (not just "fetch failed") and what to do. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCliInProcess } from "../helpers/cli";

/** A port on 127.0.0.1 that nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("zero-shot classify with an unreachable hub", () => {
  const cache = mkdtempSync(join(tmpdir(), "zero-shot-hub-"));
  after(() => rmSync(cache, { recursive: true, force: true }));

  it("a mirror that refuses connections is named, with ECONNREFUSED and what to do", async () => {
    const port = await closedPort();
    const run = await runCliInProcess(["classify", "I will run a marathon", "--labels", "Health,Finance", "--model", "some-org/unreachable-mnli"], {
      env: { HF_ENDPOINT: `http://127.0.0.1:${port}`, ZERO_SHOT_CACHE: cache, HF_HUB_OFFLINE: "" },
    });
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr.trim(),
      `zero-shot: error: could not load some-org/unreachable-mnli (fp32) from the Hugging Face hub at http://127.0.0.1:${port}/: ` +
        `127.0.0.1:${port} refused the connection (ECONNREFUSED): nothing listens there; if it is a mirror (HF_ENDPOINT), start it or fix its address; ` +
        `or, without the hub, pass --model DIR with a local copy`,
    );
  });

  it("a host name that does not resolve is named, with what to do", async () => {
    // .invalid never resolves (RFC 2606): ENOTFOUND with DNS, EAI_AGAIN without any.
    const run = await runCliInProcess(["classify", "I will run a marathon", "--labels", "Health,Finance", "--model", "some-org/unreachable-mnli"], {
      env: { HF_ENDPOINT: "http://hub.example.invalid", ZERO_SHOT_CACHE: cache, HF_HUB_OFFLINE: "" },
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /from the Hugging Face hub at http:\/\/hub\.example\.invalid\/: cannot resolve hub\.example\.invalid \((ENOTFOUND|EAI_AGAIN)\): no DNS or no internet here; .*HF_ENDPOINT/);
    assert.doesNotMatch(run.stderr, /fetch failed/);
  });
});
