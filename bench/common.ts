/** What the benchmarks share: their inputs (the project's own resolution-like tweets) and peak memory. */
import { readFileSync } from "node:fs";
import { RESOLUTION_LABELS } from "../src/data/resolutions";
import { sampleRows } from "../src/data/sample";

/** The walkthrough's nine candidate labels. */
export const LABELS: string[] = [...RESOLUTION_LABELS];

let sampleTexts: string[] | undefined;

/**
 * The `index`-th resolution-like tweet, the same every run: the synthetic sample's texts, cycled, made
 * distinct past the first round so no benchmark is helped by repeated texts.
 */
export function resolutionText(index: number): string {
  sampleTexts ??= sampleRows()
    .slice(1)
    .map((row) => row[3].replace(/\s+/g, " "));
  const text = sampleTexts[index % sampleTexts.length];
  return index < sampleTexts.length ? text : `${text} (${Math.floor(index / sampleTexts.length)})`;
}

/** The first `count` of `resolutionText`. */
export function resolutionTexts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => resolutionText(i));
}

/** The process's peak resident memory so far (VmHWM), in MB. */
export function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) / 1024 : process.memoryUsage().rss / 1024 / 1024;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
