/** `zero-shot evaluate`: a model's accuracy on a labelled CSV, per template, with a score cache and an HTML report. */
import { randomModelWarning } from "../models/generate/marker";
import { DEFAULT_BATCH_SIZE } from "../backends/local/localNliModel";
import { EndpointClassifier } from "../backends/sagemaker/endpointClassifier";
import { createRuntimeClient } from "../backends/sagemaker/runtimeClient";
import { CachedScorer, defaultScoreCacheDir } from "../scorers/cachedScorer";
import type { NliScorer } from "../classification/contract";
import { describeLeftOut } from "../data/categories";
import { parseEncoding } from "../data/encoding";
import { loadLabelledCsv } from "../data/load";
import { RESOLUTIONS_DEFAULT_PATH, RESOLUTIONS_SAMPLE_PATH } from "../data/resolutions";
import { InputError } from "../errors";
import { evaluate, type Evaluation } from "../evaluation/evaluate";
import { writeHtmlReport } from "../report/htmlReport";
import { evaluationToJSON } from "../evaluation/results";
import { DEFAULT_MODEL } from "../models/resolve";
import { DEFAULT_HYPOTHESIS_TEMPLATE } from "../nli/hypotheses";
import { intOption, parseCommandArgs } from "./args";
import { downloadProgress, terminalProgress, timedStep } from "./progress";
import { loadCommandClassifier } from "./classifiers";
import { filePath, processIo, type CliIo } from "./io";

export const USAGE = `Usage: zero-shot evaluate --data FILE.csv [--model ID_OR_DIR] [options]

Classifies every text of a labelled CSV and measures the predictions against its gold labels:
accuracy, macro-F1, top-k accuracy, per-label precision / recall / F1, the confusion matrix and
calibration, for one or more hypothesis templates side by side. Scores are cached on disk, so a
re-run (or a run with other labels or templates) computes only the pairs it has not seen.

Options:
  -d, --data FILE.csv       labelled CSV (default ${RESOLUTIONS_DEFAULT_PATH}, from "zero-shot data";
                            ${RESOLUTIONS_SAMPLE_PATH} is a small synthetic sample)
      --model ID_OR_DIR     hub id, short name or local directory (default ${DEFAULT_MODEL})
      --dtype fp32|q8       weight precision (default fp32; q8 is faster, scores differ slightly)
      --device cpu|cuda|webgpu  where the model runs (default cpu)
  -l, --labels "A,B,C"      candidate labels (default: the dataset's labels; rows with another gold label are left out)
  -t, --templates "T1|T2"   hypothesis templates to compare, separated by "|" (default "${DEFAULT_HYPOTHESIS_TEMPLATE}")
  -m, --multi-label         score labels independently; adds multi-label metrics at --threshold
      --threshold X         multi-label decision threshold (default 0.5)
      --limit N             evaluate only the first N labelled rows
  -b, --batch-size N        pairs per forward pass (default ${DEFAULT_BATCH_SIZE})
      --report FILE.html    write a self-contained HTML report with the charts
      --json                print the metrics as JSON (with per-text predictions when --predictions)
      --predictions         include every text's prediction in --json output
      --cache-dir DIR       score cache directory (default $ZERO_SHOT_SCORE_CACHE or ./.cache/scores)
      --no-cache            neither read nor write the score cache
      --text-column NAME    text column (default "text")
      --category-column NAME  gold category column (default "Resolution_Category"), mapped to labels as in
                            the walkthrough (e.g. "Health & Fitness" -> Health); categories without a
                            label (Family/Friends/Relationships) are left out and reported
      --keep-unmapped       keep categories the mapping does not know, under their own name
      --encoding E          auto (default: UTF-8 if valid, else windows-1252), utf-8 or windows-1252
      --offline             never contact the Hugging Face hub
      --endpoint NAME       classify through a SageMaker real-time endpoint instead of a local model
                            (AWS credentials and region from the environment, or --region)
      --endpoint-url URL    the runtime's URL, e.g. http://127.0.0.1:8080 for "zero-shot serve" or local mode
      --region R            AWS region of the endpoint
  -h, --help                show this help

Examples:
  zero-shot data && zero-shot evaluate --model models/tiny-bert-nli --report report.html
  zero-shot evaluate --data ${RESOLUTIONS_SAMPLE_PATH} --model bart-large-mnli \\
    --templates "This example is {}.|This New Year's resolution is about {}." --json
`;

