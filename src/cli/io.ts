/**
 * What a command talks to: its output streams, environment, working directory, and when to stop. The
 * `zero-shot` binary passes the process's own (`processIo`); tests and embedding code call a command
 * in-process with their own, so no command writes to `process.stdout` or exits the process itself.
 */
import { resolve } from "node:path";
import type { ZeroShotClassifier } from "../classification/classifier";

/** Where a command writes text: `process.stdout` / `process.stderr`, or anything with `write`. */
export interface OutputStream {
  write(text: string): unknown;
  /** Progress bars are drawn only on a terminal. */
  readonly isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Variables the CLI reads itself (e.g. ZERO_SHOT_DEBUG). */
  env: NodeJS.ProcessEnv;
  /** Relative file arguments (--input, --data, --report, --out, a model directory ...) resolve against it. */
  cwd: string;
  /** Aborted, with a reason such as "SIGTERM", when a command that runs until stopped (serve, local-sagemaker) should stop. */
  stop?: AbortSignal;
  /**
   * Classifiers already loaded, keyed by model and load options: an in-process caller that runs many
   * commands on one model (a test file) loads it once. Absent: every run loads its model.
   */
  classifiers?: Map<string, Promise<ZeroShotClassifier>>;
}

/** The process's own streams, environment and directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** A file argument resolved against the command's working directory; `undefined` stays `undefined`. */
export function filePath(io: CliIo, path: string): string;
export function filePath(io: CliIo, path: string | undefined): string | undefined;
export function filePath(io: CliIo, path: string | undefined): string | undefined {
  return path === undefined ? undefined : resolve(io.cwd, path);
}

/** Resolves with the stop reason (e.g. "SIGTERM") once `io.stop` is aborted; never without one. */
export function stopRequested(io: CliIo): Promise<string> {
  const stop = io.stop;
  if (!stop) return new Promise<string>(() => undefined);
  if (stop.aborted) return Promise.resolve(String(stop.reason));
  return new Promise<string>((resolvePromise) => stop.addEventListener("abort", () => resolvePromise(String(stop.reason)), { once: true }));
}

/**
 * An AbortSignal aborted by the process's first SIGINT or SIGTERM (its reason is the signal's name), or
 * when `parentGone` resolves (npm's process ended under npx). A second signal while the command is still
 * stopping means "now": the process exits with 1.
 */
export function stopOnSignals(stderr: OutputStream = process.stderr, parentGone?: Promise<void>): AbortSignal {
  const controller = new AbortController();
  void parentGone?.then(() => {
    if (!controller.signal.aborted) controller.abort("parent process exited");
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) return controller.abort(signal);
    stderr.write(`zero-shot: ${signal} again: stopping without waiting\n`);
    process.exit(1);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return controller.signal;
}
