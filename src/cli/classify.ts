/** `zero-shot classify`: texts from the command line or a JSON Lines file, scored by a local model. */
import { resolve } from "node:path";
import { ZeroShotClassifier } from "../classification/classifier";
import { InputError } from "../errors";
import { readJsonLines } from "../io/jsonLines";
import { DEFAULT_MODEL, MODEL_ALIASES } from "../models/resolve";
import { DEFAULT_HYPOTHESIS_TEMPLATE, parseCandidateLabels, validateTemplate } from "../nli/hypotheses";
import { parseZeroShotRequest, type NormalizedRequest, type ZeroShotResult } from "../payload";
import { DEFAULT_BATCH_SIZE } from "../backends/local/localNliModel";
import { intOption, parseCommandArgs } from "./args";
import { formatResultTable } from "./format";
import { downloadProgress, terminalProgress, timedStep } from "./progress";
import { randomModelWarning } from "../models/generate/marker";
import { loadCommandClassifier } from "./classifiers";
import { processIo, type CliIo } from "./io";

export const USAGE = `Usage: zero-shot classify [TEXT...] --labels "A,B,C" [options]

Classifies each TEXT (the NLI premise) against every label (turned into a hypothesis by the template)
and prints the labels sorted by score.

Options:
  -l, --labels "A,B,C"    candidate labels, comma-separated (required unless every --input line has its own)
  -m, --multi-label       score each label on its own (entailment vs contradiction); scores need not sum to 1
  -t, --template "..."    hypothesis template with {} for the label (default: "${DEFAULT_HYPOTHESIS_TEMPLATE}")
      --model ID_OR_DIR   hub id, short name or local directory (default: ${DEFAULT_MODEL});
                          short names: ${Object.keys(MODEL_ALIASES).join(", ")}
      --dtype fp32|q8     weight precision (default fp32; q8 = quantized model_quantized.onnx: about 2x
                          faster on CPUs with int8 instructions, scores differ slightly; see the README)
      --device cpu|cuda|webgpu  where the model runs (default cpu; GPUs need onnxruntime-node's GPU support)
  -i, --input FILE.jsonl  one request per line: a JumpStart payload
                          {"inputs": "text" | ["text", ...], "parameters": {"candidate_labels": [...],
                          "multi_label": false, "hypothesis_template": "..."}} or a plain JSON string
                          (then --labels, --multi-label and --template apply)
  -b, --batch-size N      (premise, hypothesis) pairs per forward pass (default ${DEFAULT_BATCH_SIZE})
      --json              one {"sequence", "labels", "scores"} object per text and line, in input order
      --offline           never contact the Hugging Face hub (also: HF_HUB_OFFLINE=1)
  -h, --help              show this help

Examples:
  zero-shot classify "I will run a marathon" --labels Health,Finance
  zero-shot classify --input tweets.jsonl --labels "Health,Humor,Career" --json > scores.jsonl
  zero-shot classify "Learn to cook" -l "Health,Education" --model bart-large-mnli --multi-label
`;

