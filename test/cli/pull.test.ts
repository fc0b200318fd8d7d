/**
 * `zero-shot pull` against a local hub (HF_ENDPOINT, a real HTTP server serving a generated model in the
 * hub's file layout): it announces the size before downloading, downloads into the cache, prints the
 * folder, and the folder loads offline.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { formatBytes } from "../../src/io/bytes";
import { missingModelFiles } from "../../src/models/resolve";
import { runCli, runCliInProcess } from "../helpers/cli";
import { tinyBert } from "../helpers/models";

const FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"];

describe("zero-shot pull", () => {
  let server: Server;
  let hub: string;
  let cacheDir: string;
  const requests: string[] = [];
  before(async () => {
    const source = tinyBert();
    server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      const match = /^\/test-org\/tiny-nli\/resolve\/main\/(.+)$/.exec(request.url ?? "");
      try {
        const body = readFileSync(join(source, decodeURIComponent(match![1])));
        response.writeHead(200, { "content-length": body.length, "content-type": "application/octet-stream" });
        response.end(request.method === "HEAD" ? undefined : body);
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    hub = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    cacheDir = mkdtempSync(join(tmpdir(), "zs-pull-"));
  });
  after(() => {
    server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it("says how big the download is, downloads with --dtype q8 into the cache, and prints a folder that loads offline", async () => {
    const source = tinyBert();
    const expected = [...FILES, "onnx/model_quantized.onnx"].reduce((sum, file) => sum + statSync(join(source, file)).size, 0);
    // The one spawned run: the binary itself (the other cases run the command in-process).
    const run = await runCli(["pull", "test-org/tiny-nli", "--dtype", "q8", "--cache-dir", cacheDir], { env: { HF_ENDPOINT: hub, HF_HUB_OFFLINE: "", ZERO_SHOT_OFFLINE: "" } });
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split("\n");
    assert.equal(lines[0], `test-org/tiny-nli (q8): ${formatBytes(expected)} to download into ${cacheDir}`);
    assert.match(run.stdout, /onnx\/model_quantized\.onnx\s+\d/);
    // Sizes were asked (HEAD) before any file was fetched (GET).
    const firstGet = requests.findIndex((line) => line.startsWith("GET"));
    assert.ok(firstGet > 0 && requests.slice(0, firstGet).every((line) => line.startsWith("HEAD")), requests.join("\n"));
    assert.ok(!requests.some((line) => line.endsWith("/onnx/model.onnx")), "q8 never fetches the fp32 weights");

    const folder = join(cacheDir, "test-org", "tiny-nli");
    assert.ok(lines.includes(folder), run.stdout);
    assert.deepEqual(missingModelFiles(folder, "q8"), []);
    assert.match(run.stdout, /warning: random test model: scores are meaningless/);

    // The printed folder is a model directory: classify loads it without the hub.
    const classify = await runCliInProcess(["classify", "I will run a marathon", "--labels", "Health,Finance", "--model", folder, "--dtype", "q8", "--json"], { env: { HF_ENDPOINT: "http://127.0.0.1:9" } });
    assert.equal(classify.code, 0, classify.stderr);
    assert.deepEqual(JSON.parse(classify.stdout).labels.sort(), ["Finance", "Health"]);
  });

  it("a second pull finds the model in the cache and downloads nothing", async () => {
    const before = requests.length;
    const run = await runCliInProcess(["pull", "test-org/tiny-nli", "--dtype", "q8", "--cache-dir", cacheDir], { env: { HF_ENDPOINT: hub } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^test-org\/tiny-nli \(q8\) is in the cache already: [\d.]+ (kB|MB), nothing to download\n/);
    assert.equal(requests.length, before);
  });

  it("a model the hub lacks, and an unreachable hub, fail before downloading with the cause", async () => {
    const missing = await runCliInProcess(["pull", "test-org/no-such-model", "--cache-dir", cacheDir], { env: { HF_ENDPOINT: hub, HF_HUB_OFFLINE: "", ZERO_SHOT_OFFLINE: "" } });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /the hub has no config\.json at .*test-org\/no-such-model.* \(HTTP 404\): check the model id/);
    // A port that was free a moment ago: nothing listens, the connection is refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await runCliInProcess(["pull", "test-org/tiny-nli", "--cache-dir", join(cacheDir, "other")], { env: { HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_HUB_OFFLINE: "", ZERO_SHOT_OFFLINE: "" } });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /could not reach the Hugging Face hub .*\(ECONNREFUSED\)/);
    assert.doesNotMatch(unreachable.stderr, /\n\s+at /, "no stack trace");
  });

  it("refuses a local folder and a bad dtype with what to do", async () => {
    const folder = await runCliInProcess(["pull", tinyBert()]);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /is a local folder already: nothing to pull/);
    // A folder relative to the caller's working directory is a folder too.
    const relative = await runCliInProcess(["pull", basename(tinyBert())], { cwd: dirname(tinyBert()) });
    assert.equal(relative.code, 2);
    assert.equal(relative.stderr, `zero-shot: error: ${basename(tinyBert())} is a local folder already: nothing to pull (use it with --model ${basename(tinyBert())})\n`);
    const dtype = await runCliInProcess(["pull", "bart-large-mnli", "--dtype", "q9"]);
    assert.equal(dtype.code, 2);
    assert.match(dtype.stderr, /unknown dtype "q9"/);
  });
});
