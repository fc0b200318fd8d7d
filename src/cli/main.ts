#!/usr/bin/env node
/**
 * `zero-shot`: the command-line entry. Each subcommand is its own module with `run(argv)`, loaded only
 * when called, so `--help` is instant and no command pays for another's dependencies.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ZeroShotError } from "../errors";

interface Command {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

const COMMANDS: Record<string, Command> = {
  classify: { summary: "classify texts against candidate labels with a local NLI model", load: async () => require("./classify") as typeof import("./classify") },
  serve: { summary: "serve a model over SageMaker's HTTP contract (AWS SDK InvokeEndpoint works)", load: async () => require("./serve") as typeof import("./serve") },
  "local-sagemaker": { summary: "run SageMaker locally (endpoints, batch transform, S3) for the unmodified AWS SDK clients", load: async () => require("./localSagemaker") as typeof import("./localSagemaker") },
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

/** Prints an error a person can act on; stack traces only with ZERO_SHOT_DEBUG=1. */
export function reportError(error: unknown): number {
  if (process.env.ZERO_SHOT_DEBUG) console.error(error);
  if (error instanceof ZeroShotError) {
    console.error(`zero-shot: error: ${error.message}`);
    return error.code === "invalid_input" ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`zero-shot: unexpected error: ${message}\n(run again with ZERO_SHOT_DEBUG=1 for details)`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`zero-shot: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (error) {
    return reportError(error);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