const OPTIONS = {
  data: { type: "string", short: "d" },
  model: { type: "string" },
  dtype: { type: "string" },
  device: { type: "string" },
  labels: { type: "string", short: "l" },
  templates: { type: "string", short: "t" },
  "multi-label": { type: "boolean", short: "m" },
  threshold: { type: "string" },
  limit: { type: "string" },
  "batch-size": { type: "string", short: "b" },
  report: { type: "string" },
  json: { type: "boolean" },
  predictions: { type: "boolean" },
  "cache-dir": { type: "string" },
  "no-cache": { type: "boolean" },
  "text-column": { type: "string" },
  "category-column": { type: "string" },
  "keep-unmapped": { type: "boolean" },
  encoding: { type: "string" },
  offline: { type: "boolean" },
  endpoint: { type: "string" },
  "endpoint-url": { type: "string" },
  region: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Templates from `--templates "T1|T2"`. */
export function parseTemplates(value: string | undefined): string[] {
  if (value === undefined) return [DEFAULT_HYPOTHESIS_TEMPLATE];
  const templates = value.split("|").map((t) => t.trim()).filter((t) => t.length > 0);
  if (templates.length === 0) throw new InputError(`--templates is empty: give templates with {} separated by "|", e.g. --templates "This example is {}.|This is about {}."`);
  return templates;
}

function parseThreshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const threshold = Number(value);
  if (!(threshold >= 0 && threshold <= 1)) throw new InputError(`--threshold ${JSON.stringify(value)} is not a number between 0 and 1, e.g. --threshold 0.5`);
  return threshold;
}

const pct = (value: number) => `${(100 * value).toFixed(1)}%`.padStart(6);

/** The summary a person reads on the terminal. */
export function formatEvaluation(evaluation: Evaluation, options: { warning?: string } = {}): string {
  const lines: string[] = [...(options.warning ? [`warning: ${options.warning}`, ""] : []), `${evaluation.model}: ${evaluation.size} texts, ${evaluation.labels.length} labels`, ""];
  const width = Math.max(8, ...evaluation.templates.map((t) => t.template.length));
  const ks = evaluation.templates[0].topK.filter(({ k }) => k > 1).map(({ k }) => k);
  lines.push(`${"template".padEnd(width)}  accuracy  macro-F1${ks.map((k) => `  top-${k}`).join("")}     ECE${evaluation.multiLabel ? "  micro-F1 (multi)" : ""}`);
  for (const t of evaluation.templates) {
    const topK = ks.map((k) => `  ${pct(t.topK.find((entry) => entry.k === k)!.accuracy)}`).join("");
    const multi = t.multiLabel ? `  ${pct(t.multiLabel.microF1).padStart(16)}` : "";
    lines.push(`${t.template.padEnd(width)}    ${pct(t.accuracy)}    ${pct(t.macroF1)}${topK}  ${t.reliability.expectedCalibrationError.toFixed(3)}${multi}`);
  }
  const first = evaluation.templates[0];
  const labelWidth = Math.max(5, ...evaluation.labels.map((label) => label.length));
  lines.push("", `per label ("${first.template}"):`, `  ${"label".padEnd(labelWidth)}  precision  recall      F1  support`);
  for (const m of first.perClass) {
    lines.push(`  ${m.label.padEnd(labelWidth)}     ${pct(m.precision)}  ${pct(m.recall)}  ${pct(m.f1)}  ${String(m.support).padStart(7)}`);
  }
  return lines.join("\n") + "\n";
}

