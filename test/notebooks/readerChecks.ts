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
};
