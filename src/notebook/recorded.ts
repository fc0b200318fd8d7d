/**
 * Recorded results: a real model's answers kept in `results/recorded-results.json`, so a class working
 * offline (on the random test model) still sees what a real model says, labelled as recorded. The file
 * holds only numbers a real model produced: the answer the AWS walkthrough published, and whatever
 * `scripts/record-results.ts` recorded from a real model where the hub was reachable.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ZeroShotRequest } from "../payload/types";
import { htmlTable } from "./htmlTable";
import type { NliExample } from "./nliSteps";
import { DatasetError } from "../errors";

/** The results file's format name and version: a reader refuses what it does not know. */
export const RECORDED_RESULTS_FORMAT = "zero-shot-ts/recorded-results";
export const RECORDED_RESULTS_VERSION = 1;

/** Where the committed results file lives, from `dist/notebook` or `src/notebook`. */
export const RECORDED_RESULTS_PATH = resolve(__dirname, "../../results/recorded-results.json");

/** The nine candidate labels of the AWS walkthrough, in its order. */
export const WALKTHROUGH_LABELS = ["Health", "Humor", "Personal Growth", "Philanthropy", "Leisure", "Career", "Finance", "Education", "Time Management"] as const;

/** Notebook 01's three NLI pairs (SNLI, Bowman et al. 2015), one per answer. */
export const NLI_EXAMPLES: readonly NliExample[] = [
  { premise: "A soccer game with multiple males playing.", hypothesis: "Some men are playing a sport.", expected: "entailment" },
  { premise: "An older and younger man smiling.", hypothesis: "Two men are smiling and laughing at the cats playing on the floor.", expected: "neutral" },
  { premise: "A man inspects the uniform of a figure in some East Asian country.", hypothesis: "The man is sleeping.", expected: "contradiction" },
];

/** Notebook 03's example tweet. */
export const EXAMPLE_TWEET = "New year, new me: my resolution for 2015 is to hit the gym four times a week and finally get in shape";

/** A ranked label with its score; `null` where the source did not show the score. */
export interface RankedLabel {
  label: string;
  score: number | null;
}

/** An answer a source published, as far as it showed it. */
export interface PublishedAnswer {
  id: string;
  /** Who published it, and where. */
  source: { title: string; publisher: string; url: string };
  model: string;
  /** The text, described in our words: the post's exact text is not reproduced. */
  text_described: string;
  candidate_labels: string[];
  multi_label: boolean;
  /** The labels the source shows, best first. */
  shown: RankedLabel[];
  /** What the source does not show. */
  not_shown: string;
}

/** One model's answers, recorded by scripts/record-results.ts. */
export interface Recording {
  model: string;
  /** The transformers.js repository the weights came from. */
  weights: string;
  dtype: string;
  recorded_at: string;
  /** True only for a generated test model (never in the committed file). */
  random_weights: boolean;
  classifications: { id: string; request: ZeroShotRequest; answer: { sequence: string; labels: string[]; scores: number[] } }[];
  nli: { premise: string; hypothesis: string; expected?: string; probabilities: Record<string, number> }[];
  sample: { data: string; sha256: string; rows: { text: string; gold: string; predicted: string; score: number }[] };
}

/** The whole results file. */
export interface RecordedResults {
  format: typeof RECORDED_RESULTS_FORMAT;
  version: number;
  about: string;
  published: PublishedAnswer[];
  recordings: Recording[];
}

/** Reads and checks a results file (default: the committed one). Throws with what is wrong. */
export function loadRecordedResults(path: string = RECORDED_RESULTS_PATH): RecordedResults {
  if (!existsSync(path)) throw new DatasetError(`no recorded results at ${path}: the file ships with the project (results/recorded-results.json)`);
  const results = JSON.parse(readFileSync(path, "utf8")) as RecordedResults;
  if (results.format !== RECORDED_RESULTS_FORMAT || results.version !== RECORDED_RESULTS_VERSION) {
    throw new DatasetError(`${path} is not a version-${RECORDED_RESULTS_VERSION} ${RECORDED_RESULTS_FORMAT} file (format ${JSON.stringify(results.format)}, version ${results.version})`);
  }
  return results;
}

/** The results file beside the project root given (for scripts run from elsewhere). */
export const recordedResultsPathIn = (root: string) => join(root, "results", "recorded-results.json");

const scoreText = (score: number | null) => (score === null ? "not shown" : score.toFixed(4));

/**
 * Markdown for a notebook: the walkthrough's published answer, labelled as recorded, with its source, and
 * any real recording of the same labels. Shown beside live numbers when the live model is a random test model.
 */