/** A runtime client for AWS (credentials from the environment) or, with a URL, a local server. */
function endpointRuntimeClient(url: string | undefined, region: string | undefined) {
  if (!url) return createRuntimeClient(region ? { region } : {});
  return createRuntimeClient({ endpoint: url, region: region ?? "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, USAGE);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const dataPath = values.data ?? RESOLUTIONS_DEFAULT_PATH;
  const templates = parseTemplates(values.templates);
  const threshold = parseThreshold(values.threshold);
  const limit = intOption(values.limit, "limit");
  const batchSize = intOption(values["batch-size"], "batch-size");
  const dataset = loadLabelledCsv(filePath(io, dataPath), {
    textColumn: values["text-column"],
    categoryColumn: values["category-column"],
    keepUnmapped: values["keep-unmapped"],
    encoding: parseEncoding(values.encoding),
    limit,
  });
  if (!values.json || io.stderr.isTTY) {
    io.stderr.write(`${dataPath}: ${dataset.frame.shape[0]} labelled rows of ${dataset.totalRows}${limit ? ` (--limit ${limit})` : ""}; ${describeLeftOut(dataset.leftOut)}\n`);
  }
  let backend: NliScorer | EndpointClassifier;
  let cache: CachedScorer | undefined;
  let warning: string | undefined;
  if (values.endpoint) {
    // An endpoint returns scores, not logits: nothing to cache.
    backend = new EndpointClassifier(endpointRuntimeClient(values["endpoint-url"], values.region), values.endpoint);
  } else {
    const modelName = values.model ?? DEFAULT_MODEL;
    const classifier = await timedStep(
      `loading model ${modelName}`,
      () => loadCommandClassifier(io, modelName, { dtype: values.dtype, device: values.device, batchSize, offline: values.offline, onDownloadProgress: downloadProgress({ stream: io.stderr }) }),
      { stream: io.stderr },
    );
    warning = randomModelWarning(classifier);
    cache = values["no-cache"] ? undefined : new CachedScorer(classifier.scorer, { dir: filePath(io, values["cache-dir"]) ?? defaultScoreCacheDir() });
    backend = cache ?? classifier.scorer;
  }
  const progress = terminalProgress("scoring", { unit: "pairs", stream: io.stderr });
  const started = performance.now();
  const evaluation = await evaluate(backend, dataset, {
    labels: values.labels,
    templates,
    multiLabel: values["multi-label"],
    threshold,
    onProgress: progress,
  });
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  cache?.close();
  if (values.report) {
    await writeHtmlReport(filePath(io, values.report), evaluation, {
      dataSource: `${dataPath} (${dataset.frame.shape[0]} labelled rows of ${dataset.totalRows})`,
      notes: [describeLeftOut(dataset.leftOut)],
      modelWarning: warning,
    });
  }
  const pairs = cache ? { ...cache.totals } : undefined;
  if (values.json) {
    const json = { data: { path: dataPath, rows: dataset.totalRows, labelled: dataset.frame.shape[0], left_out: dataset.leftOut }, ...evaluationToJSON(evaluation, { predictions: values.predictions }), cache: pairs ? { directory: cache!.directory, ...pairs } : null, seconds, ...(warning ? { model_warning: warning } : {}) };
    io.stdout.write(JSON.stringify(json) + "\n");
  } else {
    io.stdout.write(formatEvaluation(evaluation, { warning }));
    io.stdout.write(
      `\n${seconds.toFixed(1)} s; ` +
        (pairs
          ? `pairs: ${pairs.unique} distinct, ${pairs.cached} from the cache, ${pairs.computed} computed (cache ${cache!.directory})`
          : values.endpoint
            ? `endpoint ${values.endpoint}`
            : "score cache off") +
        (values.report ? `\nreport: ${values.report}` : "") +
        "\n",
    );
  }
  if (values.report && values.json && io.stderr.isTTY) io.stderr.write(`report: ${values.report}\n`);
  return 0;
}
