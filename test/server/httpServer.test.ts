import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, it } from "node:test";
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import { startInferenceServer, type InferenceServer } from "../../src/server/httpServer";
import { MicroBatchingScorer } from "../../src/scorers/microBatchingScorer";
import { tinyBert } from "../helpers/models";

const post = (url: string, value: unknown, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
  fetch(url, { method: "POST", headers, body: JSON.stringify(value) });

/** A long text: the tiny model truncates it to its 128 tokens, so every pair is a full-length one. */
const longText = (seed: number) => Array.from({ length: 150 }, (_, i) => `word${(i * 7 + seed) % 97}`).join(" ");

describe("inference server (container routes)", () => {
  let classifier: ZeroShotClassifier;
  let server: InferenceServer;
  before(async () => {
    classifier = new ZeroShotClassifier(new MicroBatchingScorer(await LocalNliModel.load(tinyBert())));
    server = await startInferenceServer({ classifier, port: 0, log: () => undefined });
  });
  after(() => server.close());

  it("binds 127.0.0.1 by default and answers GET /ping with 200 and an empty body", async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/ping`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "");
  });

  it("answers POST /invocations like the local classifier", async () => {
    const response = await post(`${server.url}/invocations`, { inputs: ["one text", "another"], parameters: { candidate_labels: ["A", "B", "C"] } });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), await classifier.classify(["one text", "another"], ["A", "B", "C"]));
  });

  it("tells batch transform its execution parameters", async () => {
    const response = await fetch(`${server.url}/execution-parameters`);
    assert.deepEqual(await response.json(), { MaxConcurrentTransforms: 4, BatchStrategy: "SINGLE_RECORD", MaxPayloadInMB: 6 });
  });

  it("answers unknown routes 404 and wrong methods 405, as JSON errors", async () => {
    const missing = await fetch(`${server.url}/predict`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { message: string }).message, /POST \/invocations/);
    const wrongMethod = await fetch(`${server.url}/invocations`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "POST");
  });

  it("refuses a streamed body (no Content-Length) once it passes 6 MiB, without keeping it", async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/invocations`, { method: "POST", headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" } }, (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(1024 * 1024, 32);
      for (let i = 0; i < 7; i++) req.write(chunk);
      req.end();
    });
    assert.equal(status, 413);
    assert.match(JSON.parse(body).message, /6 MiB/);
    assert.equal((await fetch(`${server.url}/ping`)).status, 200);
  });

  it("answers /ping within 2 s while heavy requests are being scored", async () => {
    const labels = Array.from({ length: 10 }, (_, i) => `label number ${i}`);
    const load = Array.from({ length: 8 }, (_, r) =>
      post(`${server.url}/invocations`, { inputs: Array.from({ length: 30 }, (_, t) => longText(r * 31 + t)), parameters: { candidate_labels: labels } }).then(
        (response) => response.status,
      ),
    );
    let loadDone = false;
    const allLoad = Promise.all(load).finally(() => (loadDone = true));
    const pings: number[] = [];
    await new Promise((resolve) => setTimeout(resolve, 100));
    while (!loadDone) {
      const started = performance.now();
      const response = await fetch(`${server.url}/ping`, { signal: AbortSignal.timeout(5000) });
      assert.equal(response.status, 200);
      if (!loadDone) pings.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(await allLoad, load.map(() => 200));
    assert.ok(pings.length >= 3, `the load should last long enough to ping during it (pinged ${pings.length} times)`);
    assert.ok(Math.max(...pings) < 2000, `slowest /ping ${Math.max(...pings).toFixed(0)} ms`);
  });

  it("close() stops accepting, answers the requests in flight, then resolves", async () => {
    // Heavy requests (200 texts x 20 labels each, over a second of work together) are in flight when close() is called.
    const own = await startInferenceServer({ classifier, port: 0, log: () => undefined });
    const labels = Array.from({ length: 20 }, (_, i) => `label ${i}`);
    const texts = (i: number) => Array.from({ length: 200 }, (_, j) => `request ${i} text ${j}`);
    const inFlight = Array.from({ length: 4 }, (_, i) => post(`${own.url}/invocations`, { inputs: texts(i), parameters: { candidate_labels: labels } }));
    const deadline = Date.now() + 5000;
    while (own.inFlight < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(own.inFlight, 4);
    let closedAt = 0;
    const closeCalledAt = performance.now();
    const closed = own.close().then(() => (closedAt = performance.now()));
    await assert.rejects(fetch(`${own.url}/ping`), "no new connections once closing");
    const answers = await Promise.all(inFlight);
    assert.deepEqual(
      answers.map((response) => response.status),
      [200, 200, 200, 200],
    );
    assert.deepEqual(await answers[3].json(), await classifier.classify(texts(3), labels));
    await closed;
    // It waited for the work to finish and the answers to go out, not just for the listener to stop.
    assert.ok(closedAt - closeCalledAt > 200, `close() resolved after ${(closedAt - closeCalledAt).toFixed(0)} ms`);
  });
});
