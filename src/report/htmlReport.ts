/**
 * A self-contained HTML report of an evaluation: tables of the metrics and the charts as inline SVG,
 * so it opens in any browser, offline, with no script or external file.
 */
import { writeFileSync } from "node:fs";
import { evaluationCharts } from "../charts/evaluationCharts";
import { renderSvg } from "../charts/render";
import type { Evaluation } from "../evaluation/evaluate";
import { summaryRows } from "../evaluation/results";
import { escapeHtml as escape } from "../io/html";


function cell(value: unknown): string {
  if (typeof value === "number") return `<td class="num">${Number.isInteger(value) ? value : value.toFixed(4)}</td>`;
  return `<td>${escape(String(value ?? ""))}</td>`;
}

function table(rows: readonly Record<string, unknown>[], caption?: string): string {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]);
  return [
    "<table>",
    caption ? `<caption>${escape(caption)}</caption>` : "",
    `<thead><tr>${columns.map((c) => `<th>${escape(c)}</th>`).join("")}</tr></thead>`,
    `<tbody>${rows.map((row) => `<tr>${columns.map((c) => cell(row[c])).join("")}</tr>`).join("\n")}</tbody>`,
    "</table>",
  ].join("\n");
}

const STYLE = `
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5em 0; } .note { color: #666; font-size: 0.9em; }
.warning { background: #fff3cd; border: 1px solid #e0b400; padding: 0.6em 1em; font-weight: bold; }`;

/** Report details besides the evaluation. */
export interface ReportOptions {
  title?: string;
  /** Where the data came from, e.g. the CSV path. */
  dataSource?: string;
  /** Extra notes shown under the title, e.g. rows the loader left out. */
  notes?: readonly string[];
  /** A warning shown as a banner above everything, e.g. `RANDOM_MODEL_WARNING` for a generated test model. */
  modelWarning?: string;
}

/** The report as one HTML document. */
export async function renderHtmlReport(evaluation: Evaluation, options: ReportOptions = {}): Promise<string> {
  const title = options.title ?? `Zero-shot evaluation of ${evaluation.model}`;
  const leftOut = Object.entries(evaluation.leftOut);
  const notes = [
    `${evaluation.size} texts, ${evaluation.labels.length} candidate labels (${evaluation.labels.join(", ")})${evaluation.multiLabel ? ", multi-label" : ""}.`,
    ...(options.dataSource ? [`Data: ${options.dataSource}.`] : []),
    ...(options.notes ?? []),
    ...(leftOut.length ? [`Rows whose gold label is not a candidate label were left out: ${leftOut.map(([label, count]) => `${label} ${count}`).join(", ")}.`] : []),
  ];
  const sections: string[] = [];
  sections.push(`<h2>Summary</h2>\n${table(summaryRows(evaluation))}`);
  for (const t of evaluation.templates) {
    const perClass = t.perClass.map(({ label, precision, recall, f1, support, predicted }) => ({ label, precision, recall, f1, support, predicted }));
    let section = `<h2>Template “${escape(t.template)}”</h2>\n${table(perClass, "Per label")}`;
    if (t.multiLabel) {
      section += table(
        t.multiLabel.perLabel.map(({ label, precision, recall, f1, support, predicted }) => ({ label, precision, recall, f1, support, predicted })),
        `Multi-label, threshold ${t.multiLabel.threshold}: subset accuracy ${t.multiLabel.subsetAccuracy.toFixed(4)}, micro-F1 ${t.multiLabel.microF1.toFixed(4)}, macro-F1 ${t.multiLabel.macroF1.toFixed(4)}, Hamming loss ${t.multiLabel.hammingLoss.toFixed(4)}`,
      );
    }
    sections.push(section);
  }
  sections.push("<h2>Charts</h2>");
  for (const chart of evaluationCharts(evaluation)) {
    sections.push(`<figure id="${chart.id}">\n${await renderSvg(chart.spec, { idPrefix: chart.id })}\n</figure>`);
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${options.modelWarning ? `<p class="warning" role="alert">Warning: ${escape(options.modelWarning)}</p>\n` : ""}<h1>${escape(title)}</h1>
${notes.map((note) => `<p class="note">${escape(note)}</p>`).join("\n")}
${sections.join("\n")}
</body>
</html>
`;
}

/** Writes the report to `path`. */
export async function writeHtmlReport(path: string, evaluation: Evaluation, options: ReportOptions = {}): Promise<void> {
  writeFileSync(path, await renderHtmlReport(evaluation, options));
}
