/**
 * Records an endpoint's life cycle while the workflow runs, for notebook 02's timeline: the status lines
 * still print as they happen, and each change is kept with its time.
 */
import type { LifecyclePhase } from "../charts/endpointTimeline";

/** A workflow progress report: a resource, its status, and the time since the wait began. */
export type StatusReport = { resource: string; status: string; elapsedMs: number };

/**
 * Prints one line per status change in a notebook cell ("endpoint e: InService (4 s)"). It prints with
 * `console.log`, which both kernels show in the cell (Deno's kernel does not capture `process.stdout`).
 * @example await sm.deployModel(clients, { ...settings, onProgress: notebook.statusLines() });
 */
export function statusLines(print: (line: string) => void = (line) => console.log(line)): (progress: StatusReport) => void {
  let last = "";
  return ({ resource, status, elapsedMs }) => {
    if (`${resource}:${status}` === last) return;
    last = `${resource}:${status}`;
    print(`${resource}: ${status} (${Math.round(elapsedMs / 1000)} s)`);
  };
}

/** A status the workflow reported, with when it was first seen. */
export interface LifecycleEvent {
  phase: string;
  at: number;
}

/** The recorder: pass `onProgress` to `deployModel`, `mark` what the workflow does not report, then chart `phases()`. */
export interface LifecycleTimeline {
  onProgress: (progress: { resource: string; status: string; elapsedMs: number }) => void;
  /** Starts a phase now (e.g. "creating resources" before deployModel, "deleting" before the clean-up). */
  mark(phase: string): void;
  /** Each phase from its start to the next one's (the last ends now, or at `end()`). */
  phases(): LifecyclePhase[];
  /** Ends the last phase. */
  end(): void;
  readonly events: readonly LifecycleEvent[];
}

/** A new recorder; `print` receives the status reports (default: `statusLines()`, one line per change). */
export function lifecycleTimeline(options: { print?: (progress: { resource: string; status: string; elapsedMs: number }) => void; now?: () => number } = {}): LifecycleTimeline {
  const now = options.now ?? Date.now;
  const print = options.print ?? statusLines();
  const events: LifecycleEvent[] = [];
  let ended: number | undefined;
  const mark = (phase: string) => {
    if (events.at(-1)?.phase !== phase) events.push({ phase, at: now() });
    ended = undefined;
  };
  return {
    events,
    onProgress: (progress) => {
      print(progress);
      mark(progress.status);
    },
    mark,
    end: () => {
      ended = now();
    },
    phases: () => {
      const start = events[0]?.at ?? now();
      const last = ended ?? now();
      return events.map((event, i) => ({ phase: event.phase, startSeconds: (event.at - start) / 1000, endSeconds: ((events[i + 1]?.at ?? last) - start) / 1000 }));
    },
  };
}
