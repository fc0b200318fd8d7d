/**
 * ONNX Runtime session options chosen for this machine, and the optimised graph kept on disk so that
 * only the first load of a model pays for graph optimisation.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
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

/**
 * Threads other work keeps busy on the machine now, by two measures that must agree (the smaller is
 * taken): the kernel's count of runnable threads at this instant, less the caller's own, and the
 * 1-minute load average. The instant count alone jumps with short-lived processes; the average alone
 * still counts work that ended up to a minute ago. 0 where neither is known (not Linux).
 */
export function busyThreadCount(procLoadavg?: string, loadAverage: number = loadavg()[0]): number {
  let text = procLoadavg;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/loadavg", "utf8");
    } catch {
      return 0;
    }
  }
  const running = /^\S+ \S+ \S+ (\d+)\//.exec(text)?.[1];
  if (running === undefined) return 0;
  return Math.max(0, Math.min(Number(running) - 1, loadAverage));
}

/**
 * The default threads of one forward pass: one per physical core that other work leaves idle, at least
 * one (as OpenMP's dynamic threads do). A pass split over two threads waits for both at every operator,
 * so a thread on a core another process holds stalls the whole pass: on the 2-core benchmark machine
 * under other agents' load, one thread ran the DistilBERT-base forward pass about 1.5x faster than two.
 */
export function defaultThreadCount(physical: number = physicalCoreCount(), logical: number = availableParallelism(), busy: number = busyThreadCount()): number {
  return Math.max(1, Math.min(physical, Math.round(logical - busy)));
}

/** What a caller may tune; the rest is chosen for the machine. */
export interface SessionTuning {
  /** Threads inside one operator (matrix products). Default: the physical cores other work leaves idle (`defaultThreadCount`). */
  threads?: number;
}

/**
 * Session options for `device`: one intra-op thread per idle physical core, operators run one after another
 * (an encoder's graph is a chain, so inter-op threads would only wait), every graph optimisation, and
 * ONNX Runtime's memory arena and memory pattern (allocations planned once per input shape).
 */
export function sessionOptionsFor(device: Device, tuning: SessionTuning = {}): InferenceSession.SessionOptions {
  const threads = tuning.threads ?? defaultThreadCount();
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
 * The file name of a model's optimised graph. An optimised graph holds hardware-specific kernels, so
 * the key covers everything that shapes it: the model's content fingerprint, dtype, device, the ONNX
 * Runtime version, the CPU (model and instruction-set flags) and the session options except the thread
 * count (which changes with the machine's load and does not change the graph).
 */
export function optimizedGraphName(fingerprint: string, dtype: string, device: Device, options: InferenceSession.SessionOptions): string {
  const ortVersion = (require("onnxruntime-node/package.json") as { version: string }).version;
  const key = createHash("sha256")
    .update(JSON.stringify({ fingerprint, dtype, device, ortVersion, cpu: cpuSignature(), options: { ...options, intraOpNumThreads: undefined }, platform: `${process.platform}/${process.arch}` }))
    .digest("hex");
  return `${key.slice(0, 32)}.onnx`;
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