const OPTIONS = {
  labels: { type: "string", short: "l" },
  "multi-label": { type: "boolean", short: "m" },
  template: { type: "string", short: "t" },
  model: { type: "string" },
  dtype: { type: "string" },
  device: { type: "string" },
  input: { type: "string", short: "i" },
  "batch-size": { type: "string", short: "b" },
  json: { type: "boolean" },
  offline: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Every request of a run, validated before the model loads, so a bad line fails fast. */
export async function collectRequests(
  texts: string[],
  inputPath: string | undefined,
  defaults: { labels?: string; multiLabel: boolean; template?: string },
  cwd: string = process.cwd(),
): Promise<NormalizedRequest[]> {
  const labels = defaults.labels === undefined ? undefined : parseCandidateLabels(defaults.labels);
  const template = defaults.template === undefined ? DEFAULT_HYPOTHESIS_TEMPLATE : validateTemplate(defaults.template);
  const fromFlags = (sequences: string[]): NormalizedRequest => {
    if (!labels) throw new InputError(`no candidate labels: pass --labels "A,B,C" (e.g. --labels Health,Finance)`);
    return { sequences, single: true, candidateLabels: labels, multiLabel: defaults.multiLabel, hypothesisTemplate: template };
  };
  const requests: NormalizedRequest[] = texts.map((text) => fromFlags([text]));
  if (inputPath !== undefined) {
    for await (const { lineNumber, value } of readJsonLines(resolve(cwd, inputPath))) {
      const where = `${inputPath}:${lineNumber}`;
      try {
        if (typeof value === "string") {
          requests.push(fromFlags([value]));
        } else {
          const request = parseZeroShotRequest(value, { candidateLabels: labels });
          const params = (value as { parameters?: Record<string, unknown> }).parameters ?? {};
          if (params.multi_label === undefined) request.multiLabel = defaults.multiLabel;
          if (params.hypothesis_template === undefined) request.hypothesisTemplate = template;
          requests.push(request);
        }
      } catch (error) {
        throw new InputError(`${where}: ${(error as Error).message}`);
      }
    }
  }
  if (requests.length === 0) {
    throw new InputError(`nothing to classify: give texts as arguments or --input FILE.jsonl\n\n${USAGE}`);
  }
  return requests;
}

/**
 * Classifies all requests, grouping those that share labels and settings into one call so their pairs
 * share forward passes; results come back in input order.
 */
export async function classifyRequests(
  classifier: ZeroShotClassifier,
  requests: NormalizedRequest[],
  onProgress?: (done: number, total: number) => void,
): Promise<ZeroShotResult[][]> {
  const groups = new Map<string, number[]>();
  requests.forEach((request, index) => {
    const key = JSON.stringify([request.candidateLabels, request.multiLabel, request.hypothesisTemplate]);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  const answers: ZeroShotResult[][] = new Array(requests.length);
  const totalPairs = requests.reduce((sum, r) => sum + r.sequences.length * r.candidateLabels.length, 0);
  let donePairs = 0;
  for (const indices of groups.values()) {
    const first = requests[indices[0]];
    const sequences = indices.flatMap((i) => requests[i].sequences);
    const groupPairs = sequences.length * first.candidateLabels.length;
    const results = await classifier.classify(sequences, first.candidateLabels, {
      multiLabel: first.multiLabel,
      hypothesisTemplate: first.hypothesisTemplate,
      onProgress: onProgress && ((done, total) => onProgress(donePairs + Math.round((done / Math.max(total, 1)) * groupPairs), totalPairs)),
    });
    donePairs += groupPairs;
    let offset = 0;
    for (const i of indices) {
      answers[i] = results.slice(offset, offset + requests[i].sequences.length);
      offset += requests[i].sequences.length;
    }
  }
  return answers;
}

export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, USAGE);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const batchSize = intOption(values["batch-size"], "batch-size");
  const requests = await collectRequests(positionals, values.input, {
    labels: values.labels,
    multiLabel: values["multi-label"] ?? false,
    template: values.template,
  }, io.cwd);
  const modelName = values.model ?? DEFAULT_MODEL;
  const classifier = await timedStep(
    `loading model ${modelName}`,
    () => loadCommandClassifier(io, modelName, { dtype: values.dtype, device: values.device, batchSize, offline: values.offline, onDownloadProgress: downloadProgress({ stream: io.stderr }) }),
    { stream: io.stderr },
  );
  const progress = terminalProgress("classifying", { unit: "pairs", stream: io.stderr });
  const answers = await classifyRequests(classifier, requests, progress);
  progress.finish();
  const results = answers.flat();
  const warning = randomModelWarning(classifier);
  // JSON Lines stay pure {sequence, labels, scores}: the warning goes to stderr beside them.
  if (values.json && warning) io.stderr.write(`zero-shot: warning: ${warning}\n`);
  io.stdout.write(values.json ? results.map((result) => JSON.stringify(result)).join("\n") + "\n" : formatResultTable(results, { warning }));
  return 0;
}
