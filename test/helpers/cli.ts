/**
 * The `zero-shot` CLI for tests: `runCliInProcess` calls the command in this process (the default: fast,
 * and a test file can share one loaded model across runs); `runCli` spawns the real binary (from src/
 * through tsx, so no build is needed), kept for one smoke test per command.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { ZeroShotClassifier } from "../../src/classification/classifier";
import { run } from "../../src/cli/main";

export const CLI_ENTRY = resolve(__dirname, "../../src/cli/main.ts");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI_ENTRY, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export interface InProcessOptions {
  /** Added to a copy of process.env. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Shared by the runs of a test file, so each model loads once. */
  classifiers?: Map<string, Promise<ZeroShotClassifier>>;
  /** Aborting it stops a command that runs until stopped (serve, local-sagemaker). */
  stop?: AbortSignal;
  /** Sees stdout as it is written (e.g. to wait for a "listening on" line). */
  onStdout?: (text: string) => void;
}

/** Runs `zero-shot ARGS...` in this process; streams are captured and are not terminals. */
export async function runCliInProcess(args: string[], options: InProcessOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: {
      write: (text: string) => {
        stdout += text;
        options.onStdout?.(text);
        return true;
      },
      isTTY: false,
    },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: { ...process.env, ...options.env },
    cwd: options.cwd ?? process.cwd(),
    classifiers: options.classifiers,
    stop: options.stop,
  });
  return { code, stdout, stderr };
}
