/**
 * Progress on a terminal: one line on stderr, redrawn in place, with the rate and the time left. Silent when
 * stderr is not a terminal (pipes, CI logs, `--json` consumers), so output stays clean.
 */
import { isAbsolute } from "node:path";
import type { ProgressInfo } from "../backends/local/transformers";
import type { ProgressCallback } from "../classification/contract";
import { formatBytes } from "../io/bytes";
import type { OutputStream } from "./io";

/** Where a progress line goes, and the clock it measures rates with (tests pass their own). */
export interface ProgressOptions {
  stream?: OutputStream;
  now?: () => number;
}

/** Redraws at most this often, so a fast loop does not flood the terminal. */
const REDRAW_MS = 100;

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

/** A duration as a clock reads: "0:07", "12:34", "1:02:03". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/**
 * "120 pairs/s, 0:42 left" from the work done since `elapsedMs` ago (the mean rate so far); empty until
 * there is something to measure. `format` prints the rate's amount (bytes, for downloads).
 */
export function rateAndEta(done: number, total: number, elapsedMs: number, unit: string, format: (n: number) => string = formatCount): string {
  if (done <= 0 || elapsedMs <= 0) return "";
  const perSecond = done / (elapsedMs / 1000);
  const rate = `${format(perSecond)}${unit}/s`;
  if (done >= total) return `${rate}, took ${formatDuration(elapsedMs / 1000)}`;
  return `${rate}, ${formatDuration((total - done) / perSecond)} left`;
}

function formatCount(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n >= 10 ? n.toFixed(0) : n.toFixed(1);
}

/**
 * A progress reporter for `done / total` units of work (bar, counts, rate, time left); `finish()` ends the line.
 * @example
 * const progress = terminalProgress("classifying", { unit: "pairs" });
 * await classifier.classify(texts, labels, { onProgress: progress });
 * progress.finish();
 */
export function terminalProgress(label: string, options: ProgressOptions & { unit?: string } = {}): ProgressCallback & { finish(): void } {
  const { stream = process.stderr, now = Date.now, unit = "" } = options;
  const started = now();
  let drawn = false;
  let lastDraw = -Infinity;
  const report = ((done: number, total: number) => {
    if (!stream.isTTY) return;
    const time = now();
    if (done < total && time - lastDraw < REDRAW_MS) return;
    lastDraw = time;
    const measured = rateAndEta(done, total, time - started, unit ? ` ${unit}` : "");
    stream.write(`\r${label} ${bar(total ? done / total : 1)} ${done}/${total}${measured ? ` ${measured}` : ""}\x1b[K`);
    drawn = true;
  }) as ProgressCallback & { finish(): void };
  report.finish = () => {
    if (drawn) stream.write("\n");
    drawn = false;
  };
  return report;
}

/** Shows hub downloads file by file on a terminal: name, bar, bytes, speed and time left (local directories: nothing). */
export function downloadProgress(options: ProgressOptions = {}): (info: ProgressInfo) => void {
  const { stream = process.stderr, now = Date.now } = options;
  const started = new Map<string, number>();
  let lastDraw = -Infinity;
  return (info) => {
    // transformers.js reports local model directories (absolute paths here) file by file too: nothing is downloaded.
    if (!stream.isTTY || !("file" in info) || isAbsolute(info.name)) return;
    const key = `${info.name}/${info.file}`;
    if (info.status === "download") started.set(key, now());
    else if (info.status === "progress") {
      const time = now();
      if (!started.has(key)) started.set(key, time);
      if (info.loaded < info.total && time - lastDraw < REDRAW_MS) return;
      lastDraw = time;
      const measured = rateAndEta(info.loaded, info.total, time - started.get(key)!, "", formatBytes);
      stream.write(`\rdownloading ${key} ${bar(info.progress / 100)} ${formatBytes(info.loaded)}/${formatBytes(info.total)}${measured ? ` ${measured}` : ""}\x1b[K`);
    } else if (info.status === "done") {
      stream.write(`\rdownloaded ${key}\x1b[K\n`);
    }
  };
}

/**
 * A step with no measurable progress (loading a model into ONNX Runtime can take many seconds): on a
 * terminal, one line when it starts and one with its duration when it ends, so a wait is never silent.
 * @example const classifier = await timedStep(`loading ${model}`, () => loadClassifier(model));
 */
export async function timedStep<T>(label: string, task: () => Promise<T>, options: ProgressOptions = {}): Promise<T> {
  const { stream = process.stderr, now = Date.now } = options;
  const started = now();
  if (stream.isTTY) stream.write(`${label} ...\n`);
  const result = await task();
  if (stream.isTTY) stream.write(`${label}: done in ${formatDuration((now() - started) / 1000)}\n`);
  return result;
}
