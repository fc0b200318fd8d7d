/**
 * What a reader must see in each executed notebook. One list per notebook: a notebook without an entry
 * fails the run, so every new notebook says what it shows. Checks look only at outputs, the way a
 * reader would, and are written for the random-weight test model (values, not meanings).
 */
import { joinText, type ExecutedNotebook, type NotebookCell } from "./executedNotebook";

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

/** An image as Jupyter stores it: a string, or (SVG) a list of lines. */
const isImage = (value: unknown) => (typeof value === "string" && value.length > 0) || (Array.isArray(value) && value.length > 0);

/** A chart whose title is `title`, carrying Vega-Lite v5, a PNG and an SVG in one output. */
export const chartTitled = (title: string) =>
  check(`the chart "${title}" as Vega-Lite v5 + PNG + SVG`, (nb) =>
    nb.codeCells.some((cell) =>
      (cell.outputs ?? []).some((o) => {
        const data = o.data ?? {};
        const spec = data["application/vnd.vegalite.v5+json"] as { title?: string | { text?: string } } | undefined;
        const text = typeof spec?.title === "string" ? spec.title : spec?.title?.text;
        return text === title && isImage(data["image/png"]) && isImage(data["image/svg+xml"]);
      }),
    ),
  );

/**
 * A project error shown as one actionable line: tslab prints it on stderr, Deno's kernel as an error
 * output whose traceback is the error's (one-line) stack. Either way: no "    at ..." frames.
 */
export const projectErrorAsOneLine = (name: string, message: RegExp, source: string) =>
  check(`a ${name} as one actionable line, without a stack trace`, (nb) => {
    const outputs = nb.cellsWithSource(source).flatMap((cell) => cell.outputs ?? []);
    const texts = outputs.flatMap((o) =>
      o.output_type === "error" ? [[`${o.ename}: ${o.evalue}`, ...(o.traceback ?? []).slice(1)].join("\n")] : o.output_type === "stream" && o.name === "stderr" ? [joinText(o.text)] : [],
    );
    return texts.length > 0 && texts.every((text) => !/\n\s+at /.test(text)) && texts.some((text) => text.trim().split("\n").some((line) => line.startsWith(`${name}: `) && message.test(line)));
  });

const RANDOM_WARNING = "random test model: scores are meaningless";

/** What every notebook shows, on both kernels. */
export const COMMON_CHECKS: readonly ReaderCheck[] = [
  markdownShown("which model runs, with the random-model warning", /\*\*Model:\*\*[\s\S]*random test model: scores are meaningless/),
  markdownShown("whether the model downloads, and how much, before it loads", /\*\*Download:\*\* /),
  check("imports by package name (zero-shot-ts, zero-shot-ts/notebook), never a dist/ path or tslab", (nb) => {
    const sources = nb.codeCells.map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source));
    return sources.some((source) => source.includes('from "zero-shot-ts/notebook"')) && !sources.some((source) => /from "(\.\.\/dist|tslab)/.test(source));
  }),
  check("an execution count on every code cell, 1, 2, 3 ... in order", (nb) => nb.codeCells.every((cell, index) => cell.execution_count === index + 1)),
  check("no error output and no stack trace (but in cells tagged raises-exception)", (nb) =>
    nb.codeCells
      .filter((cell) => !cell.metadata?.tags?.includes("raises-exception"))
      .every((cell) => (cell.outputs ?? []).every((o) => o.output_type !== "error" && !(o.output_type === "stream" && /\n\s+at /.test(Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""))))),
  ),
  check("no bare array of numbers printed: every value carries its name", (nb) => nb.stdout().every((text) => !/^\s*\[\s*-?\d+(\.\d+)?(e-?\d+)?,/m.test(text) && !/Float32Array/.test(text))),
  check("every chart carries Vega-Lite v5, PNG and SVG, and says the model is random", (nb) =>
    nb.codeCells
      .flatMap((cell) => cell.outputs ?? [])
      .filter((o) => o.data && "application/vnd.vegalite.v5+json" in o.data)
      .every((o) => {
        const spec = o.data!["application/vnd.vegalite.v5+json"] as { title?: { subtitle?: string } };
        return isImage(o.data!["image/png"]) && isImage(o.data!["image/svg+xml"]) && spec.title?.subtitle === RANDOM_WARNING;
      }),
  ),
];

