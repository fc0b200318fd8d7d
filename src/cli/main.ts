#!/usr/bin/env node
/**
 * `zero-shot`: the command-line entry. Each subcommand is its own module with `run(argv, io)`, loaded
 * only when called, so `--help` is instant and no command pays for another's dependencies. `run` here
 * is the whole CLI in-process: it returns the exit code and never exits the process.
 */
import { readFileSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { join } from "node:path";
import { inspect } from "node:util";
import { ZeroShotError } from "../errors";
import { processIo, stopOnSignals, type CliIo } from "./io";
import { parentExit } from "./listen";
import { userCacheDir } from "../io/cacheHome";

export type { CliIo } from "./io";

interface Command {
  summary: string;
  load: () => Promise<{ run(argv: string[], io: CliIo): Promise<number> }>;
  /** Runs until stopped (SIGINT / SIGTERM from the binary, `io.stop` in-process). */
  runsUntilStopped?: boolean;
}

const COMMANDS: Record<string, Command> = {
  classify: { summary: "classify texts against candidate labels with a local NLI model", load: async () => require("./classify") as typeof import("./classify") },
  serve: { summary: "serve a model over SageMaker's HTTP contract (AWS SDK InvokeEndpoint works)", load: async () => require("./serve") as typeof import("./serve"), runsUntilStopped: true },
  "local-sagemaker": { summary: "run SageMaker locally (endpoints, batch transform, S3) for the unmodified AWS SDK clients", load: async () => require("./localSagemaker") as typeof import("./localSagemaker"), runsUntilStopped: true },
  evaluate: { summary: "measure a model on a labelled CSV (accuracy, F1, charts, HTML report), with a score cache", load: async () => require("./evaluate") as typeof import("./evaluate") },
  data: { summary: "fetch the New Year's resolutions dataset (sha256-checked) or write the synthetic sample", load: async () => require("./data") as typeof import("./data") },
  models: { summary: "list the zero-shot models SageMaker JumpStart offers (--task zstc), offline from a bundled snapshot", load: async () => require("./models") as typeof import("./models") },
  pull: { summary: "download a hub model once, saying how big it is, into a cache a classroom can share", load: async () => require("./pull") as typeof import("./pull") },
  "make-model": { summary: "generate a random-weight NLI test model (offline tests, benchmarks)", load: async () => require("./makeModel") as typeof import("./makeModel") },
};

const HELP = `zero-shot: zero-shot text classification by natural language inference

Usage: zero-shot <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(16)} ${command.summary}`)
  .join("\n")}

Run "zero-shot <command> --help" for a command's options; "zero-shot --version" prints the version.
`;

/** The package's version, from its package.json (two folders up from both src/cli and dist/cli). */
export function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
}

/** Prints an error a person can act on; stack traces only with ZERO_SHOT_DEBUG=1. Returns the exit code. */
export function reportError(error: unknown, io: Pick<CliIo, "stderr" | "env"> = processIo()): number {
  if (io.env.ZERO_SHOT_DEBUG) io.stderr.write(`${inspect(error)}\n`);
  if (error instanceof ZeroShotError) {
    io.stderr.write(`zero-shot: error: ${error.message}\n`);
    return error.code === "invalid_input" ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`zero-shot: unexpected error: ${message}\n(run again with ZERO_SHOT_DEBUG=1 for details)\n`);
  return 1;
}

/**
 * Runs `zero-shot ARGV...` in this process and returns its exit code (0 done, 1 failed, 2 usage error).
 * @example
 * const code = await run(["classify", "I will run a marathon", "--labels", "Health,Finance"], processIo());
 */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(HELP);
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`zero-shot: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** The binary's entry: `run` with the process's streams; SIGINT / SIGTERM stop the commands that run until stopped. */
export async function main(argv: string[]): Promise<number> {
  const io = processIo();
  if (!(Object.hasOwn(COMMANDS, argv[0] ?? "") && COMMANDS[argv[0]].runsUntilStopped)) return run(argv, io);
  // Under npx, SIGTERM to npm ends npm's shell, not this process: stop when that parent is gone too.
  const parent = parentExit();
  io.stop = stopOnSignals(io.stderr, parent.exited);
  try {
    return await run(argv, io);
  } finally {
    parent.stop();
  }
}

if (require.main === module) {
  // V8 keeps the code it compiled for the modules loaded from here on (the command, transformers.js's
  // 1.4 MB bundle, ...) so later runs skip compiling them. Node keys each entry by the source's hash and
  // its own version, recompiles on a mismatch or a damaged entry, and never fails the run over its cache.
  enableCompileCache(userCacheDir("compile-cache"));
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
