/** Command-line parsing shared by every subcommand: node's `parseArgs`, with errors that show the usage. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** Parses `argv`; an unknown or malformed option is an `InputError` ending with the command's usage. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string): Parsed<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n\n${usage}`);
  }
}

/** A whole number option of at least `min`, or `undefined` when absent. */
export function intOption(value: string | undefined, name: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    throw new InputError(`--${name} ${JSON.stringify(value)} is not a whole number of at least ${min}`);
  }
  return parsed;
}
