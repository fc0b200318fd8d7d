/**
 * Records a real model's answers into the versioned results file the notebooks show beside a random test
 * model's live numbers (results/recorded-results.json):
 *
 *   npm run record-results -- --model facebook/bart-large-mnli [--dtype q8] [--rows 20] [--data CSV] [--out FILE]
 *
 * It runs the model on notebook 03's example tweet (nine labels, single- and multi-label), notebook 01's three
 * NLI pairs, and a fixed sample of the resolutions data (the first --rows labelled rows of --data, by
 * default the full dataset when `zero-shot data` fetched it, else the project's synthetic sample; its
 * sha256 is recorded). A recording replaces an earlier one of the same model and dtype; the walkthrough's
 * published answer is kept. A random test model's answers are refused for the committed file (--out elsewhere).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LocalNliModel } from "../src/backends/local/localNliModel";
import { ZeroShotClassifier } from "../src/classification/classifier";
import { RESOLUTIONS_DEFAULT_PATH, RESOLUTIONS_SAMPLE_PATH } from "../src/data/resolutions";
import { loadResolutions } from "../src/data/load";
import { writeFileAtomically } from "../src/io/atomicFile";
import { randomModelWarning } from "../src/models/generate/marker";
import { resolveModel } from "../src/models/resolve";
import { nliProbabilities, outputLabels } from "../src/notebook/nliSteps";
import {
  EXAMPLE_TWEET,
  loadRecordedResults,
  NLI_EXAMPLES,
  RECORDED_RESULTS_FORMAT,
  RECORDED_RESULTS_PATH,
  RECORDED_RESULTS_VERSION,
  WALKTHROUGH_LABELS,
  type RecordedResults,
  type Recording,
} from "../src/notebook/recorded";

const PROJECT_ROOT = resolve(__dirname, "..");

export interface RecordOptions {
  model: string;
  dtype?: string;
  rows?: number;
  data?: string;
  out?: string;
  /** The clock, for a reproducible test. */
  now?: () => Date;
}

/** Runs the model and returns its recording (nothing written). */
export async function recordModel(options: RecordOptions): Promise<Recording> {
  const model = await LocalNliModel.load(options.model, { dtype: options.dtype });
  try {
    const classifier = new ZeroShotClassifier(model);
    const labels = [...WALKTHROUGH_LABELS];
    const classifications: Recording["classifications"] = [];
    for (const multiLabel of [false, true]) {
      const request = { inputs: EXAMPLE_TWEET, parameters: { candidate_labels: labels, multi_label: multiLabel } };
      const [answer] = await classifier.classify(EXAMPLE_TWEET, labels, { multiLabel });
      classifications.push({ id: multiLabel ? "notebook-03-tweet-multi-label" : "notebook-03-tweet", request, answer: { sequence: answer.sequence, labels: answer.labels, scores: answer.scores } });
    }
    const names = outputLabels(model);
    const logits = await model.scorePairs(NLI_EXAMPLES);
    const nli = NLI_EXAMPLES.map((example, row) => ({ ...example, probabilities: nliProbabilities(logits[row], names) }));

    const dataPath = resolve(PROJECT_ROOT, options.data ?? (existsSync(resolve(PROJECT_ROOT, RESOLUTIONS_DEFAULT_PATH)) ? RESOLUTIONS_DEFAULT_PATH : RESOLUTIONS_SAMPLE_PATH));
    const dataset = loadResolutions(dataPath, { limit: options.rows ?? 20 });
    const texts = dataset.frame.column("text").values as string[];
    const gold = dataset.frame.column("label").values as string[];
    const answers = await classifier.classify(texts, labels);
    const source = resolveModel(options.model);
    return {
      model: source.name,
      weights: source.kind === "hub" ? source.id : relative(PROJECT_ROOT, source.path) || source.path,
      dtype: model.dtype,
      recorded_at: (options.now ?? (() => new Date()))().toISOString(),
      random_weights: randomModelWarning(model) !== undefined,
      classifications,
      nli,
      sample: {
        data: relative(PROJECT_ROOT, dataPath),
        sha256: createHash("sha256").update(readFileSync(dataPath)).digest("hex"),
        rows: answers.map((answer, i) => ({ text: texts[i], gold: gold[i], predicted: answer.labels[0], score: answer.scores[0] })),
      },
    };
  } finally {
    await model.dispose();
  }
}

/** Records and writes: the recording replaces one of the same model and dtype in `out`, keeping everything else. */
export async function recordResults(options: RecordOptions): Promise<{ out: string; recording: Recording }> {
  const out = resolve(options.out ?? RECORDED_RESULTS_PATH);
  const recording = await recordModel(options);
  if (recording.random_weights && out === resolve(RECORDED_RESULTS_PATH)) {
    throw new Error(`${options.model} is a random test model: its answers are not results, and the committed file holds only real ones. Pass --out elsewhere to try the script.`);
  }
  const results: RecordedResults = existsSync(out)
    ? loadRecordedResults(out)
    : { format: RECORDED_RESULTS_FORMAT, version: RECORDED_RESULTS_VERSION, about: "Real models' answers recorded by scripts/record-results.ts.", published: [], recordings: [] };
  results.recordings = [...results.recordings.filter((entry) => !(entry.model === recording.model && entry.dtype === recording.dtype)), recording];
  writeFileAtomically(out, JSON.stringify(results, null, 1) + "\n");
  return { out, recording };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { model: { type: "string" }, dtype: { type: "string" }, rows: { type: "string" }, data: { type: "string" }, out: { type: "string" } } });
  if (!values.model) {
    console.error("record-results: pass --model, e.g. npm run record-results -- --model facebook/bart-large-mnli");
    return 2;
  }
  const rows = values.rows === undefined ? undefined : Number(values.rows);
  if (rows !== undefined && !(Number.isInteger(rows) && rows > 0)) {
    console.error(`record-results: --rows ${values.rows} is not a whole number above 0`);
    return 2;
  }
  try {
    const { out, recording } = await recordResults({ model: values.model, dtype: values.dtype, rows, data: values.data, out: values.out });
    console.log(`recorded ${recording.model} (${recording.dtype}): ${recording.classifications.length} answers, ${recording.nli.length} NLI pairs, ${recording.sample.rows.length} rows of ${recording.sample.data} -> ${out}`);
    return 0;
  } catch (error) {
    console.error(`record-results: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