export function recordedAnswerNotice(results: RecordedResults = loadRecordedResults(), id = "aws-walkthrough-tweet"): string {
  const published = results.published.find((entry) => entry.id === id);
  if (!published) return "";
  const ranking = published.shown.map((entry, rank) => `${rank + 1}. **${entry.label}**: ${scoreText(entry.score)}`).join("\n");
  const lines = [
    `**Recorded, not live:** ${published.source.publisher} published this answer of \`${published.model}\` in ` +
      `[${published.source.title}](${published.source.url}), for ${published.text_described}, with the nine labels above:`,
    "",
    ranking,
    "",
    `(${published.not_shown})`,
  ];
  return lines.join("\n");
}

/** A recorded NLI table (notebook 01's three pairs) from the first real recording, or undefined when none was recorded yet. */
export function recordedNliTable(results: RecordedResults = loadRecordedResults()): string | undefined {
  const recording = results.recordings.find((entry) => !entry.random_weights && entry.nli.length > 0);
  if (!recording) return undefined;
  const names = Object.keys(recording.nli[0].probabilities);
  return htmlTable(
    ["premise", "hypothesis", "expected", ...names.map((name) => `P(${name}), recorded`)],
    recording.nli.map((row) => [row.premise, row.hypothesis, row.expected ?? "", ...names.map((name) => row.probabilities[name])]),
    { digits: 3 },
  );
}

/** One line saying what the results file holds: what a notebook prints when a reader looks for recordings. */
export function recordedSummary(results: RecordedResults = loadRecordedResults()): string {
  const real = results.recordings.filter((entry) => !entry.random_weights);
  return real.length
    ? `recorded results: ${real.map((entry) => `${entry.model} (${entry.dtype}, ${entry.recorded_at.slice(0, 10)})`).join(", ")}`
    : "recorded results: only the walkthrough's published answer so far (run scripts/record-results.ts where the hub is reachable to add a real model's)";
}

/**
 * What a notebook shows beside a random test model's live numbers: markdown with the recorded real answers
 * for `topic` (`nli`: notebook 01's three pairs; `tweet`: the walkthrough's tweet), labelled as recorded.
 * Empty for a real model: its live numbers speak for themselves.
 */
export function recordedBeside(choice: { randomWeights: boolean }, topic: "nli" | "tweet" | "sample", results: RecordedResults = loadRecordedResults()): string {
  if (!choice.randomWeights) return "";
  const real = results.recordings.filter((entry) => !entry.random_weights);
  if (topic === "sample") {
    const recording = real.find((entry) => entry.sample.rows.length > 0);
    if (!recording) {
      return (
        "**Recorded results:** no real model's answers to the resolutions data are recorded yet (run " +
        "`npm run record-results -- --model facebook/bart-large-mnli` where the Hugging Face hub is reachable; it records a fixed sample). " +
        "The one real answer recorded so far is the AWS walkthrough's, shown in notebook 03."
      );
    }
    const { rows, data } = recording.sample;
    const right = rows.filter((row) => row.predicted === row.gold).length;
    return [
      `**Recorded, not live:** \`${recording.model}\` (${recording.dtype}) on the first ${rows.length} labelled rows of \`${data}\`, recorded ` +
        `${recording.recorded_at.slice(0, 10)}: ${right} of ${rows.length} right.`,
      "",
      "| text | gold | predicted | score |",
      "| --- | --- | --- | --- |",
      ...rows.map((row) => `| ${row.text.replace(/\|/g, "\\|")} | ${row.gold} | ${row.predicted} | ${row.score.toFixed(3)} |`),
    ].join("\n");
  }
  if (topic === "nli") {
    const recording = real.find((entry) => entry.nli.length > 0);
    if (!recording) {
      return (
        "**Recorded results:** no real model's answers to these three pairs are recorded yet (the project records only what a real " +
        "model computed: run `npm run record-results -- --model facebook/bart-large-mnli` where the Hugging Face hub is reachable). " +
        "The one real answer recorded so far is the AWS walkthrough's, shown in notebook 03."
      );
    }
    const rows = recording.nli.map((row) => `| ${row.premise} | ${row.hypothesis} | ${row.expected ?? ""} | ${Object.entries(row.probabilities).map(([name, p]) => `${name} ${p.toFixed(3)}`).join(", ")} |`);
    return [`**Recorded, not live:** \`${recording.model}\` (${recording.dtype}), recorded ${recording.recorded_at.slice(0, 10)}:`, "", "| premise | hypothesis | expected | probabilities |", "| --- | --- | --- | --- |", ...rows].join("\n");
  }
  return recordedAnswerNotice(results);
}
