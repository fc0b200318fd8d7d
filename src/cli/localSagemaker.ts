/** `zero-shot local-sagemaker`: the local SageMaker emulator (control plane, runtime and S3 on one port). */
import { startLocalSageMaker, defaultLocalDataDir } from "../emulator/server";
import { intOption, parseCommandArgs } from "./args";
import { filePath, processIo, stopRequested, type CliIo } from "./io";

export const USAGE = `Usage: zero-shot local-sagemaker [--port N] [--data-dir DIR]

Runs SageMaker on this machine, without Docker: the control plane (Create/Describe/Delete/List of
models, endpoint configs and endpoints; Create/Describe/Stop/List of transform jobs), the runtime
(InvokeEndpoint) and a path-style S3, all on http://127.0.0.1:PORT. Point the unmodified AWS SDK
clients there with any static credentials (S3 with forcePathStyle: true). An endpoint serves the model
its HF_MODEL_ID names (hub id or model directory); transform jobs read and write s3:// (kept under
DIR/s3) and file:// locations. Stop it with Ctrl-C; unfinished transform jobs resume on the next start
with the same --data-dir.

Options:
  -p, --port N          port on 127.0.0.1 (default 8787; 0 picks a free one)
      --data-dir DIR    resources, S3 objects and job journals (default ${defaultLocalDataDir()})
      --offline         never contact the Hugging Face hub when loading models (also: HF_HUB_OFFLINE=1)
  -h, --help            show this help

Example:
  zero-shot local-sagemaker --port 8787
  # in code: sageMakerClients({ mode: "local", endpoint: "http://127.0.0.1:8787" })
`;

const OPTIONS = {
  port: { type: "string", short: "p" },
  "data-dir": { type: "string" },
  offline: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export const DEFAULT_PORT = 8787;

export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, USAGE);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const local = await startLocalSageMaker({
    port: intOption(values.port, "port", 0) ?? DEFAULT_PORT,
    dataDir: filePath(io, values["data-dir"]),
    modelOptions: values.offline ? { offline: true } : {},
    log: (message) => io.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`),
  });
  io.stdout.write(`local SageMaker listening on ${local.url} (data in ${local.dataDir})\n`);
  await stopRequested(io);
  io.stderr.write("stopping: running transform jobs checkpoint and resume on the next start\n");
  await local.close();
  return 0;
}