const WALKTHROUGH_LABELS = ["Health", "Humor", "Personal Growth", "Philanthropy", "Leisure", "Career", "Finance", "Education", "Time Management"];

export const READER_CHECKS: Readonly<Record<string, readonly ReaderCheck[]>> = {
  "01-nli-framework.ipynb": [
    printed("the model's output names", /'contradiction'.*'neutral'.*'entailment'/s, "outputLabels(model)"),
    htmlTableWith("the three-way NLI probabilities table for the three example pairs", ["premise", "hypothesis", "P(contradiction)", "P(neutral)", "P(entailment)", "model says"], 3),
    printed("each label's hypothesis from the default template", /'This example is Health\.'[\s\S]*'This example is Politics\.'/, "hypothesesFor(labels)"),
    htmlTableWith("each label's logits", ["label", "hypothesis", "contradiction logit", "neutral logit", "entailment logit"], 4),
    printed("each label's hypothesis, by label", /Health: 'This example is Health\.'/, "const hypotheses"),
    printed("the entailment logits, by label", /Health: -?\d+\.\d+/, "const entailmentLogits"),
    printed("single-label scores computed by hand, by label", /Health: 0\.\d+/, "zs.softmax(entailmentLogits)"),
    printed("multi-label scores computed by hand, by label", /Health: 0\.\d+/, "const multiLabelByHand"),
    printed("the example pairs' logits under their expected answer and output names", /entailment: \{\s*contradiction: -?\d/, "const exampleLogits"),
    markdownShown("the recorded-results note beside the random live numbers", /\*\*Recorded results:\*\*|\*\*Recorded, not live:\*\*/),
    chartTitled("From logits to scores, per label"),
    projectErrorAsOneLine("ModelLoadError", /model directory .*no-such-model does not exist: check the path/, "no-such-model"),
    zeroShotAnswer((nb) => nb.cellsWithSource("classifier.classify(text, labels)")),
    zeroShotAnswer((nb) => nb.cellsWithSource("{ multiLabel: true }")),
    htmlTableWith("hand-computed and library scores side by side", ["label", "single-label, by hand", "single-label, library", "multi-label, by hand", "multi-label, library"], 4),
    printed("the largest difference between hand and library scores (both tiny), by mode", /'single-label': [\d.e-]+,\s*'multi-label': [\d.e-]+/, "assertScoresAgree"),
    htmlTableWith("scores under each template", ["label", "This example is {}.", "This text is about {}.", "The writer is talking about {}."], 5),
  ],
  "02-deployment.ipynb": [
    markdownShown("that SageMaker runs in local mode, and how to use AWS", /\*\*SageMaker:\*\* local mode[\s\S]*ZERO_SHOT_SAGEMAKER=aws/),
    printed("the Hugging Face inference image URIs", /huggingface-pytorch-inference:.*cpu[\s\S]*huggingface-pytorch-inference:.*gpu/, "huggingFaceInferenceImage(region)"),
    // "Creating" shows only when the first poll beats the model load (Deno loads faster): not asserted.
    printed("the endpoint's status lines while it is created, ending InService", /^endpoint [^:\n]+: InService \(\d+ s\)$/m, "sm.deployModel"),
    printed("the model's container environment (HF_MODEL_ID, HF_TASK)", /HF_MODEL_ID: '[^']+'[\s\S]*HF_TASK: 'zero-shot-classification'/, "DescribeModelCommand"),
    htmlShown("the DescribeEndpoint table with EndpointStatus InService", /<td[^>]*>EndpointStatus<\/td><td[^>]*>InService<\/td>/),
    zeroShotAnswer((nb) => nb.cellsWithSource("sm.invokeEndpoint")),
    htmlTableWith("the approximate instance prices", ["instance type", "GPU", "USD per hour", "USD per 30 days"], 5),
    htmlShown("ml.m5.xlarge, ml.c5.xlarge and ml.g4dn.xlarge in the prices table", /ml\.m5\.xlarge[\s\S]*ml\.c5\.xlarge[\s\S]*ml\.g4dn\.xlarge/),
    printed("the clean-up deleting endpoint, endpoint config and model", /deleted: \[\s*'endpoint [^']+',\s*'endpoint config [^']+',\s*'model [^']+'\s*\]/, "const cleanup"),
    printed("a second clean-up finding everything already gone", /deleted: \[\],\s*alreadyGone: \[\s*'endpoint /, "sm.deleteDeployment"),
    chartTitled("The endpoint's life cycle"),
  ],
  "03-real-time-inference.ipynb": [
    printed("the endpoint's status lines, ending InService", /: InService \(/, "deployOrReuse"),
    printed("the JumpStart payload as JSON with the nine candidate labels", /"inputs": "[\s\S]*"candidate_labels": \[[\s\S]*"Time Management"[\s\S]*"multi_label": false/, "JSON.stringify(request"),
    zeroShotAnswerWith("a {sequence, labels, scores} answer with the walkthrough's nine labels", WALKTHROUGH_LABELS),
    htmlTableWith("the answer as a table, one row per label", ["rank", "label", "score"], 9),
    zeroShotAnswerWith("a multi-label answer with the nine labels", WALKTHROUGH_LABELS, "multi_label: true"),
    htmlTableWith("single-label and multi-label scores side by side", ["label", "single-label", "multi-label"], 9),
    printed("the p50 latency of ten calls", /calls: 10,\s*p50_ms: [\d.]+/, "latency.p50"),
    markdownShown("the walkthrough's published answer, labelled as recorded, with Personal Growth 0.4199 first", /\*\*Recorded, not live:\*\*[\s\S]*1\. \*\*Personal Growth\*\*: 0\.4199\n2\. \*\*Time Management\*\*: not shown/),
    chartTitled("The answer's scores"),
    chartTitled("Latency of each call"),
    printed("a bad request refused before sending (InputError)", /type: 'InputError'/, "candidate_labels: []"),
    printed("a bad request rejected by the endpoint (EndpointModelError, original status 400)", /type: 'EndpointModelError'[\s\S]*originalStatusCode: 400/, "invokeWithRawBody"),
    printed("an unknown endpoint (EndpointNotFoundError)", /type: 'EndpointNotFoundError'/, "no-such-endpoint"),
    printed("the clean-up deleting what the notebook created", /deleted: \[\s*'endpoint [\s\S]*'model /, "cleanUpEndpoint"),
  ],
  "04-batch-transform-and-evaluation.ipynb": [
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
    markdownShown("the recorded-results note for the data beside the random metrics", /\*\*Recorded results:\*\* no real model's answers to the resolutions data|\*\*Recorded, not live:\*\* .* labelled rows of/),
    vegaLiteWithStaticImage(),
    vegaLiteCharts(7),
    chartTitled("Multi-label: precision, recall and F1 by threshold"),
    chartTitled("Score of each label, on texts of that label and on the others (share of each group)"),
    htmlShown("the three templates' metrics in one table", /This example is \{\}\.[\s\S]*This resolution is about \{\}\.[\s\S]*The goal of this tweet is \{\}\./),
    printed("the score cache's counts", /pairs: \d+,\s*unique: \d+,\s*cached: \d+,\s*computed: \d+/, "scorer.totals"),
  ],
};
