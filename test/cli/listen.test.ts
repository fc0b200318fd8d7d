/**
 * The long-running commands' process handling: a busy port, a bad host, and the npx case where npm's
 * shell dies under the server (SIGTERM to npx) and the server must not live on.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { assertCanListen } from "../../src/cli/listen";
import { InputError } from "../../src/errors";
import { CLI_ENTRY, runCli } from "../helpers/cli";
import { tinyBert } from "../helpers/models";

describe("serve and local-sagemaker: ports and parents", () => {
  let blocker: Server;
  let busyPort: number;
  before(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });
  after(() => blocker.close());

  it("serve on a busy port says so with a --port hint, before it loads any model", async () => {
    // The model directory does not exist: the port is checked first, so no load error shows.
    const run = await runCli(["serve", "--model", "no/such/model-dir", "--port", String(busyPort)]);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr.trim(),
      `zero-shot: error: port ${busyPort} on 127.0.0.1 is already in use (another zero-shot serve, or another program): ` +
        `stop that program, or pick another port with --port ${busyPort + 1} (--port 0 picks any free one)`,
    );
  });

  it("local-sagemaker on a busy port says the same", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "zero-shot-listen-"));
    const run = await runCli(["local-sagemaker", "--port", String(busyPort), "--data-dir", dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`port ${busyPort} on 127\\.0\\.0\\.1 is already in use .* --port ${busyPort + 1}`));
  });

  it("an address that is not this machine's is an InputError naming --host", async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a local interface.
    await assert.rejects(assertCanListen("192.0.2.1", 8080), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /cannot listen on 192\.0\.2\.1:8080: 192\.0\.2\.1 is not an address of this machine; use --host 127\.0\.0\.1/);
      return true;
    });
    await assertCanListen("127.0.0.1", 0); // port 0 always binds
  });

  it("started by npm (npx), serve stops and finishes cleanly once npm's shell is killed", async () => {
    // npx runs `sh -c "zero-shot serve ..."`; SIGTERM to npx reaches that shell, which dies and leaves the
    // server orphaned. The same layout here: a shell (that cannot exec the server away) with the server under it.
    const command = `"${process.execPath}" --import tsx "${CLI_ENTRY}" serve --model "${tinyBert()}" --port 0; echo "shell went on"`;
    const shell = spawn("sh", ["-c", command], { env: { ...process.env, npm_lifecycle_event: "npx" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    shell.stdout.on("data", (chunk) => (output += chunk));
    shell.stderr.on("data", (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      shell.stdout.on("data", () => {
        const match = /listening on .* \((http:\/\/[^)]+)\)/.exec(output);
        if (match) resolve(match[1]);
      });
      shell.once("exit", () => reject(new Error(`serve ended before it was ready:\n${output}`)));
    });
    assert.equal((await fetch(`${url}/ping`)).status, 200);
    // The pipes stay open while the orphaned server lives: their end is the server's exit.
    const pipesClosed = Promise.all([once(shell.stdout, "end"), once(shell.stderr, "end")]);
    shell.kill("SIGTERM");
    await once(shell, "exit");
    await pipesClosed;
    assert.match(output, /zero-shot serve: parent process exited: no new connections; finishing 0 request\(s\) in flight/);
    assert.match(output, /zero-shot serve: stopped/);
    assert.doesNotMatch(output, /shell went on/);
    await assert.rejects(fetch(`${url}/ping`), (error: Error) => (error.cause as NodeJS.ErrnoException).code === "ECONNREFUSED");
  });
});
