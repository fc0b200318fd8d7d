import assert from "node:assert/strict";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { readBody } from "../../src/io/requestBody";

const LIMIT = 1024;

describe("readBody", () => {
  let server: Server;
  let url: string;
  before(async () => {
    // Answers with what readBody returned: the body's length, or "over" past the limit.
    server = createServer(async (request, response) => {
      const body = await readBody(request, LIMIT);
      response.end(body === undefined ? "over" : `${body.length}:${body.subarray(0, 16).toString("utf8")}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** POSTs `chunks` with Transfer-Encoding: chunked (no Content-Length), as a streaming client does. */
  function postChunked(chunks: Buffer[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { method: "POST" }, (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve(text));
      });
      request.on("error", reject);
      for (const chunk of chunks) request.write(chunk);
      request.end();
    });
  }

  it("returns the whole body up to the limit, exactly", async () => {
    const response = await fetch(url, { method: "POST", body: "é".repeat(512) });
    assert.equal(await response.text(), `1024:${"é".repeat(8)}`);
    assert.equal(await postChunked([Buffer.from("a".repeat(600)), Buffer.from("b".repeat(424))]), `1024:${"a".repeat(16)}`);
    assert.equal(await (await fetch(url, { method: "POST" })).text(), "0:");
  });

  it("gives undefined for a declared Content-Length over the limit", async () => {
    const response = await fetch(url, { method: "POST", body: "x".repeat(LIMIT + 1) });
    assert.equal(await response.text(), "over");
  });

  it("gives undefined once a chunked body passes the limit", async () => {
    assert.equal(await postChunked([Buffer.alloc(1000, 1), Buffer.alloc(25, 2)]), "over");
  });
});
