/**
 * planDownload against a local hub (HF_ENDPOINT: a real HTTP server on 127.0.0.1 serving a generated
 * model in the hub's layout, redirecting the ONNX weights to a "CDN" path as the hub does for LFS files):
 * the files a dtype needs, their sizes asked with HEAD before anything is fetched, and errors that say
 * what to do.
 */
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ModelLoadError } from "../../src/errors";
import { hubEndpoint, planDownload } from "../../src/models/hubFiles";
import { modelFilesFor } from "../../src/models/resolve";
import { tinyBert } from "../helpers/models";

describe("hubEndpoint and modelFilesFor", () => {
  it("uses HF_ENDPOINT when set (with exactly one trailing slash), else huggingface.co", () => {
    assert.equal(hubEndpoint({}), "https://huggingface.co/");
    assert.equal(hubEndpoint({ HF_ENDPOINT: "" }), "https://huggingface.co/");
    assert.equal(hubEndpoint({ HF_ENDPOINT: "http://127.0.0.1:9999" }), "http://127.0.0.1:9999/");
    assert.equal(hubEndpoint({ HF_ENDPOINT: "https://mirror.example/hf///" }), "https://mirror.example/hf/");
  });

  it("lists config, tokenizer files and the dtype's ONNX weights, in load order", () => {
    assert.deepEqual(modelFilesFor("q8"), ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_quantized.onnx"]);
    assert.equal(modelFilesFor("fp32")[3], "onnx/model.onnx");
  });
});

describe("planDownload", () => {
  let server: Server;
  let env: NodeJS.ProcessEnv;
  let cacheDir: string;
  let source: string;
  const requests: string[] = [];
  before(async () => {
    source = tinyBert();
    server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      const url = request.url ?? "";
      if (url.startsWith("/broken/")) {
        response.writeHead(503).end();
        return;
      }
      const cdn = /^\/cdn\/(.+)$/.exec(url);
      const hub = /^\/test-org\/tiny-nli\/resolve\/main\/(.+)$/.exec(url);
      const file = cdn?.[1] ?? hub?.[1];
      let body: Buffer;
      try {
        body = readFileSync(join(source, decodeURIComponent(file ?? "missing")));
      } catch {
        response.writeHead(404).end();
        return;
      }
      // LFS weights: the hub redirects to its CDN, as huggingface.co does.
      if (hub && file!.startsWith("onnx/")) {
        response.writeHead(302, { location: `/cdn/${file}` }).end();
        return;
      }
      response.writeHead(200, { "content-length": body.length });
      response.end(request.method === "HEAD" ? undefined : body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    env = { HF_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    cacheDir = mkdtempSync(join(tmpdir(), "zs-hubfiles-"));
  });
  after(() => {
    server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it("asks each file's size with HEAD (following the weights' redirect) and downloads nothing", async () => {
    requests.length = 0;
    const plan = await planDownload("test-org/tiny-nli", "q8", cacheDir, env);
    const sizes = modelFilesFor("q8").map((file) => ({ file, bytes: statSync(join(source, file)).size }));
    assert.deepEqual(plan, {
      modelId: "test-org/tiny-nli",
      dtype: "q8",
      folder: join(cacheDir, "test-org", "tiny-nli"),
      cached: false,
      files: sizes,
      totalBytes: sizes.reduce((sum, f) => sum + f.bytes, 0),
    });
    assert.ok(requests.every((line) => line.startsWith("HEAD ")), requests.join("\n"));
    assert.ok(requests.includes("HEAD /cdn/onnx/model_quantized.onnx"));
    assert.ok(!requests.some((line) => line.includes("/onnx/model.onnx")), "q8 never asks for the fp32 weights");
  });

  it("answers from the cache without asking the hub when every file of the dtype is there", async () => {
    const folder = join(cacheDir, "test-org", "cached-nli");
    mkdirSync(folder, { recursive: true });
    cpSync(source, folder, { recursive: true });
    requests.length = 0;
    const plan = await planDownload("test-org/cached-nli", "fp32", cacheDir, env);
    assert.equal(plan.cached, true);
    assert.equal(plan.folder, folder);
    assert.deepEqual(plan.files.map((f) => [f.file, f.bytes]), modelFilesFor("fp32").map((file) => [file, statSync(join(source, file)).size]));
    assert.deepEqual(requests, []);
  });

  it("names the missing file and suggests a model with transformers.js weights when the hub has no such file", async () => {
    await assert.rejects(
      planDownload("test-org/tiny-nli", "fp16", cacheDir, env),
      (error: unknown) =>
        error instanceof ModelLoadError &&
        error.message.startsWith(`the hub has no onnx/model_fp16.onnx at ${env.HF_ENDPOINT}/test-org/tiny-nli/resolve/main/onnx/model_fp16.onnx (HTTP 404)`) &&
        /an onnx\/ folder/.test(error.message),
    );
  });

  it("says to try again or use a mirror when the hub fails, and to check the connection when it cannot be reached", async () => {
    await assert.rejects(planDownload("broken/model", "q8", cacheDir, env), (error: unknown) => error instanceof ModelLoadError && /the hub answered HTTP 503 for .*: try again later, or set HF_ENDPOINT to a mirror/.test(error.message));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(
      planDownload("test-org/tiny-nli", "q8", cacheDir, { HF_ENDPOINT: `http://127.0.0.1:${deadPort}` }),
      (error: unknown) => error instanceof ModelLoadError && /could not reach the Hugging Face hub for .* \(ECONNREFUSED\): check your connection, or set HF_ENDPOINT/.test(error.message) && error.cause !== undefined,
    );
  });

  it("takes the size the hub announces in x-linked-size over the response's own length", async () => {
    const linked = createServer((_, response) => response.writeHead(200, { "x-linked-size": "123456789", "content-length": 10 }).end());
    await new Promise<void>((resolve) => linked.listen(0, "127.0.0.1", resolve));
    try {
      const plan = await planDownload("test-org/big", "q8", cacheDir, { HF_ENDPOINT: `http://127.0.0.1:${(linked.address() as AddressInfo).port}` });
      assert.deepEqual(plan.files.map((f) => f.bytes), [123456789, 123456789, 123456789, 123456789]);
      assert.equal(plan.totalBytes, 4 * 123456789);
    } finally {
      await new Promise((resolve) => linked.close(resolve));
    }
  });

  // Known bug in src/models/hubFiles.ts: Number(response.headers.get(...)) turns a missing header (null) into 0,
  // so a hub answer without Content-Length plans a 0-byte file instead of saying the size is unknown.
  it("refuses a hub answer that gives no size at all", async () => {
    const sizeless = createServer((_, response) => response.writeHead(200, { "transfer-encoding": "chunked" }).end());
    await new Promise<void>((resolve) => sizeless.listen(0, "127.0.0.1", resolve));
    try {
      await assert.rejects(
        planDownload("test-org/sizeless", "q8", cacheDir, { HF_ENDPOINT: `http://127.0.0.1:${(sizeless.address() as AddressInfo).port}` }),
        (error: unknown) => error instanceof ModelLoadError && /the hub did not say how big config\.json is/.test(error.message),
      );
    } finally {
      await new Promise((resolve) => sizeless.close(resolve));
    }
  });
});
