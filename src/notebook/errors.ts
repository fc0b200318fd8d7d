/**
 * A project error in a notebook shows as one actionable line ("ModelLoadError: model directory ... does
 * not exist: check the path ..."), not a 40-line stack: its message already says what to do. The stack
 * stays available on request: `notebook.lastErrorStack()`, or `ZERO_SHOT_DEBUG=1` before Jupyter starts.
 */
import { ZeroShotError } from "../errors";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
let lastStack: string | undefined;

/** One line: the error's kind and its message. */
export function errorLine(error: { name: string; message: string }): string {
  return `${error.name}: ${error.message.replace(/\s*\n\s*/g, " ")}`;
}

/**
 * Shows project errors as one line in this kernel (tslab prints `inspect(error)`, Deno the stack), keeping
 * each full stack for `lastErrorStack()`. With `ZERO_SHOT_DEBUG` set, or `{ stacks: true }`, stacks show as usual.
 */
export function oneLineErrors(options: { stacks?: boolean } = {}): void {
  if (options.stacks || process.env.ZERO_SHOT_DEBUG) {
    ZeroShotError.onCreate = undefined;
    delete (ZeroShotError.prototype as unknown as Record<symbol, unknown>)[INSPECT];
    return;
  }
  ZeroShotError.onCreate = (error) => {
    lastStack = error.stack;
    error.stack = errorLine(error);
  };
  Object.defineProperty(ZeroShotError.prototype, INSPECT, {
    value(this: ZeroShotError) {
      return errorLine(this);
    },
    configurable: true,
    writable: true,
  });
}

/** The full stack of the last project error, for when one line is not enough. */
export function lastErrorStack(): string {
  return lastStack ?? "no project error so far";
}
