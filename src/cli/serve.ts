/** `zero-shot serve`: a SageMaker-compatible inference server for a local model. */
import { describeServingWorkers, loadWorkerClassifier, servingWorkers } from "../backends/worker/workerNliScorer";
import { InputError } from "../errors";
import { MODEL_WARNING_HEADER, RANDOM_MODEL_WARNING, randomModelWarning } from "../models/generate/marker";
import { DEFAULT_MODEL, MODEL_ALIASES } from "../models/resolve";
import { startInferenceServer } from "../server/httpServer";
import { DEFAULT_MAX_PAIRS, DEFAULT_MAX_WAIT_MS } from "../scorers/microBatchingScorer";
import { intOption, parseCommandArgs } from "./args";
import { assertCanListen, explainListenError } from "./listen";
import { modelDirectoryOrName } from "./classifiers";
import { processIo, stopRequested, type CliIo } from "./io";
import { downloadProgress, timedStep } from "./progress";

export const USAGE = `Usage: zero-shot serve [--model ID_OR_DIR] [--port 8080] [--host 127.0.0.1] [options]

Serves a local NLI model the way a SageMaker endpoint does, so the unmodified AWS SDK
(InvokeEndpointCommand, with endpoint: "http://127.0.0.1:8080") and SageMaker's container contract
both work:
  GET  /ping                           200 once the model is loaded
  POST /invocations                    {"inputs": ..., "parameters": {"candidate_labels": [...]}}
  GET  /execution-parameters           batch transform settings
  POST /endpoints/{name}/invocations   the runtime API that InvokeEndpoint calls

The model runs in a worker thread, so /ping answers during the longest forward pass. Requests that
arrive while the model is busy are queued and identical (text, label) pairs scored once; they share
one forward call while that measures cheaper per pair than one call per request (micro-batching;
the server keeps measuring both). Queued work of a client that hangs up is dropped. Requests whose Host
is not localhost, a loopback address or --host get 403. SIGTERM or Ctrl-C stops accepting, answers
the requests in flight and those of connections already open, and exits 0.
Started by npx / npm exec / npm run, it also stops that way once npm's process is gone. Under a
supervisor (systemd, Docker, pm2) run the binary itself, not npx: node_modules/.bin/zero-shot serve ...
(node dist/cli/main.js serve ... in a clone), so the supervisor's SIGTERM reaches the server.

Options:
      --model ID_OR_DIR      hub id, short name or local directory (default: ${DEFAULT_MODEL});
                             short names: ${Object.keys(MODEL_ALIASES).join(", ")}
  -p, --port N               port (default 8080, SageMaker's; 0 picks a free one)
      --host ADDRESS         address to bind (default 127.0.0.1; 0.0.0.0 to accept other machines)
      --allow-host NAME      also answer requests addressed to this host name (repeatable), e.g. the
                             machine's DNS name behind a proxy
      --endpoint-name NAME   answer the runtime API for this endpoint name only (repeatable); other
                             names get ValidationError (default: any name is this model)
      --dtype fp32|q8        weight precision (default fp32)
  -b, --batch-size N         pairs per forward pass (default 32)
      --batch-window-ms N    how long an idle model waits for as many requests as shared its last batch
                             (default ${DEFAULT_MAX_WAIT_MS}; a lone request on an idle model starts at once)
      --max-batch-pairs N    most (text, label) pairs in one shared batch (default ${DEFAULT_MAX_PAIRS})
      --no-batching          answer each request on its own (no micro-batching)
      --workers N            copies of the model scoring requests side by side (default 1: one copy
                             using every core). N > 1: N single-threaded copies, plus one using every
                             core for a request that finds them all idle; N+1 copies in memory
      --offline              never contact the Hugging Face hub (also: HF_HUB_OFFLINE=1)
  -h, --help                 show this help

Example:
  zero-shot serve --model models/tiny-bert-nli --port 8080
  curl -s localhost:8080/invocations -H 'Content-Type: application/json' \\
    -d '{"inputs": "I will run a marathon", "parameters": {"candidate_labels": ["Health", "Finance"]}}'
`;

const OPTIONS = {
  model: { type: "string" },
  port: { type: "string", short: "p" },
  host: { type: "string" },
  "allow-host": { type: "string", multiple: true },
  "endpoint-name": { type: "string", multiple: true },
  dtype: { type: "string" },
  "batch-size": { type: "string", short: "b" },
  "batch-window-ms": { type: "string" },
  "max-batch-pairs": { type: "string" },
  "no-batching": { type: "boolean" },
  workers: { type: "string" },
  offline: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, USAGE);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new InputError(`unexpected argument "${positionals[0]}": give the model with --model ID_OR_DIR\n\n${USAGE}`);
  const port = intOption(values.port, "port", 0) ?? 8080;
  if (port > 65535) throw new InputError(`--port ${port} is not a port number: use 1-65535, or 0 for any free port`);
  const maxWaitMs = intOption(values["batch-window-ms"], "batch-window-ms", 0);
  const maxPairs = intOption(values["max-batch-pairs"], "max-batch-pairs");
  const endpointNames = values["endpoint-name"];
  const workers = intOption(values.workers, "workers") ?? 1;

  const host = values.host ?? "127.0.0.1";
  // A busy port is reported now, not after the model has downloaded and loaded.
  await assertCanListen(host, port);
  const modelName = values.model ?? DEFAULT_MODEL;
  const { classifier, scorer } = await timedStep(
    `loading model ${modelName}`,
    () =>
      loadWorkerClassifier(modelDirectoryOrName(io, modelName), {
        dtype: values.dtype,
        batchSize: intOption(values["batch-size"], "batch-size"),
        ...servingWorkers(workers),
        offline: values.offline,
        onDownloadProgress: downloadProgress({ stream: io.stderr }),
        batching: values["no-batching"] ? false : { maxWaitMs, maxPairs },
      }),
    { stream: io.stderr },
  );
  const server = await startInferenceServer({
    classifier,
    host,
    port,
    allowedHosts: values["allow-host"],
    endpoints: endpointNames ? (name) => (endpointNames.includes(name) ? classifier : undefined) : undefined,
    endpointNames: endpointNames ? () => endpointNames : undefined,
    modelWarning: randomModelWarning(scorer),
  }).catch(async (error: unknown) => {
    await scorer.dispose();
    throw explainListenError(error, host, port);
  });
  const batching =
    (values["no-batching"] ? "micro-batching off" : `micro-batching ${maxWaitMs ?? DEFAULT_MAX_WAIT_MS} ms / ${maxPairs ?? DEFAULT_MAX_PAIRS} pairs`) +
    (workers > 1 ? `, ${describeServingWorkers(workers)}` : "");
  const warning = scorer.randomWeights ? ` (${RANDOM_MODEL_WARNING}; answers carry the ${MODEL_WARNING_HEADER} header)` : "";
  io.stdout.write(`zero-shot serve: listening on ${host}:${server.port} (${server.url}), model ${modelName}${warning}, ${batching}\n`);

  // SIGINT / SIGTERM, or npm's process gone under npx (see main's stopOnSignals); a second signal while
  // draining means "now": the binary's entry exits.
  const reason = await stopRequested(io);
  io.stderr.write(`zero-shot serve: ${reason}: no new connections; finishing ${server.inFlight} request(s) in flight\n`);
  await server.close();
  await scorer.dispose();
  io.stderr.write("zero-shot serve: stopped\n");
  return 0;
}
