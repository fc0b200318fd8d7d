/**
 * Local batch transform on 1, 2 and 4 instances: the same records, split into the same objects, through
 * the whole workflow (JSON Lines split and uploaded with client-s3, CreateTransformJob on the local
 * emulator, outputs downloaded and joined back in input order). Each instance count runs in its own
 * process, so the emulator's peak memory is its own; an instance beyond the first is a worker process
 * with its own model, whose peak memory (VmHWM) the job reports. The answers of every run must equal
 * the 1-instance run's, byte for byte. The emulator (and so its workers) runs from the build in dist/,
 * as an installed package runs, so no TypeScript compiler sits in the workers' memory: `npm run
 * bench:transform` builds first.
 *
 *   node --import tsx bench/transform.bench.ts [--records 4000] [--instances 1,2,4] [--objects 8] [--concurrent 2] [--model tiny-bert-nli]
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DescribeTransformJobCommand } from "@aws-sdk/client-sagemaker";
import { ensureTestModel, type PresetName } from "../src/models/generate/generate";
import { toZeroShotRequest, type ZeroShotRequest } from "../src/payload";
import { runBatchTransform } from "../src/workflow/batchTransform";
import { destroyClients, sageMakerClients } from "../src/workflow/clients";
import { deployModel } from "../src/workflow/deploy";
import { LABELS, peakRssMb, resolutionText } from "./common";

/** The emulator as built (falls back to the sources, under tsx, when there is no build). */
function emulatorModule(): typeof import("../src/emulator/server") {
  const built = join(__dirname, "..", "dist", "emulator", "server.js");
  return existsSync(built) ? (require(built) as typeof import("../src/emulator/server")) : (require("../src/emulator/server") as typeof import("../src/emulator/server"));
}

/** Requests generated one at a time: the bench never holds the input in memory. */
function* requests(count: number): Generator<ZeroShotRequest> {
  for (let i = 0; i < count; i++) yield toZeroShotRequest(resolutionText(i), LABELS);
}

interface Measurement {
  instances: number;
  records: number;
  objects: number;
  /** Upload, job and join, as a user waits for them. */
  seconds: number;
  /** CreateTransformJob to the job's end, as DescribeTransformJob reports it. */
  jobSeconds: number;
  /** The emulator's process (the only instance when there is one). */
  emulatorPeakRssMB: number;
  /** Each worker process's peak RSS, in instance order (none for one instance). */
  workerPeakRssMB: number[];
  /** SHA-256 of the joined answers. */
  outputSha256: string;
}

async function measure(instances: number, records: number, objects: number, concurrent: number, preset: PresetName): Promise<Measurement> {
  const dataDir = mkdtempSync(join(tmpdir(), "transform-bench-"));
  const workers: number[] = [];
  const log = (message: string) => {
    const finished = /instance (\d+) \(pid \d+\) answered \d+ records of \d+ objects, peak RSS (\d+) MB/.exec(message);
    if (finished && instances > 1) workers[Number(finished[1]) - 1] = Number(finished[2]);
    if (/answered \(\d+% of its bytes\)|instance \d+ \(pid/.test(message)) process.stderr.write(`  [${instances} instance${instances > 1 ? "s" : ""}] ${message}\n`);
  };
  const local = await emulatorModule().startLocalSageMaker({ dataDir, modelOptions: { offline: true }, log });
  const clients = sageMakerClients({ mode: "local", endpoint: local.url });
  try {
    const deployment = await deployModel(clients, { modelId: ensureTestModel(preset), name: "bench", onProgress: () => {} });
    const start = performance.now();
    const run = await runBatchTransform(clients, {
      modelName: deployment.modelName,
      s3Uri: "s3://bench/data",
      requests: requests(records),
      workDir: dataDir,
      jobName: `bench-${instances}`,
      instanceCount: instances,
      maxConcurrentTransforms: concurrent,
      objectCount: objects,
      onProgress: () => {},
      onObjectProgress: ({ phase, objectsDone, objectsTotal }) => {
        if (phase === "transform") process.stderr.write(`  [${instances} instance${instances > 1 ? "s" : ""}] ${objectsDone} of ${objectsTotal} objects answered\n`);
      },
    });
    const seconds = (performance.now() - start) / 1000;
    const job = await clients.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: run.jobName }));
    return {
      instances,
      records: run.records,
      objects: run.objects,
      seconds,
      jobSeconds: (job.TransformEndTime!.getTime() - job.CreationTime!.getTime()) / 1000,
      emulatorPeakRssMB: peakRssMb(),
      workerPeakRssMB: workers,
      outputSha256: createHash("sha256").update(readFileSync(run.outputPath)).digest("hex"),
    };
  } finally {
    destroyClients(clients);
    await local.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: "string", default: "4000" },
      instances: { type: "string", default: "1,2,4" },
      objects: { type: "string", default: "8" },
      concurrent: { type: "string", default: "2" },
      model: { type: "string", default: "tiny-bert-nli" },
      child: { type: "string" },
    },
  });
  const preset = values.model as PresetName;
  const [records, objects, concurrent] = [Number(values.records), Number(values.objects), Number(values.concurrent)];
  if (values.child) {
    process.stdout.write(JSON.stringify(await measure(Number(values.child), records, objects, concurrent, preset)));
    return;
  }
  ensureTestModel(preset);
  console.log(
    `local batch transform, model ${preset}, ${records} records x ${LABELS.length} labels in ${objects} objects, MaxConcurrentTransforms ${concurrent}, ` +
      `${cpus().length} cores; each instance count in its own process\n`,
  );
  const results: Measurement[] = [];
  for (const instances of values.instances.split(",").map(Number)) {
    console.log(`running ${instances} instance${instances > 1 ? "s" : ""} ...`);
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", __filename, "--child", String(instances), "--records", String(records), "--objects", String(objects), "--concurrent", String(concurrent), "--model", preset],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } },
    );
    if (child.status !== 0) throw new Error(`the ${instances}-instance run failed (exit ${child.status})`);
    results.push(JSON.parse(child.stdout) as Measurement);
  }
  console.log("\ninstances   total s   job s   records/s (job)   speed-up   emulator peak RSS MB   worker peak RSS MB   answers");
  const base = results.find((m) => m.instances === 1) ?? results[0];
  for (const m of results) {
    console.log(
      `${String(m.instances).padStart(9)}   ${m.seconds.toFixed(2).padStart(7)}   ${m.jobSeconds.toFixed(2).padStart(5)}   ${(m.records / m.jobSeconds).toFixed(0).padStart(15)}   ` +
        `${(base.jobSeconds / m.jobSeconds).toFixed(2).padStart(7)}x   ${m.emulatorPeakRssMB.toFixed(0).padStart(20)}   ` +
        `${(m.workerPeakRssMB.length ? m.workerPeakRssMB.map((mb) => mb.toFixed(0)).join(", ") : "(in the emulator)").padStart(18)}   ` +
        `${m.outputSha256 === base.outputSha256 ? "same as 1 instance" : "DIFFERENT"}`,
    );
  }
  if (results.some((m) => m.outputSha256 !== base.outputSha256)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
