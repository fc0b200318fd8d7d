/**
 * What a reader must see in each executed notebook. One list per notebook: a notebook without an entry
 * fails the run, so every new notebook says what it shows. Checks look only at outputs, the way a
 * reader would, and are written for the random-weight test model (values, not meanings).
 */
import type { ExecutedNotebook, NotebookCell } from "./executedNotebook";

export interface ReaderCheck {
  /** What the reader sees, as a sentence: it names the failure. */
  what: string;
  passes(notebook: ExecutedNotebook): boolean;
}

const check = (what: string, passes: (notebook: ExecutedNotebook) => boolean): ReaderCheck => ({ what, passes });

/** A `{sequence, labels, scores}` answer printed by a cell (Node's inspect format, as tslab shows a last expression). */
export const zeroShotAnswer = (cells?: (nb: ExecutedNotebook) => NotebookCell[]) =>
  check("a {sequence, labels, scores} answer", (nb) =>
    nb.stdout(cells?.(nb)).some((text) => /sequence: (['"`]).*\1,\s*labels: \[[\s\S]*?\],\s*scores: \[\s*[\d.e-]+/.test(text)),
  );

/** An HTML table whose header has every one of `headers`, and at least `minRows` body rows. */
export const htmlTableWith = (what: string, headers: readonly string[], minRows = 1) =>
  check(what, (nb) =>
    nb.richText("text/html").some((html) => {
      const head = /<thead>([\s\S]*?)<\/thead>/.exec(html)?.[1] ?? "";
      const rows = (/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "").match(/<tr>/g)?.length ?? 0;
      return headers.every((header) => head.includes(`>${header}<`)) && rows >= minRows;
    }),
  );

/** A cell's stdout matching `pattern`; `source` picks the cell by a fragment of its code. */
export const printed = (what: string, pattern: RegExp, source?: string) =>
  check(what, (nb) => nb.stdout(source ? nb.cellsWithSource(source) : undefined).some((text) => pattern.test(text)));

/** A markdown output matching `pattern`. */
export const markdownShown = (what: string, pattern: RegExp) => check(what, (nb) => nb.richText("text/markdown").some((text) => pattern.test(text)));

/**
 * A Vega-Lite chart stored as a JSON object (renderers reject a string), with a static SVG or PNG in the
 * same cell for readers whose viewer does not run Vega (GitHub, nbconvert HTML). For notebook 04.
 */
export const vegaLiteWithStaticImage = (what = "a Vega-Lite chart with a static image beside it") =>
  check(what, (nb) =>
    nb.codeCells.some((cell) => {
      const specs = nb.rich("application/vnd.vegalite.v5+json", [cell]);
      const images = [...nb.rich("image/svg+xml", [cell]), ...nb.rich("image/png", [cell])];
      return specs.some((spec) => typeof spec === "object" && spec !== null && "$schema" in spec) && images.length > 0;
    }),
  );

/** Some HTML output matching `pattern` (e.g. a table row with a given value). */
export const htmlShown = (what: string, pattern: RegExp) => check(what, (nb) => nb.richText("text/html").some((html) => pattern.test(html)));

/** A `{sequence, labels, scores}` answer printed with every one of `labels` in it. */
export const zeroShotAnswerWith = (what: string, labels: readonly string[], source?: string) =>
  check(what, (nb) =>
    nb
      .stdout(source ? nb.cellsWithSource(source) : undefined)
      .some((text) => /sequence: (['"`]).*\1,\s*labels: \[[\s\S]*?\],\s*scores: \[\s*[\d.e-]+/.test(text) && labels.every((label) => text.includes(`'${label}'`))),
  );

/** At least `count` cells each showing a Vega-Lite chart with a static image beside it. */
export const vegaLiteCharts = (count: number) =>
  check(`${count} Vega-Lite charts, each with a static image beside it`, (nb) =>
    nb.codeCells.filter((cell) => {
      const specs = nb.rich("application/vnd.vegalite.v5+json", [cell]);
      const images = [...nb.rich("image/svg+xml", [cell]), ...nb.rich("image/png", [cell])];
      return specs.some((spec) => typeof spec === "object" && spec !== null && "$schema" in spec) && images.length > 0;
    }).length >= count,
  );

const WALKTHROUGH_LABELS = ["Health", "Humor", "Personal Growth", "Philanthropy", "Leisure", "Career", "Finance", "Education", "Time Management"];

export const READER_CHECKS: Readonly<Record<string, readonly ReaderCheck[]>> = {
  "01-nli-framework.ipynb": [
    markdownShown("which model runs, with the random-weights warning for the test model", /\*\*Model:\*\*[\s\S]*These numbers are random/),
    printed("the model's output names", /'contradiction'.*'neutral'.*'entailment'/s, "outputLabels(model)"),
    htmlTableWith("the three-way NLI probabilities table for the three example pairs", ["premise", "hypothesis", "P(contradiction)", "P(neutral)", "P(entailment)", "model says"], 3),
    printed("each label's hypothesis from the default template", /'This example is Health\.'[\s\S]*'This example is Politics\.'/, "hypothesesFor(labels)"),
    htmlTableWith("each label's logits", ["label", "hypothesis", "contradiction logit", "neutral logit", "entailment logit"], 4),
    printed("single-label scores computed by hand", /\[\s*0\.\d+,/, "zs.softmax(entailmentLogits)"),
    printed("multi-label scores computed by hand", /\[\s*0\.\d+,/, "const multiLabelByHand"),
    zeroShotAnswer((nb) => nb.cellsWithSource("classifier.classify(text, labels)")),
    zeroShotAnswer((nb) => nb.cellsWithSource("{ multiLabel: true }")),
    htmlTableWith("hand-computed and library scores side by side", ["label", "single-label, by hand", "single-label, library", "multi-label, by hand", "multi-label, library"], 4),
    printed("the largest difference between hand and library scores (both tiny)", /^\[\s*[\d.e-]+,\s*[\d.e-]+\s*\]\s*$/, "assertScoresAgree"),
    htmlTableWith("scores under each template", ["label", "This example is {}.", "This text is about {}.", "The writer is talking about {}."], 5),
  ],
  "02-deployment.ipynb": [
    markdownShown("which model runs, with the random-weights warning for the test model", /\*\*Model:\*\*[\s\S]*These numbers are random/),
    markdownShown("that SageMaker runs in local mode, and how to use AWS", /\*\*SageMaker:\*\* local mode[\s\S]*ZERO_SHOT_SAGEMAKER=aws/),
    printed("the Hugging Face inference image URIs", /huggingface-pytorch-inference:.*cpu[\s\S]*huggingface-pytorch-inference:.*gpu/, "huggingFaceInferenceImage(region)"),
    printed("the endpoint's status lines while it is created, ending InService", /: Creating \([\s\S]*: InService \(/, "sm.deployModel"),
    printed("the model's container environment (HF_MODEL_ID, HF_TASK)", /HF_MODEL_ID: '[^']+'[\s\S]*HF_TASK: 'zero-shot-classification'/, "DescribeModelCommand"),
    htmlShown("the DescribeEndpoint table with EndpointStatus InService", /<td[^>]*>EndpointStatus<\/td><td[^>]*>InService<\/td>/),
    zeroShotAnswer((nb) => nb.cellsWithSource("sm.invokeEndpoint")),
    htmlTableWith("the approximate instance prices", ["instance type", "GPU", "USD per hour", "USD per 30 days"], 5),
    htmlShown("ml.m5.xlarge, ml.c5.xlarge and ml.g4dn.xlarge in the prices table", /ml\.m5\.xlarge[\s\S]*ml\.c5\.xlarge[\s\S]*ml\.g4dn\.xlarge/),
    printed("the clean-up deleting endpoint, endpoint config and model", /deleted: \[\s*'endpoint [^']+',\s*'endpoint config [^']+',\s*'model [^']+'\s*\]/, "const cleanup"),
    printed("a second clean-up finding everything already gone", /deleted: \[\],\s*alreadyGone: \[\s*'endpoint /, "sm.deleteDeployment"),
  ],
  "03-real-time-inference.ipynb": [
    markdownShown("which model runs, with the random-weights warning for the test model", /\*\*Model:\*\*[\s\S]*These numbers are random/),
    printed("the endpoint's status lines, ending InService", /: InService \(/, "deployOrReuse"),
    printed("the JumpStart payload as JSON with the nine candidate labels", /"inputs": "[\s\S]*"candidate_labels": \[[\s\S]*"Time Management"[\s\S]*"multi_label": false/, "JSON.stringify(request"),
    zeroShotAnswerWith("a {sequence, labels, scores} answer with the walkthrough's nine labels", WALKTHROUGH_LABELS),
    htmlTableWith("the answer as a table, one row per label", ["rank", "label", "score"], 9),
    zeroShotAnswerWith("a multi-label answer with the nine labels", WALKTHROUGH_LABELS, "multi_label: true"),
    htmlTableWith("single-label and multi-label scores side by side", ["label", "single-label", "multi-label"], 9),
    printed("the p50 latency of ten calls", /calls: 10,\s*p50_ms: [\d.]+/, "latency.p50"),
    printed("a bad request refused before sending (InputError)", /type: 'InputError'/, "candidate_labels: []"),
    printed("a bad request rejected by the endpoint (EndpointModelError, original status 400)", /type: 'EndpointModelError'[\s\S]*originalStatusCode: 400/, "invokeWithRawBody"),
    printed("an unknown endpoint (EndpointNotFoundError)", /type: 'EndpointNotFoundError'/, "no-such-endpoint"),
    printed("the clean-up deleting what the notebook created", /deleted: \[\s*'endpoint [\s\S]*'model /, "cleanUpEndpoint"),
  ],
  "04-batch-transform-and-evaluation.ipynb": [
    markdownShown("which model runs, with the random-weights warning for the test model", /\*\*Model:\*\*[\s\S]*These numbers are random/),
    markdownShown("which data file is read", /\*\*Data:\*\*/),
    htmlTableWith("the resolutions DataFrame's first rows", ["row", "text", "category", "label"], 5),
    htmlTableWith("the label counts (valueCounts)", ["label", "rows"], 2),
    printed("the rows left out by the category mapping", /left out \d+ rows|no rows left out/, "describeLeftOut"),
    printed("two JSON Lines payloads", /^\{"inputs":.*"candidate_labels":.*\}\n\{"inputs":.*\}\s*$/, "JSON.stringify(payload)"),
    printed("the transform job's status lines, ending Completed", /transform job [^:]+: Completed \(/, "sm.runBatchTransform"),
    htmlTableWith("the answers joined back to the rows", ["text", "label", "predicted", "score", "correct"], 5),
    printed("the batch model deleted", /deleted: \[ 'model [^']+' \]/, "batchModelName })"),
    htmlTableWith("the metrics summary", ["template", "texts", "accuracy", "macro_f1"], 1),
    htmlTableWith("the per-class metrics", ["label", "precision", "recall", "f1", "support"], 2),
    vegaLiteWithStaticImage(),
    vegaLiteCharts(6),
    htmlShown("the three templates' metrics in one table", /This example is \{\}\.[\s\S]*This resolution is about \{\}\.[\s\S]*The goal of this tweet is \{\}\./),
    printed("the score cache's counts", /pairs: \d+,\s*unique: \d+,\s*cached: \d+,\s*computed: \d+/, "scorer.totals"),
  ],
};
