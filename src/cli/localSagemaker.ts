/** `zero-shot local-sagemaker`: the local SageMaker emulator (control plane, runtime and S3 on one port). */
import { existsSync } from "node:fs";
import { ACCESS_KEY_ID_ENV, resolveCredentials, SECRET_ACCESS_KEY_ENV } from "../emulator/access";
import { startLocalSageMaker, defaultLocalDataDir } from "../emulator/server";
import { InputError } from "../errors";
import { intOption, parseCommandArgs } from "./args";
import { explainListenError } from "./listen";
import { filePath, processIo, stopRequested, type CliIo } from "./io";

export const USAGE = `Usage: zero-shot local-sagemaker [--port N] [--data-dir DIR] [--allow-files DIR ...]

Runs SageMaker on this machine, without Docker: the control plane (Create/Describe/Delete/List of
models, endpoint configs and endpoints; Create/Describe/Stop/List of transform jobs), the runtime
(InvokeEndpoint) and a path-style S3, all on http://127.0.0.1:PORT. Point the unmodified AWS SDK
clients there with local mode's credentials (access key id "local", secret "local"; S3 with
forcePathStyle: true): every request must be signed with them and name this machine in its Host
header. An endpoint serves the model its HF_MODEL_ID names (hub id or model directory); transform jobs
read and write s3:// (kept under DIR/s3) and file:// locations. Model directories and file://
locations must lie under the data directory or a folder given with --allow-files. Stop it with
Ctrl-C; unfinished transform jobs resume on the next start with the same --data-dir.

Options:
  -p, --port N          port (default 8787; 0 picks a free one)
      --host ADDRESS    address to listen on (default 127.0.0.1); any other address needs your own
                        credentials: --access-key-id and the secret in ${SECRET_ACCESS_KEY_ENV}
      --data-dir DIR    resources, S3 objects and job journals (default ${defaultLocalDataDir()})
      --allow-files DIR a folder model directories and file:// locations may name (repeatable)
      --access-key-id ID  the access key id requests must be signed with (also ${ACCESS_KEY_ID_ENV});
                        its secret comes from ${SECRET_ACCESS_KEY_ENV}
      --offline         never contact the Hugging Face hub when loading models (also: HF_HUB_OFFLINE=1)
      --workers N       copies of each model scoring requests side by side (default 1: one copy using
                        every core). N > 1: N single-threaded copies, plus one using every core for a
                        request that finds them all idle; N+1 copies in memory (as serve --workers)
      --jumpstart-model ID=MODEL
                        serve JumpStart model ID with MODEL (hub id or model directory); repeatable.
                        Default: the Hugging Face model JumpStart built ID from (bundled snapshot)
  -h, --help            show this help

Example:
  zero-shot local-sagemaker --port 8787
  # in code: sageMakerClients({ mode: "local", endpoint: "http://127.0.0.1:8787" })
`;

const OPTIONS = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  "data-dir": { type: "string" },
  "allow-files": { type: "string", multiple: true },
  "access-key-id": { type: "string" },
  offline: { type: "boolean" },
  "jumpstart-model": { type: "string", multiple: true },
  workers: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const DEFAULT_PORT = 8787;

/** `--jumpstart-model ID=MODEL` flags as the emulator's `jumpStartModels` mapping (a MODEL directory resolved against `io.cwd`). */
function jumpStartMapping(io: CliIo, flags: string[]): Record<string, string> {
  return Object.fromEntries(
    flags.map((flag) => {
      const at = flag.indexOf("=");
      if (at <= 0 || at === flag.length - 1) {
        throw new InputError(`--jumpstart-model takes ID=MODEL, e.g. --jumpstart-model huggingface-zstc-facebook-bart-large-mnli=models/tiny-bert-nli (got ${JSON.stringify(flag)})`);
      }
      const model = flag.slice(at + 1);
      // A folder beside the caller is named absolutely; hub ids, short names and anything else as given.
      return [flag.slice(0, at), existsSync(filePath(io, model)) ? filePath(io, model) : model];
    }),
  );
}

export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, USAGE);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const port = intOption(values.port, "port", 0) ?? DEFAULT_PORT;
  const local = await startLocalSageMaker({
    port,
    host: values.host,
    dataDir: filePath(io, values["data-dir"]),
    allowFiles: (values["allow-files"] ?? []).map((dir) => filePath(io, dir)),
    // The caller's environment (io.env), not necessarily this process's, names the credentials.
    credentials: resolveCredentials(
      values.host ?? "127.0.0.1",
      values["access-key-id"] !== undefined ? { accessKeyId: values["access-key-id"], secretAccessKey: io.env[SECRET_ACCESS_KEY_ENV] ?? "" } : undefined,
      io.env,
    ),
    modelOptions: values.offline ? { offline: true } : {},
    modelWorkers: intOption(values.workers, "workers"),
    jumpStartModels: jumpStartMapping(io, values["jumpstart-model"] ?? []),
    log: (message) => io.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`),
  }).catch((error: unknown) => {
    throw explainListenError(error, values.host ?? "127.0.0.1", port);
  });
  io.stdout.write(`local SageMaker listening on ${local.url} (data in ${local.dataDir})\n`);
  // SIGINT / SIGTERM, or npm's process gone under npx (see main's stopOnSignals).
  await stopRequested(io);
  io.stderr.write("stopping: running transform jobs checkpoint and resume on the next start\n");
  await local.close();
  return 0;
}
