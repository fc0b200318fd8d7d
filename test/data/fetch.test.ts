import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fetchDataset, sha256Hex } from "../../src/data/fetch";
import { DatasetError, InputError } from "../../src/errors";

const dir = mkdtempSync(join(tmpdir(), "zs-fetch-"));
const body = Buffer.from("Resolution_Category,text\r\nHumor,be funnier\r", "latin1");
const bodySha = sha256Hex(body);
let server: Server;
let base: string;

before(async () => {
  server = createServer((request, response) => {
    if (request.url === "/file.csv") response.end(body);
    else response.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

describe("fetchDataset", () => {
  it("downloads over HTTP, checks the sha256 and stores the bytes", async () => {
    const out = join(dir, "a", "data.csv");
    const fetched = await fetchDataset({ url: `${base}/file.csv`, sha256: bodySha, out });
    assert.equal(fetched.how, "download");
    assert.deepEqual(readFileSync(out), body);
    // A second call finds the file in place and does not fetch.
    assert.equal((await fetchDataset({ url: `${base}/missing`, sha256: bodySha, out })).how, "present");
  });

  it("copies a local file with from", async () => {
    const source = join(dir, "copy-source.csv");
    writeFileSync(source, body);
    const out = join(dir, "copied.csv");
    assert.equal((await fetchDataset({ from: source, sha256: bodySha, out })).how, "copy");
    assert.deepEqual(readFileSync(out), body);
  });

  it("refuses a file with the wrong checksum and leaves nothing behind", async () => {
    const source = join(dir, "other.csv");
    writeFileSync(source, "something else");
    const out = join(dir, "refused", "data.csv");
    await assert.rejects(fetchDataset({ from: source, sha256: bodySha, out }), (error: Error) => error instanceof DatasetError && /not the expected/.test(error.message));
    assert.equal(existsSync(out), false);
  });

  it("explains an HTTP error and a missing --from file", async () => {
    await assert.rejects(fetchDataset({ url: `${base}/gone.csv`, sha256: bodySha, out: join(dir, "x.csv") }), /HTTP 404.*--from PATH/);
    await assert.rejects(fetchDataset({ from: join(dir, "nope.csv"), out: join(dir, "y.csv") }), InputError);
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith(".tmp")), []);
  });
});
