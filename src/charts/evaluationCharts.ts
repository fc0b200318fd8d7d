/** The charts of an evaluation, as the HTML report and the notebooks show them. */
import type { Evaluation } from "../evaluation/evaluate";
import { confusionMatrixChart } from "./confusionMatrix";
import { labelScoreHistogramsChart } from "./labelScoreHistograms";
import { perClassF1Chart } from "./perClassF1";
import { reliabilityChart } from "./reliability";
import { scoreDistributionChart } from "./scoreDistribution";
import type { TopLevelSpec } from "./spec";
import { templateComparisonChart } from "./templateComparison";

/** A named chart. */
export interface NamedChart {
  id: string;
  title: string;
  spec: TopLevelSpec;
}

/**
 * Every chart of an evaluation: the template comparison and per-class F1 across templates, then the
 * confusion matrix, score distributions and reliability diagram of one template (default the first).
 */
export function evaluationCharts(evaluation: Evaluation, template = 0): NamedChart[] {
  const chosen = evaluation.templates[template];
  const charts: NamedChart[] = [];
  if (evaluation.templates.length > 1) {
    charts.push({ id: "templates", title: "Hypothesis templates compared", spec: templateComparisonChart(evaluation.templates) });
  }
  charts.push(
    { id: "f1", title: "F1 per label", spec: perClassF1Chart(evaluation.templates.flatMap((t) => t.perClass.map((metrics) => ({ ...metrics, template: t.template })))) },
    { id: "confusion", title: `Confusion matrix (${chosen.template})`, spec: confusionMatrixChart(chosen.confusion, { title: `Confusion matrix: "${chosen.template}"` }) },
    { id: "scores", title: "Top score of correct and wrong predictions", spec: scoreDistributionChart(chosen.predictions) },
    { id: "label-scores", title: "Score of each label", spec: labelScoreHistogramsChart(chosen.predictions, evaluation.labels) },
    {
      id: "reliability",
      title: "Reliability diagram",
      spec: reliabilityChart(chosen.reliability.bins, { expectedCalibrationError: chosen.reliability.expectedCalibrationError }),
    },
  );
  return charts;
}
