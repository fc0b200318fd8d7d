/**
 * Which Jupyter kernel runs the code (tslab, Deno or none) and how outputs reach it: tslab's own bundle
 * writer, or Deno's asynchronous `Deno.jupyter` calls chained so outputs keep their order. The kernels'
 * entry points are stood in for exactly where the module looks for them (tslab's `dist/jupyter.js` in
 * the require cache, `globalThis.Deno.jupyter`).
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { InputError } from "../../src/errors";
import { displayBundle, kernelDisplayWriter, outputsSent, runningKernel, type KernelDisplayWriter } from "../../src/notebook/kernel";
import { promiseWithResolvers } from "../helpers/barrier";

const TSLAB_JUPYTER = "/opt/jupyter/node_modules/tslab/dist/jupyter.js";

/** A Deno kernel whose calls are recorded; each call's promise is settled by the test. */
function fakeDeno() {
  const calls: { call: string; args: unknown[]; done: ReturnType<typeof promiseWithResolvers<void>> }[] = [];
  const record = (call: string) => (...args: unknown[]) => {
    const done = promiseWithResolvers<void>();
    calls.push({ call, args, done });
    return done.promise;
  };
  (globalThis as { Deno?: unknown }).Deno = { jupyter: { display: record("display"), broadcast: record("broadcast") } };
  return calls;
}

describe("kernel", () => {
  afterEach(() => {
    delete (globalThis as { Deno?: unknown }).Deno;
    delete require.cache[TSLAB_JUPYTER];
  });

  it("outside a kernel: none, no writer, and displayBundle says what to do instead", async () => {
    assert.equal(runningKernel(), "none");
    assert.equal(kernelDisplayWriter(), undefined);
    await assert.rejects(displayBundle({ "text/plain": "hi" }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, "no notebook kernel to display in: call this inside a tslab or Deno notebook (or use the function's string result)");
      return true;
    });
  });

  it("in tslab: uses the kernel's own bundle writer, so one output carries every MIME type", async () => {
    const sent: { data: object; update: boolean }[] = [];
    const write: KernelDisplayWriter = (content, update) => sent.push({ data: content.data, update });
    require.cache[TSLAB_JUPYTER] = { exports: { lastWriteDisplayData: write } } as NodeJS.Module;
    assert.equal(runningKernel(), "tslab");
    assert.equal(kernelDisplayWriter(), write);
    await displayBundle({ "text/html": "<b>hi</b>", "text/plain": "hi" });
    assert.deepEqual(sent, [{ data: { "text/html": "<b>hi</b>", "text/plain": "hi" }, update: false }]);
  });

  it("is not fooled by a tslab module without a writer (before its first cell)", () => {
    require.cache[TSLAB_JUPYTER] = { exports: { lastWriteDisplayData: null } } as unknown as NodeJS.Module;
    assert.equal(runningKernel(), "none");
  });

  it("in Deno: displays raw bundles with their display id, updates through update_display_data, one call after the other", async () => {
    const calls = fakeDeno();
    assert.equal(runningKernel(), "deno");
    const write = kernelDisplayWriter()!;
    write({ data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "progress" } }, false);
    write({ data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "progress" } }, true);
    write({ data: { "text/plain": "done" }, metadata: {}, transient: {} }, true);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(calls.map(({ call }) => call), ["display"], "the second output waits for the first to be sent");
    assert.deepEqual(calls[0].args, [{ "text/plain": "0%" }, { raw: true, display_id: "progress" }]);

    calls[0].done.resolve();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(calls.map(({ call }) => call), ["display", "broadcast"]);
    assert.deepEqual(calls[1].args, ["update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "progress" } }]);

    const sent = outputsSent();
    calls[1].done.resolve();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(calls[2].args, [{ "text/plain": "done" }, { raw: true }], "an update without a display id is a new output");
    calls[2].done.resolve();
    await sent;
  });

  it("in Deno: displayBundle resolves only once its output has been sent", async () => {
    const calls = fakeDeno();
    let resolved = false;
    const shown = displayBundle({ "text/markdown": "**Model:** x", "text/plain": "Model: x" }).then(() => (resolved = true));
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(calls[0].args, [{ "text/markdown": "**Model:** x", "text/plain": "Model: x" }, { raw: true }]);
    assert.equal(resolved, false);
    calls[0].done.resolve();
    await shown;
    assert.equal(resolved, true);
  });

  it("in Deno: an output that fails to send fails its own call only; the outputs after it still go out", async () => {
    const calls = fakeDeno();
    const first = displayBundle({ "text/plain": "a" });
    await new Promise<void>((resolve) => setImmediate(resolve));
    calls[0].done.reject(new Error("kernel busy"));
    await assert.rejects(first, /kernel busy/);
    const second = displayBundle({ "text/plain": "b" });
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 2, "the second output was sent");
    assert.deepEqual(calls[1].args, [{ "text/plain": "b" }, { raw: true }]);
    calls[1].done.resolve();
    await second;
    await outputsSent();
  });

  it("prefers a writer passed in over the running kernel", async () => {
    const calls = fakeDeno();
    const sent: object[] = [];
    await displayBundle({ "text/plain": "hi" }, { write: (content) => sent.push(content.data) });
    assert.deepEqual(sent, [{ "text/plain": "hi" }]);
    assert.equal(calls.length, 0);
  });
});
