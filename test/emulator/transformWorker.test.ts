/**
 * A transform instance's own process, as `transformJob.ts` forks it: it waits for `start`, answers
 * through the IPC channel with one `outcome`, honours `stop`, takes over an instance from a worker of
 * an earlier emulator run once that one is gone, and exits at once when its parent goes away.
 * No case needs a model: a stop that arrives first ends the instance before it loads one. (Answering
 * with a real model in worker processes is test/emulator/transformJob.test.ts's 4-instance job.)
 * Four worker processes in all: `first` holds instance 0; two successors start on instance 0 meanwhile;
 * a third takes it over from a stand-in for a worker that hangs.
 */
import assert from "node:assert/strict";
import { fork, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import type { ParentMessage, WorkerMessage, WorkerStart } from "../../src/emulator/transformWorker";
import { instanceRecordPath, writeInstanceRecord, type InstanceRecord } from "../../src/emulator/transformJournal";

const WORKER = resolve(__dirname, "../../src/emulator/transformWorker.ts");

interface RunningWorker {
  child: ChildProcess;
  /** What the test saw, in order: the worker's messages and, last, its exit. */
  events: Array<WorkerMessage | { type: "exit"; code: number | null }>;
  exited: Promise<number | null>;
  send(message: ParentMessage): void;
}

async function startWorker(all: RunningWorker[]): Promise<RunningWorker> {
  const child = fork(WORKER, [], { execArgv: ["--import", pathToFileURL(require.resolve("tsx")).href], stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "json" });
  const events: RunningWorker["events"] = [];
  child.on("message", (message: WorkerMessage) => events.push(message));
  const exited = new Promise<number | null>((resolveExit) =>
    child.once("exit", (code) => {
      events.push({ type: "exit", code });
      resolveExit(code);
    }),
  );
  await new Promise<void>((resolveSpawn) => child.once("spawn", resolveSpawn));
  const worker = { child, events, exited, send: (message: ParentMessage) => void child.send(message) };
  all.push(worker);
  return worker;
}

describe("transformWorker", () => {
  const dir = mkdtempSync(join(tmpdir(), "transform-worker-test-"));
  const workers: RunningWorker[] = [];
  let first: RunningWorker;
  after(() => {
    for (const { child } of workers) if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const input = join(dir, "in", "a.jsonl");
  const start: WorkerStart = {
    instance: 0,
    job: {
      TransformJobName: "job-1",
      TransformInput: { DataSource: { S3DataSource: { S3Uri: pathToFileURL(join(dir, "in")).href } }, SplitType: "Line" },
      TransformOutput: { S3OutputPath: pathToFileURL(join(dir, "out")).href },
    },
    tasks: [{ index: 0, file: { uri: pathToFileURL(input).href, path: input, relativeName: "a.jsonl" }, target: { uri: "file:///unused", path: join(dir, "out", "a.jsonl.out") } }],
    workDir: join(dir, "work"),
    model: { model: join(dir, "no-model-needed"), options: { offline: true } },
  };
  const instanceRecord = (): InstanceRecord => JSON.parse(readFileSync(instanceRecordPath(start.workDir, 0), "utf8"));

  before(async () => {
    mkdirSync(join(dir, "in"));
    writeFileSync(input, `${JSON.stringify({ inputs: "x", parameters: { candidate_labels: ["A", "B"] } })}\n`);
    first = await startWorker(workers);
    // As an emulator run that died would leave it: instance 0's journal names `first` as its process.
    writeInstanceRecord(start.workDir, { instance: 0, pid: first.child.pid!, files: [0], records: 0, peakRssMB: 0 });
  });

  it("exits at once, with code 0, when its parent disconnects (here while a predecessor still holds its instance)", async () => {
    const successor = await startWorker(workers);
    successor.send({ type: "start", start });
    successor.child.disconnect();
    assert.equal(await successor.exited, 0);
    assert.equal(first.child.exitCode, null, "it did not wait for its predecessor to end");
    assert.deepEqual(successor.events, [{ type: "exit", code: 0 }]);
  });

  it("takes over an instance once the earlier worker holding it is gone: one outcome over IPC, exit 0, the journal names it", async () => {
    const successor = await startWorker(workers);
    const waiting = new Promise((resolveLog) => successor.child.once("message", resolveLog));
    successor.send({ type: "stop" });
    successor.send({ type: "start", start });
    // It says it waits for `first`, which still holds the instance, and it does not go on meanwhile.
    await waiting;
    assert.equal(successor.child.exitCode, null);

    // The predecessor ends: stopped before it loaded a model, it answers Stopped and exits.
    first.send({ type: "stop" });
    first.send({ type: "start", start: { ...start, instance: 1 } });
    assert.equal(await first.exited, 0);
    assert.deepEqual(first.events, [{ type: "outcome", outcome: { status: "Stopped" } }, { type: "exit", code: 0 }]);

    assert.equal(await successor.exited, 0);
    assert.deepEqual(successor.events, [
      { type: "log", message: `transform job job-1: instance 1: waiting for pid ${first.child.pid}, this instance's worker from before local mode restarted, to exit` },
      { type: "outcome", outcome: { status: "Stopped" } },
      { type: "exit", code: 0 },
    ]);
    const record = instanceRecord();
    assert.deepEqual([record.instance, record.pid, record.files, record.records], [0, successor.child.pid, [0], 0], "the successor owns the instance's journal now");
  });

  it("stops an earlier worker that never exits (SIGKILL) after the wait, says so, then takes over", async () => {
    // A process that looks like a transform worker to the successor and ignores everything.
    const hung = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "transformWorker-that-hangs"], { stdio: "ignore" });
    const hungExit = new Promise<NodeJS.Signals | null>((resolveExit) => hung.once("exit", (_code, signal) => resolveExit(signal)));
    await new Promise<void>((resolveSpawn) => hung.once("spawn", resolveSpawn));
    writeInstanceRecord(start.workDir, { instance: 0, pid: hung.pid!, files: [0], records: 0, peakRssMB: 0 });
    const successor = await startWorker(workers);
    successor.send({ type: "stop" });
    successor.send({ type: "start", start: { ...start, predecessorWaitMs: 200 } });
    assert.equal(await hungExit, "SIGKILL");
    assert.equal(await successor.exited, 0);
    assert.deepEqual(successor.events.map((event) => ("message" in event ? event.message : event.type)), [
      `transform job job-1: instance 1: waiting for pid ${hung.pid}, this instance's worker from before local mode restarted, to exit`,
      `transform job job-1: instance 1: pid ${hung.pid} did not exit within 0.2 s, so it was stopped (SIGKILL)`,
      "outcome",
      "exit",
    ]);
    assert.equal(instanceRecord().pid, successor.child.pid);
  });
});
