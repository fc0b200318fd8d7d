/** Fixed chart data, so snapshots change only when the charts do. */
import type { ClassMetrics } from "../../src/evaluation/classMetrics";
import type { ConfusionMatrix } from "../../src/evaluation/confusionMatrix";
import { reliability } from "../../src/evaluation/reliability";

export const labels = ["Health", "Finance", "Career", "Humor"];

export const confusion: ConfusionMatrix = {
  labels,
  counts: [
    [12, 1, 0, 2],
    [2, 8, 1, 0],
    [0, 3, 5, 1],
    [4, 0, 0, 6],
  ],
};

/** 40 predictions with scores spread over [0.25, 1), correct ones higher. */
export const predictions = Array.from({ length: 40 }, (_, i) => {
  const gold = labels[i % 4];
  const correct = i % 3 !== 0;
  const score = correct ? 0.55 + ((i * 7) % 40) / 100 : 0.25 + ((i * 11) % 40) / 100;
  const predicted = correct ? gold : labels[(i + 1) % 4];
  const scores = Object.fromEntries(labels.map((label) => [label, label === predicted ? score : (1 - score) / 3]));
  return { text: `text ${i}`, gold, predicted, score, correct, scores };
});

const metrics = (label: string, precision: number, recall: number, support: number): ClassMetrics => ({
  label,
  precision,
  recall,
  f1: (2 * precision * recall) / (precision + recall),
  support,
  predicted: Math.round((recall * support) / precision),
});

export const perClass = [
  { ...metrics("Health", 0.67, 0.8, 15), template: "This example is {}." },
  { ...metrics("Finance", 0.67, 0.73, 11), template: "This example is {}." },
  { ...metrics("Career", 0.83, 0.56, 9), template: "This example is {}." },
  { ...metrics("Humor", 0.67, 0.6, 10), template: "This example is {}." },
  { ...metrics("Health", 0.75, 0.8, 15), template: "This resolution is about {}." },
  { ...metrics("Finance", 0.7, 0.64, 11), template: "This resolution is about {}." },
  { ...metrics("Career", 0.8, 0.44, 9), template: "This resolution is about {}." },
  { ...metrics("Humor", 0.5, 0.7, 10), template: "This resolution is about {}." },
];

export const calibration = reliability(
  predictions.map((p) => p.score),
  predictions.map((p) => p.correct),
  10,
);

export const templates = [
  { template: "This example is {}.", accuracy: 0.689, macroF1: 0.676, topK: [{ k: 1, accuracy: 0.689 }, { k: 3, accuracy: 0.911 }] },
  { template: "This resolution is about {}.", accuracy: 0.711, macroF1: 0.668, topK: [{ k: 1, accuracy: 0.711 }, { k: 3, accuracy: 0.933 }] },
  { template: "My New Year's resolution: {}", accuracy: 0.6, macroF1: 0.55, topK: [{ k: 1, accuracy: 0.6 }, { k: 3, accuracy: 0.85 }] },
];
