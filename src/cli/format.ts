/** Human-readable renderings of results for the terminal. */
import type { ZeroShotResult } from "../payload/types";

const BAR_WIDTH = 30;

/** Each text, then its labels sorted by score with the score and a bar: readable at a glance. A `warning` (e.g. a random test model's) comes first. */
export function formatResultTable(results: readonly ZeroShotResult[], options: { warning?: string } = {}): string {
  const warning = options.warning ? `warning: ${options.warning}\n\n` : "";
  return warning + results
    .map((result) => {
      const width = Math.max(...result.labels.map((label) => label.length));
      const rows = result.labels.map((label, i) => {
        const score = result.scores[i];
        return `  ${label.padEnd(width)}  ${score.toFixed(4)}  ${"█".repeat(Math.round(score * BAR_WIDTH))}`;
      });
      return [result.sequence.replace(/\s+/g, " "), ...rows].join("\n");
    })
    .join("\n\n") + "\n";
}
