/** The project's folder in the user's cache: `$XDG_CACHE_HOME/zero-shot-ts`, else `~/.cache/zero-shot-ts`. */
import { homedir } from "node:os";
import { join } from "node:path";

/** A folder under the user's zero-shot-ts cache, e.g. `userCacheDir("models")`. */
export function userCacheDir(...parts: string[]): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "zero-shot-ts", ...parts);
}
