import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { filePath, processIo, stopRequested, type CliIo } from "../../src/cli/io";

const io = (overrides: Partial<CliIo> = {}): CliIo => ({ ...processIo(), cwd: "/home/teacher/course", ...overrides });

describe("CLI io", () => {
  it("processIo is the process's own streams, environment and directory", () => {
    const own = processIo();
    assert.equal(own.stdout, process.stdout);
    assert.equal(own.stderr, process.stderr);
    assert.equal(own.env, process.env);
    assert.equal(own.cwd, process.cwd());
    assert.equal(own.stop, undefined);
  });

  it("filePath resolves a relative file against the command's directory and leaves absolute ones alone", () => {
    assert.equal(filePath(io(), "data/resolutions.csv"), join("/home/teacher/course", "data/resolutions.csv"));
    assert.equal(filePath(io(), "../shared/x.jsonl"), "/home/teacher/shared/x.jsonl");
    assert.equal(filePath(io(), "/tmp/report.html"), "/tmp/report.html");
    assert.equal(filePath(io(), undefined), undefined);
  });

  it("stopRequested resolves with the abort reason, also when already aborted", async () => {
    const controller = new AbortController();
    const stopped = stopRequested(io({ stop: controller.signal }));
    controller.abort("SIGTERM");
    assert.equal(await stopped, "SIGTERM");
    assert.equal(await stopRequested(io({ stop: controller.signal })), "SIGTERM");
  });

  it("without a stop signal, stopRequested never resolves", async () => {
    const marker = Symbol("still running");
    // Give the promise every chance to settle (a macrotask turn) before looking.
    const outcome = await Promise.race([stopRequested(io()), new Promise((resolve) => setImmediate(() => resolve(marker)))]);
    assert.equal(outcome, marker);
  });
});
