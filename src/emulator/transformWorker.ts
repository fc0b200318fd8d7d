/**
 * A batch transform instance in its own process: `transformJob.ts` forks one per instance when a job
 * asks for several. It loads its own copy of the model, answers the objects it was dealt, reports
 * through the IPC channel, and stops at a checkpoint when asked. If the emulator dies, the channel
 * closes and the worker exits at once: its journal is as good as after a SIGKILL, and the next start
 * resumes from it.
 */
import { existsSync, readFileSync } from "node:fs";
import { loadClassifier } from "../backends/local/loadClassifier";
import { runInstance, type FileTask, type InstanceOutcome, type TransformJobSpec } from "./transformInstance";
import { instanceRecordPath } from "./transformJournal";
import type { LocalModelOptions } from "../backends/local/localNliModel";

/** How a worker process loads the job's model: plain data, sent to the process. */
export interface WorkerModel {
  /** A hub id or a model directory. */
  model: string;
  options: Pick<LocalModelOptions, "dtype" | "batchSize" | "offline" | "cacheDir" | "threads">;
}

/** What an instance is given. */
export interface WorkerStart {
  instance: number;
  job: TransformJobSpec;
  tasks: FileTask[];
  workDir: string;
  model: WorkerModel;
  checkpointMs?: number;
  /** How long an earlier run's worker on this instance gets to exit before it is stopped. Default 10 s. */
  predecessorWaitMs?: number;
}

/** Parent to worker. */
export type ParentMessage = { type: "start"; start: WorkerStart } | { type: "stop" };
/** Worker to parent. */
export type WorkerMessage = { type: "log"; message: string } | { type: "outcome"; outcome: InstanceOutcome };

/** Whether `pid` is a live transform worker (never mistakes another program for one). */
function isTransformWorker(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  try {
    return existsSync(cmdline) && readFileSync(cmdline, "utf8").includes("transformWorker");
  } catch {
    return false;
  }
}

/**
 * Waits (up to 10 s) for a worker of an earlier emulator run on the same instance to notice its parent
 * is gone, so two processes never write one journal; one that is still there after that is stopped.
 */
async function waitForPredecessor(start: WorkerStart): Promise<void> {
  let previous: number | undefined;
  try {
    previous = (JSON.parse(readFileSync(instanceRecordPath(start.workDir, start.instance), "utf8")) as { pid?: number }).pid;
  } catch {
    return;
  }
  if (typeof previous !== "number" || previous === process.pid || !isTransformWorker(previous)) return;
  const instance = `transform job ${start.job.TransformJobName}: instance ${start.instance + 1}`;
  await send({ type: "log", message: `${instance}: waiting for pid ${previous}, this instance's worker from before local mode restarted, to exit` });
  const waitMs = start.predecessorWaitMs ?? PREDECESSOR_WAIT_MS;
  if (await goneWithin(previous, waitMs)) return;
  // It should have exited when its local mode went away; it must not write the journal this worker now owns.
  process.kill(previous, "SIGKILL");
  await goneWithin(previous, PREDECESSOR_WAIT_MS);
  await send({ type: "log", message: `${instance}: pid ${previous} did not exit within ${waitMs / 1000} s, so it was stopped (SIGKILL)` });
}

/** Whether the transform worker `pid` is gone, checked every 20 ms for up to `ms`. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; isTransformWorker(pid); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() >= deadline) return false;
  }
  return true;
}

/** How long an earlier run's worker gets by default to notice its local mode is gone. */
const PREDECESSOR_WAIT_MS = 10_000;

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function main(): Promise<void> {
  const controller = new AbortController();
  // The emulator is gone (killed or crashed): exit now; the journal is consistent at every moment.
  process.on("disconnect", () => process.exit(0));
  // Ctrl-C (or a service manager) signals the whole process group: the emulator stops its workers
  // through the channel, so the job resumes on its next start. A signal meant for this worker alone
  // stops it at a checkpoint after a moment.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => setTimeout(() => controller.abort(), 2000).unref());
  }
  const start = await new Promise<WorkerStart>((resolve) => {
    process.on("message", (message: ParentMessage) => {
      if (message.type === "start") resolve(message.start);
      else if (message.type === "stop") controller.abort();
    });
  });
  await waitForPredecessor(start);
  const outcome = await runInstance({
    instance: start.instance,
    job: start.job,
    tasks: start.tasks,
    workDir: start.workDir,
    classifier: () => loadClassifier(start.model.model, start.model.options),
    log: (message) => void send({ type: "log", message }),
    signal: controller.signal,
    checkpointMs: start.checkpointMs,
  });
  await send({ type: "outcome", outcome });
  process.disconnect?.();
}

if (require.main === module) {
  main().catch(async (error: unknown) => {
    await send({ type: "outcome", outcome: { status: "Failed", reason: `InternalServerError: ${(error as Error).message}` } });
    process.exit(1);
  });
}
