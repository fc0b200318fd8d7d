/**
 * The recorded results: the committed file holds only the walkthrough's published answer (cited, partial),
 * and scripts/record-results.ts, run here on a generated model, writes a recording in the file's format.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { recordResults } from "../../scripts/record-results";
import {
  EXAMPLE_TWEET,
  loadRecordedResults,
  NLI_EXAMPLES,
  RECORDED_RESULTS_PATH,
  recordedAnswerNotice,
  recordedBeside,
  recordedNliTable,
  recordedSummary,
  WALKTHROUGH_LABELS,
} from "../../src/notebook/recorded";
import { tinyBart } from "../helpers/models";

const scratch = mkdtempSync(join(tmpdir(), "zs-recorded-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe("the committed results file", () => {
  it("holds the walkthrough's published answer, as published: Personal Growth 0.4198768436908722, then Time Management without a score", () => {
    const results = loadRecordedResults();
    assert.equal(results.published.length, 1);
    const [published] = results.published;
    assert.equal(published.model, "facebook/bart-large-mnli");
    assert.deepEqual(published.candidate_labels, [...WALKTHROUGH_LABELS]);
    assert.deepEqual(published.shown, [
      { label: "Personal Growth", score: 0.4198768436908722 },
      { label: "Time Management", score: null },
    ]);
    assert.match(published.source.url, /^https:\/\/aws\.amazon\.com\/blogs\/machine-learning\//);
    assert.match(published.not_shown, /not shown in the post/);
  });

  it("holds no recording until someone runs the script with a real model", () => {
    assert.deepEqual(loadRecordedResults().recordings, []);
    assert.equal(recordedNliTable(), undefined);
    assert.match(recordedSummary(), /only the walkthrough's published answer so far/);
  });

  it("shows in a notebook labelled as recorded, with its source and what the post leaves out", () => {
    const notice = recordedAnswerNotice();
    assert.match(notice, /^\*\*Recorded, not live:\*\* the AWS Machine Learning Blog published this answer of `facebook\/bart-large-mnli`/);
    assert.match(notice, /1\. \*\*Personal Growth\*\*: 0\.4199\n2\. \*\*Time Management\*\*: not shown/);
    assert.match(notice, /the rest of the answer .* is not shown in the post/);
  });
});

describe("scripts/record-results.ts", () => {
  const out = join(scratch, "results.json");

  it("refuses to write a random test model's answers into the committed file", async () => {
    const before = readFileSync(RECORDED_RESULTS_PATH, "utf8");
    await assert.rejects(recordResults({ model: tinyBart(), rows: 2 }), /is a random test model: its answers are not results/);
    assert.equal(readFileSync(RECORDED_RESULTS_PATH, "utf8"), before);
  });

  it("records the tweet, the three NLI pairs and a fixed data sample in the file's format", async () => {
    const { recording } = await recordResults({ model: tinyBart(), rows: 5, out, now: () => new Date("2026-11-25T12:00:00Z") });
    const written = loadRecordedResults(out);
    assert.deepEqual(written.recordings, [recording]);
    assert.equal(recording.random_weights, true);
    assert.equal(recording.dtype, "fp32");
    assert.equal(recording.recorded_at, "2026-11-25T12:00:00.000Z");
    assert.deepEqual(recording.classifications.map((c) => c.id), ["notebook-03-tweet", "notebook-03-tweet-multi-label"]);
    for (const { request, answer } of recording.classifications) {
      assert.equal(answer.sequence, EXAMPLE_TWEET);
      assert.deepEqual([...answer.labels].sort(), [...WALKTHROUGH_LABELS].sort());
      assert.deepEqual(request.parameters?.candidate_labels, [...WALKTHROUGH_LABELS]);
    }
    const single = recording.classifications[0].answer.scores;
    assert.ok(Math.abs(single.reduce((a, b) => a + b, 0) - 1) < 1e-6, "single-label scores sum to 1");
    assert.deepEqual(recording.nli.map((row) => row.premise), NLI_EXAMPLES.map((example) => example.premise));
    for (const row of recording.nli) {
      assert.deepEqual(Object.keys(row.probabilities), ["contradiction", "neutral", "entailment"]);
      assert.ok(Math.abs(Object.values(row.probabilities).reduce((a, b) => a + b, 0) - 1) < 1e-6);
    }
    assert.equal(recording.sample.data, "data/resolutions-sample.csv");
    assert.match(recording.sample.sha256, /^[0-9a-f]{64}$/);
    assert.equal(recording.sample.rows.length, 5);
    assert.ok(recording.sample.rows.every((row) => WALKTHROUGH_LABELS.includes(row.predicted as never) && row.score > 0 && row.score <= 1));
  });

  it("a second run replaces the recording of the same model and dtype, and q8 is its own", async () => {
    await recordResults({ model: tinyBart(), rows: 2, out });
    await recordResults({ model: tinyBart(), rows: 2, out, dtype: "q8" });
    assert.deepEqual(loadRecordedResults(out).recordings.map((entry) => entry.dtype), ["fp32", "q8"]);
  });

  it("the notebook's NLI pairs and tweet are the ones the script records", () => {
    const notebook01 = readFileSync(join(__dirname, "../../notebooks/01-nli-framework.ipynb"), "utf8");
    for (const example of NLI_EXAMPLES) assert.ok(notebook01.includes(JSON.stringify(example.premise).slice(1, -1)), example.premise);
    const notebook03 = readFileSync(join(__dirname, "../../notebooks/03-real-time-inference.ipynb"), "utf8");
    assert.ok(notebook03.includes(EXAMPLE_TWEET));
  });
});

describe("recordedBeside", () => {
  const random = { randomWeights: true };

  it("says nothing beside a real model's live numbers", () => {
    assert.equal(recordedBeside({ randomWeights: false }, "tweet"), "");
  });

  it("beside a random model: the walkthrough's answer for the tweet, and what is not recorded yet for the rest", () => {
    assert.equal(recordedBeside(random, "tweet"), recordedAnswerNotice());
    assert.match(recordedBeside(random, "nli"), /^\*\*Recorded results:\*\* no real model's answers to these three pairs are recorded yet/);
    assert.match(recordedBeside(random, "sample"), /^\*\*Recorded results:\*\* no real model's answers to the resolutions data are recorded yet/);
  });

  it("shows a real recording's NLI pairs and data sample, labelled as recorded", async () => {
    const out = join(scratch, "real.json");
    const { recording } = await recordResults({ model: tinyBart(), rows: 3, out, now: () => new Date("2026-11-25T00:00:00Z") });
    const results = loadRecordedResults(out);
    // How a real recording is shown, exercised with the test model's recording (random flag cleared in this temporary file only).
    results.recordings = [{ ...recording, random_weights: false }];
    assert.match(recordedBeside(random, "nli", results), /^\*\*Recorded, not live:\*\* `.*tiny-bart-nli` \(fp32\), recorded 2026-11-25:\n\n\| premise \| hypothesis/);
    const sample = recordedBeside(random, "sample", results);
    assert.match(sample, /on the first 3 labelled rows of `data\/resolutions-sample\.csv`, recorded 2026-11-25: \d of 3 right\./);
    assert.equal(sample.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| text") && !line.startsWith("| ---")).length, 3);
  });
});
