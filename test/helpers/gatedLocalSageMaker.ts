/**
 * Local SageMaker in a process of its own, for tests that SIGKILL it mid-job: its models' worker thread
 * waits on a gate (workerGate.ts) that the parent moves through the IPC channel, so the kill lands with
 * the job exactly where the test says, whatever the machine's load. Jobs save their progress after every
 * record. Prints `listening on URL` and logs to stderr, as `zero-shot local-sagemaker` does.
 *
 *   node --import tsx gatedLocalSageMaker.ts DATA_DIR   (forked with an IPC channel)
 * The gate starts held. Messages: { type: "holdAfter", jobs } lets that many more model calls through,
 * then holds; { type: "open" } lets every call through;
 * { type: "reached", jobs } is answered { type: "reached" } once that many calls in all reached the model.
 */
import { startLocalSageMaker } from "../../src/emulator/server";
import { WorkerGate } from "./workerGate";

export type GateMessage = { type: "holdAfter"; jobs: number } | { type: "reached"; jobs: number } | { type: "open" };

async function main(): Promise<void> {
  const [dataDir] = process.argv.slice(2);
  const gate = new WorkerGate();
  // Held from the start: a job that resumes as local mode starts waits for the test's first word.
  gate.hold();
  const local = await startLocalSageMaker({
    port: 0,
    dataDir,
    modelOptions: { offline: true },
    modelWorker: gate.scorerOptions,
    transformCheckpointMs: 0,
    log: (message) => process.stderr.write(`${message}\n`),
  });
  process.on("message", (message: GateMessage) => {
    if (message.type === "holdAfter") gate.holdAfter(message.jobs);
    else if (message.type === "open") gate.open();
    else void gate.reached(message.jobs, 120_000).then(() => process.send!({ type: "reached" }));
  });
  process.stdout.write(`local SageMaker listening on ${local.url}\n`);
}

void main();
