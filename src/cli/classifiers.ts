/** Loading the command's model, through the caller's cache of loaded classifiers when it passes one. */
import { loadClassifier } from "../backends/local/loadClassifier";
import { LOAD_ENV_VARIABLES, type LocalModelOptions } from "../backends/local/localNliModel";
import type { ZeroShotClassifier } from "../classification/classifier";
import { resolveModel } from "../models/resolve";
import type { CliIo } from "./io";

/** A `--model` value with a directory resolved against `io.cwd`; hub ids and short names as given. */
export function modelDirectoryOrName(io: CliIo, model: string): string {
  const source = resolveModel(model, io.cwd);
  return source.kind === "directory" ? source.path : model;
}

/**
 * The classifier for `--model` (a directory resolves against `io.cwd`), loaded once per model, options
 * and the environment variables a load reads when `io.classifiers` is given; a failed load is not kept,
 * so the next run tries again.
 */
export async function loadCommandClassifier(io: CliIo, model: string, options: LocalModelOptions = {}): Promise<ZeroShotClassifier> {
  const name = modelDirectoryOrName(io, model);
  const cache = io.classifiers;
  // What a load reads from the environment (LOAD_ENV_VARIABLES) comes from the command's.
  const withEnv = { env: io.env, ...options };
  if (!cache) return loadClassifier(name, withEnv);
  // Functions (progress callbacks) drop out of the key: they do not change the model. A run with another
  // hub mirror, download cache or graph choice is another load.
  const env = LOAD_ENV_VARIABLES.map((variable) => io.env[variable] ?? null);
  const key = JSON.stringify([name, env, options], Object.keys(options).sort());
  let loading = cache.get(key);
  if (!loading) {
    loading = loadClassifier(name, withEnv);
    cache.set(key, loading);
    loading.catch(() => cache.delete(key));
  }
  return loading;
}
