/**
 * ONNX Runtime session options chosen for this machine, and the optimised graph kept on disk so that
 * only the first load of a model pays for graph optimisation.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import type { InferenceSession } from "onnxruntime-node";
import type { Device } from "./device";

/** Physical cores (hyper-threads share one core's arithmetic units, so more threads than cores only contend). */
export function physicalCoreCount(cpuinfo?: string): number {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return availableParallelism();
    }
  }
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
  }
  const logical = availableParallelism();
  // Containers may be limited to fewer CPUs than the cores /proc/cpuinfo lists.
  return cores.size > 0 ? Math.max(1, Math.min(cores.size, logical)) : logical;
}

/** What a caller may tune; the rest is chosen for the machine. */
export interface SessionTuning {
  /** Threads inside one operator (matrix products). Default: the physical cores. */
  threads?: number;
}

/**
 * Session options for `device`: one intra-op thread per physical core, operators run one after another
 * (an encoder's graph is a chain, so inter-op threads would only wait), every graph optimisation, and
 * ONNX Runtime's memory arena and memory pattern (allocations planned once per input shape).
 */
export function sessionOptionsFor(device: Device, tuning: SessionTuning = {}): InferenceSession.SessionOptions {
  const threads = tuning.threads ?? physicalCoreCount();
  return {
    executionProviders: [device],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
    enableCpuMemArena: true,
    enableMemPattern: true,
  };
}

/**
 * The file extension of a saved optimised graph: ONNX Runtime's own ORT format (a flatbuffer), which it
 * writes when the optimised model's path ends in `.ort` and can run from in place (see
 * `savedGraphSessionOptions`); the ONNX protobuf format would be parsed and copied on every load.
 */
export const OPTIMIZED_GRAPH_EXTENSION = ".ort";

/**
 * The file name of a model's optimised graph. An optimised graph holds hardware-specific kernels, so
 * the key covers everything that shapes it: the model's content fingerprint, dtype, device, the ONNX
 * Runtime version, the CPU (model and instruction-set flags), the session options and the file format.
 */
export function optimizedGraphName(fingerprint: string, dtype: string, device: Device, options: InferenceSession.SessionOptions): string {
  const ortVersion = (require("onnxruntime-node/package.json") as { version: string }).version;
  const key = createHash("sha256")
    .update(JSON.stringify({ fingerprint, dtype, device, ortVersion, cpu: cpuSignature(), options, platform: `${process.platform}/${process.arch}`, format: OPTIMIZED_GRAPH_EXTENSION }))
    .digest("hex");
  return `${key.slice(0, 32)}${OPTIMIZED_GRAPH_EXTENSION}`;
}

/**
 * Options to start a session from a saved optimised graph held in memory: nothing left to optimise,
 * and the session reads the graph and its weights in place from the bytes instead of copying them (a
 * DistilBERT-base graph is 268 MB), so the bytes must stay alive as long as the session. Weight
 * pre-packing stays on: turning it off changes the matrix kernels and so the scores' last digits.
 */
export function savedGraphSessionOptions(options: InferenceSession.SessionOptions): InferenceSession.SessionOptions {
  return {
    ...options,
    graphOptimizationLevel: "disabled",
    extra: { session: { use_ort_model_bytes_directly: "1", use_ort_model_bytes_for_initializers: "1" } },
  };
}

/** Where optimised graphs are kept inside a model cache directory (a name no hub organisation can take). */
export function optimizedGraphDir(cacheDir: string): string {
  return join(cacheDir, ".optimized-graphs");
}

function cpuSignature(): string {
  const model = cpus()[0]?.model ?? "unknown";
  let flags = "";
  try {
    flags = /^flags\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "";
  } catch {
    // not Linux: the model name and platform must do
  }
  return `${model}|${flags}`;
}
