/** Polling a SageMaker resource until it settles, with progress a person can watch. */
import { SageMakerTimeoutError } from "./errors";

/** One observation of a resource while waiting. */
export interface WaitProgress {
  /** "endpoint my-endpoint", "transform job my-job". */
  resource: string;
  status: string;
  elapsedMs: number;
}

export interface WaitOptions {
  /** Called at every poll. Default: a line on stderr whenever the status changes. */
  onProgress?: (progress: WaitProgress) => void;
  pollIntervalMs?: number;
  /** Give up after this long. Default 60 minutes. */
  timeoutMs?: number;
}

/** Prints one stderr line per status change (and, on a terminal, a live elapsed-time counter). */
export function statusLinePrinter(stream: NodeJS.WriteStream = process.stderr): (progress: WaitProgress) => void {
  let last = "";
  return ({ resource, status, elapsedMs }) => {
    const line = `${resource}: ${status} (${Math.round(elapsedMs / 1000)} s)`;
    if (stream.isTTY) stream.write(`\r${line}   `);
    else if (status !== last) stream.write(`${line}\n`);
    if (stream.isTTY && status !== last && last !== "") stream.write("\n");
    last = status;
  };
}

/** Polls `describe` until `settled(status)`; returns the last description. */
export async function waitForStatus<T>(
  resource: string,
  describe: () => Promise<T>,
  statusOf: (description: T) => string,
  settled: (status: string) => boolean,
  options: WaitOptions & { pollIntervalMs: number },
): Promise<T> {
  const start = Date.now();
  const timeoutMs = options.timeoutMs ?? 60 * 60 * 1000;
  const report = options.onProgress ?? statusLinePrinter();
  for (;;) {
    const description = await describe();
    const status = statusOf(description);
    const elapsedMs = Date.now() - start;
    report({ resource, status, elapsedMs });
    if (settled(status)) {
      if (!options.onProgress && process.stderr.isTTY) process.stderr.write("\n");
      return description;
    }
    if (elapsedMs > timeoutMs) {
      throw new SageMakerTimeoutError(
        `${resource} is still ${status} after ${Math.round(elapsedMs / 1000)} s: wait longer (timeoutMs) or look at it in the SageMaker console; it keeps running (and billing) until deleted`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
  }
}
