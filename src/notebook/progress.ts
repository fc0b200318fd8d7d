/**
 * Progress of a long evaluation in a tslab notebook: one output line that updates in place (a Jupyter
 * display id), the notebook's counterpart of the CLI's terminal bar. Outside a kernel it does nothing.
 */
import { kernelDisplayWriter, type KernelDisplayWriter } from "./kernel";

/**
 * A progress callback for `evaluate(..., { onProgress })` in a notebook cell.
 * @example await evaluate(classifier, dataset, { onProgress: notebookProgress("scoring pairs") });
 */
export function notebookProgress(label: string, options: { write?: KernelDisplayWriter; minIntervalMs?: number } = {}): (done: number, total: number) => void {
  const write = options.write ?? kernelDisplayWriter();
  const displayId = `zero-shot-progress-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  let shown = false;
  let last = 0;
  return (done, total) => {
    if (!write) return;
    const now = Date.now();
    if (shown && done < total && now - last < (options.minIntervalMs ?? 250)) return;
    last = now;
    const percent = total ? Math.round((100 * done) / total) : 100;
    const text = `${label}: ${done}/${total} pairs (${percent}%)`;
    const html = `<div style="font-family: monospace">${label.replace(/[&<>]/g, "")}: <progress value="${done}" max="${total || 1}"></progress> ${done}/${total} pairs (${percent}%)</div>`;
    write({ data: { "text/html": html, "text/plain": text }, metadata: {}, transient: { display_id: displayId } }, shown);
    shown = true;
  };
}
