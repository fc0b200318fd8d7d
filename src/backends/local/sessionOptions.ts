/**
 * ONNX Runtime session options chosen for this machine, and the optimised graph kept on disk so that
 * only the first load of a model pays for graph optimisation and weight pre-packing.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { basename, join } from "node:path";
import type { InferenceSession } from "onnxruntime-node";
import type { Device } from "./device";
import { FIRST_TOKEN_REWRITE_VERSION } from "./firstTokenGraph";

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

/**
 * Threads for each of `copies` sessions running side by side on one machine (worker threads of a
 * pool, a transform job's instance processes): the physical cores shared out, at least one each. A
 * session per copy with every core would run cores × copies threads, which only contend.
 */
export function threadsPerCopy(copies: number, cores: number = physicalCoreCount()): number {
  return Math.max(1, Math.floor(cores / copies));
}

/** What a caller may tune; the rest is chosen for the machine. */
export interface SessionTuning {
  /**
   * Threads inside one operator (matrix products). Default: the physical cores. (Fewer can run faster on a
   * machine other work keeps busy; a choice made from a sample of the load at start-up proved unreliable,
   * so it is the caller's: the `threads` option.)
   */
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
 * A saved optimised graph is a folder holding this ONNX file and, beside it, `model.onnx.data` with the
 * weights already pre-packed for this CPU's matrix kernels (about 1.6x the model's size on disk).
 * Loading it maps the weights from the data file instead of reading, parsing, copying and re-packing
 * them: a DistilBERT-base session starts in about 0.3 s instead of 0.9-1.7 s from a single optimised
 * .onnx file (2 loaded cores). A folder, renamed into place once complete, so the graph and its data
 * file appear together or not at all.
 */
export const OPTIMIZED_GRAPH_FILE = "model.onnx";

/** Part of the key: the saved graph's layout, so a change of layout never reads an older one. */
const SAVED_GRAPH_LAYOUT = "onnx+prepacked-external-data+graph.json";

/** Which graph was optimised: narrowed to the first token where the model allows it (./firstTokenGraph.ts), or the full one. */
export type GraphVariant = "first-token" | "full";

/**
 * The folder name of a model's optimised graph. An optimised graph holds hardware-specific kernels and
 * pre-packed weights, so the key covers everything that shapes it: the model's content fingerprint,
 * dtype, device, the ONNX Runtime version, the CPU (model and instruction-set flags), the session
 * options except the thread count (which changes with the machine's load and changes neither the graph
 * nor the pre-packed weights), the saved layout and the graph variant.
 */
export function optimizedGraphName(fingerprint: string, dtype: string, device: Device, options: InferenceSession.SessionOptions, variant: GraphVariant = "first-token"): string {
  const ortVersion = (require("onnxruntime-node/package.json") as { version: string }).version;
  const key = createHash("sha256")
    .update(JSON.stringify({ fingerprint, dtype, device, ortVersion, cpu: cpuSignature(), options: { ...options, intraOpNumThreads: undefined }, platform: `${process.platform}/${process.arch}`, layout: SAVED_GRAPH_LAYOUT, variant, rewrite: variant === "first-token" ? FIRST_TOKEN_REWRITE_VERSION : undefined }))
    .digest("hex");
  return key.slice(0, 32);
}

/**
 * Session options that also save the optimised graph at `graphPath`, its weights (pre-packed, as the
 * CPU kernels use them) in `graphPath.data` beside it.
 */
export function savingSessionOptions(options: InferenceSession.SessionOptions, graphPath: string): InferenceSession.SessionOptions {
  return {
    ...options,
    optimizedModelFilePath: graphPath,
    logSeverityLevel: 3,
    extra: {
      session: {
        optimized_model_external_initializers_file_name: `${basename(graphPath)}.data`,
        optimized_model_external_initializers_min_size_in_bytes: "1024",
        save_external_prepacked_constant_initializers: "1",
      },
    },
  };
}

/** Session options to start from a saved optimised graph: nothing is left to optimise. */
export function savedGraphSessionOptions(options: InferenceSession.SessionOptions): InferenceSession.SessionOptions {
  return { ...options, graphOptimizationLevel: "disabled" };
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
