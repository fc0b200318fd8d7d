/**
 * Hub download progress for a notebook: a terminal's redrawn line does not work in a cell's output, so
 * this prints one line per file each time it passes another 10%, which tslab streams as the cell runs.
 */
import type { ProgressInfo } from "../backends/local/transformers";
import { formatBytes } from "../io/bytes";

/** A `LocalModelOptions.onDownloadProgress` for notebooks; `write` defaults to `console.log`, which both kernels show in the cell. */
export function notebookDownloadProgress(write: (line: string) => void = (line) => console.log(line), stepPercent = 10): (info: ProgressInfo) => void {
  const reported = new Map<string, number>();
  return (info) => {
    if (info.status !== "progress") return;
    const key = `${info.name}/${info.file}`;
    const step = Math.floor(info.progress / stepPercent) * stepPercent;
    if (step <= (reported.get(key) ?? -1)) return;
    reported.set(key, step);
    write(`downloading ${key}: ${step}% (${formatBytes(info.loaded)} of ${formatBytes(info.total)})`);
  };
}
