/**
 * Where a local model runs: the CPU (default), or a GPU through onnxruntime-node's CUDA or WebGPU
 * execution provider. A device that cannot work on this machine fails before the model loads, with a
 * message naming what is missing and how to add it.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError, ModelLoadError } from "../../errors";

/** The devices onnxruntime-node can run a model on. */
export const DEVICES = ["cpu", "cuda", "webgpu"] as const;

export type Device = (typeof DEVICES)[number];

/** Validates a `--device` / `device` value; `undefined` means `cpu`. */
export function parseDevice(device: string | undefined): Device {
  const value = device ?? "cpu";
  if (!(DEVICES as readonly string[]).includes(value)) {
    throw new InputError(`unknown device ${JSON.stringify(value)}: use one of ${DEVICES.join(", ")} (cpu is the default)`);
  }
  return value as Device;
}

/** The folder holding onnxruntime-node's native library for this platform (where GPU providers must sit). */
export function onnxRuntimeBinaryDir(): string {
  const binding = dirname(require.resolve("onnxruntime-node/package.json"));
  return join(binding, "bin", "napi-v6", process.platform, process.arch);
}

/** How a user installs onnxruntime-node's CUDA provider (it is not in the npm package; its install script downloads it). */
export const CUDA_INSTALL_HINT =
  "install them with `ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js` (downloads from NuGet; " +
  "needs an NVIDIA driver, CUDA 12 and cuDNN 9; the project's .npmrc skips them at npm install)";

/**
 * Throws a `ModelLoadError` naming what is missing when `device` cannot run on this machine, as far as
 * can be known before a session starts; the GPU itself is checked when the session is created.
 */
export function assertDeviceAvailable(device: Device, binaryDir: string = onnxRuntimeBinaryDir(), platform = `${process.platform}/${process.arch}`): void {
  if (device !== "cuda") return;
  if (platform !== "linux/x64") {
    throw new ModelLoadError(`device cuda is not available on ${platform}: onnxruntime-node has CUDA builds for linux/x64 only; use --device cpu` + (platform.startsWith("win32") ? " (or webgpu)" : ""));
  }
  const missing = ["libonnxruntime_providers_cuda.so", "libonnxruntime_providers_shared.so"].filter((file) => !existsSync(join(binaryDir, file)));
  if (missing.length > 0) {
    throw new ModelLoadError(`device cuda needs onnxruntime-node's CUDA provider (${missing.join(", ")} in ${binaryDir}), which is not installed: ${CUDA_INSTALL_HINT}; or use --device cpu`);
  }
}

/** Explains a session that failed on a GPU device; other failures pass through unchanged. */
export function explainDeviceFailure(device: Device, error: unknown): unknown {
  if (device === "cpu") return error;
  const message = (error as Error)?.message ?? String(error);
  if (device === "webgpu") {
    return new ModelLoadError(
      `device webgpu could not start (${message.split("\n")[0].slice(0, 300)}): onnxruntime-node needs a GPU with a Vulkan driver ` +
        `(Linux: the vendor's driver or mesa-vulkan-drivers, and libvulkan1), Metal (macOS) or Direct3D 12 (Windows); or use --device cpu`,
      { cause: error },
    );
  }
  return new ModelLoadError(
    `device cuda could not start (${message.split("\n")[0].slice(0, 300)}): check the NVIDIA driver, CUDA 12 and cuDNN 9 libraries ` +
      `(on LD_LIBRARY_PATH), or use --device cpu`,
    { cause: error },
  );
}
