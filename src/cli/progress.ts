/**
 * Progress on a terminal: one line on stderr, redrawn in place. Silent when stderr is not a terminal
 * (pipes, CI logs, `--json` consumers), so output stays clean.
 */
import type { ProgressInfo } from "../backends/local/transformers";
import type { ProgressCallback } from "../classification/contract";
import { formatBytes } from "../io/bytes";
import type { OutputStream } from "./io";

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

/** A progress reporter for `done / total` units of work; `finish()` ends the line. */
export function terminalProgress(label: string, stream: OutputStream = process.stderr): ProgressCallback & { finish(): void } {
  let drawn = false;
  let lastDraw = 0;
  const report = ((done: number, total: number) => {
    if (!stream.isTTY) return;
    const now = Date.now();
    if (done < total && now - lastDraw < 100) return;
    lastDraw = now;
    stream.write(`\r${label} ${bar(total ? done / total : 1)} ${done}/${total}`);
    drawn = true;
  }) as ProgressCallback & { finish(): void };
  report.finish = () => {
    if (drawn) stream.write("\n");
    drawn = false;
  };
  return report;
}

/** Shows hub downloads file by file on a terminal: name, bar, bytes. */
export function downloadProgress(stream: OutputStream = process.stderr): (info: ProgressInfo) => void {
  let lastDraw = 0;
  return (info) => {
    if (!stream.isTTY) return;
    if (info.status === "progress") {
      const now = Date.now();
      if (info.loaded < info.total && now - lastDraw < 100) return;
      lastDraw = now;
      stream.write(`\rdownloading ${info.name}/${info.file} ${bar(info.progress / 100)} ${formatBytes(info.loaded)}/${formatBytes(info.total)}`);
    } else if (info.status === "done" && "file" in info) {
      stream.write(`\rdownloaded ${info.name}/${info.file}${" ".repeat(30)}\n`);
    }
  };
}
