/**
 * The container routes of `zero-shot serve` and its close(). (/ping under load, with the model held busy
 * on a gate, is test/server/abuse.test.ts's.) No assertion here bounds a wall-clock time.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, it } from "node:test";
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import { startInferenceServer, type InferenceServer } from "../../src/server/httpServer";
import { MicroBatchingScorer } from "../../src/scorers/microBatchingScorer";
import { tinyBert } from "../helpers/models";
import { until, WorkerGate } from "../helpers/workerGate";

const post = (url: string, value: unknown, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
  fetch(url, { method: "POST", headers, body: JSON.stringify(value) });


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

  it("close() stops accepting, answers the requests in flight, then resolves", async () => {
    // The model (in a worker thread) waits on a gate the test holds, so the requests are in flight for as long as the test says.
    const gate = new WorkerGate();
    const scorer = await gate.start(tinyBert());
    const own = await startInferenceServer({ classifier: new ZeroShotClassifier(scorer), port: 0, log: () => undefined });
    try {
      const labels = ["Health", "Finance", "Travel"];
      const texts = (i: number) => [`request ${i} text 1`, `request ${i} text 2`];
      gate.hold();
      const inFlight = Array.from({ length: 4 }, (_, i) => post(`${own.url}/invocations`, { inputs: texts(i), parameters: { candidate_labels: labels } }));
      await until(() => own.inFlight === 4, "four requests in flight");
      let closed = false;
      const closing = own.close().then(() => (closed = true));
      await assert.rejects(fetch(`${own.url}/ping`), "no new connections once closing");
      assert.equal(closed, false, "close() waits while the requests are still being answered");
      gate.open();
      const answers = await Promise.all(inFlight);
      assert.deepEqual(
        answers.map((response) => response.status),
        [200, 200, 200, 200],
      );
      assert.deepEqual(await answers[3].json(), await classifier.classify(texts(3), labels));
      await closing;
      assert.equal(closed, true);
    } finally {
      gate.open();
      await own.close();
      await scorer.dispose();
    }
  });
});
