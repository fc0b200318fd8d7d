import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertDeviceAvailable, onnxRuntimeBinaryDir, parseDevice } from "../../../src/backends/local/device";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { InputError, ModelLoadError } from "../../../src/errors";
import { runCli } from "../../helpers/cli";
import { tinyBert } from "../../helpers/models";

describe("device option", () => {
  it("accepts cpu, cuda and webgpu; cpu is the default; anything else is an input error naming the choices", () => {
    assert.equal(parseDevice(undefined), "cpu");
    assert.equal(parseDevice("cuda"), "cuda");
    assert.equal(parseDevice("webgpu"), "webgpu");
    assert.throws(() => parseDevice("tpu"), (error: Error) => error instanceof InputError && /unknown device "tpu": use one of cpu, cuda, webgpu/.test(error.message));
  });

  it("cuda without onnxruntime-node's CUDA provider fails before loading, naming the missing files and the install command", async () => {
    const empty = mkdtempSync(join(tmpdir(), "zs-ort-bin-"));
    try {
      assert.throws(() => assertDeviceAvailable("cuda", empty, "linux/x64"), (error: Error) => {
        assert.ok(error instanceof ModelLoadError);
        assert.match(error.message, /libonnxruntime_providers_cuda\.so, libonnxruntime_providers_shared\.so/);
        assert.match(error.message, /ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules\/onnxruntime-node\/script\/install\.js/);
        assert.match(error.message, /--device cpu/);
        return true;
      });
      assert.throws(() => assertDeviceAvailable("cuda", empty, "darwin/arm64"), /CUDA builds for linux\/x64 only/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    // This machine's onnxruntime-node was installed without the CUDA provider (the project's .npmrc).
    await assert.rejects(LocalNliModel.load(tinyBert(), { device: "cuda" }), (error: Error) => error instanceof ModelLoadError && error.message.includes(onnxRuntimeBinaryDir()));
  });

  it("webgpu without a GPU adapter fails with a load error that says what the GPU needs", async () => {
    await assert.rejects(LocalNliModel.load(tinyBert(), { device: "webgpu", cacheDir: mkdtempSync(join(tmpdir(), "zs-webgpu-")) }), (error: Error) => {
      assert.ok(error instanceof ModelLoadError, `${error.name}: ${error.message}`);
      assert.match(error.message, /^device webgpu could not start \(.*adapter.*\): onnxruntime-node needs a GPU with a Vulkan driver/s);
      return true;
    });
  });

  it("cpu loads and reports its device", async () => {
    const model = await LocalNliModel.load(tinyBert(), { device: "cpu" });
    assert.equal(model.device, "cpu");
    await model.dispose();
  });

  it("the CLI takes --device: cpu classifies, cuda exits 1 with the install hint, an unknown device exits 2", async () => {
    const args = ["classify", "I will run a marathon", "--labels", "Health,Finance", "--model", tinyBert(), "--json"];
    const cpu = await runCli([...args, "--device", "cpu"]);
    assert.equal(cpu.code, 0, cpu.stderr);
    assert.deepEqual(JSON.parse(cpu.stdout).labels.sort(), ["Finance", "Health"]);
    const cuda = await runCli([...args, "--device", "cuda"]);
    assert.equal(cuda.code, 1);
    assert.match(cuda.stderr, /device cuda needs onnxruntime-node's CUDA provider .*ONNXRUNTIME_NODE_INSTALL=cuda12/);
    const unknown = await runCli([...args, "--device", "gpu0"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown device "gpu0"/);
  });
});
