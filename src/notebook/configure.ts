/**
 * The config cell at the top of every notebook: it chooses the model (the environment still overrides),
 * says how big its download is before anything downloads, makes project errors one line, and marks every
 * later chart when the model is a random test model.
 *
 *   const choice = await notebook.configureNotebook({ model: "facebook/bart-large-mnli", dtype: "q8" });
 */
import { defaultCacheDir } from "../backends/local/localNliModel";
import { formatBytes } from "../io/bytes";
import { RANDOM_MODEL_WARNING } from "../models/generate/marker";
import { hubOffline, planDownload } from "../models/hubFiles";
import { parseDtype } from "../models/resolve";
import { chooseNotebookModel, modelNotice, type NotebookModelChoice, type NotebookModelSettings } from "./config";
import { oneLineErrors } from "./errors";
import { runningKernel } from "./kernel";
import { setModelWarning } from "./modelWarning";
import { showMarkdown } from "./show";

/** What the config cell found out about the download, in one markdown sentence. */
export async function downloadNotice(choice: NotebookModelChoice, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (choice.source.kind === "directory") return "**Download:** none, the model is a folder on this machine.";
  const dtype = parseDtype(choice.options.dtype);
  const cacheDir = choice.options.cacheDir ?? defaultCacheDir(env);
  const pull = `\`npx zero-shot pull ${choice.source.name}${dtype === "fp32" ? "" : ` --dtype ${dtype}`}\``;
  const offline = hubOffline(env);
  try {
    if (offline) {
      const plan = await planDownload(choice.source.id, dtype, cacheDir, { ...env, HF_ENDPOINT: "http://offline.invalid" }).catch(() => undefined);
      return plan?.cached
        ? `**Download:** none, \`${choice.source.id}\` (${dtype}) is in the cache (${formatBytes(plan.totalBytes)}).`
        : `**Download:** offline, and \`${choice.source.id}\` (${dtype}) is not in the cache \`${cacheDir}\`: run ${pull} where the internet is, then share the cache folder.`;
    }
    const plan = await planDownload(choice.source.id, dtype, cacheDir, env);
    if (plan.cached) return `**Download:** none, \`${choice.source.id}\` (${dtype}) is in the cache (${formatBytes(plan.totalBytes)}).`;
    return (
      `**Download:** loading the model downloads **${formatBytes(plan.totalBytes)}** (${dtype}) into \`${cacheDir}\`, once. ` +
      `To prepare a class, run ${pull} on one machine and share that folder (\`ZERO_SHOT_CACHE\`)` +
      (dtype === "fp32" ? `; \`dtype: "q8"\` in this cell downloads about 4x less, with slightly different scores.` : ".")
    );
  } catch (error) {
    return `**Download:** size unknown (${(error as Error).message.split(":")[0]}); ${pull} says it and downloads where the hub is reachable.`;
  }
}

/**
 * The config cell: chooses the model (`ZERO_SHOT_MODEL` / `ZERO_SHOT_DTYPE` override `settings`), shows which
 * model runs and how big its download is, and sets up the notebook (one-line errors, random-model warnings).
 * Returns the choice for `LocalNliModel.load(choice.model, choice.options)`.
 */
export async function configureNotebook(settings: NotebookModelSettings = {}, env: NodeJS.ProcessEnv = process.env): Promise<NotebookModelChoice> {
  oneLineErrors();
  const choice = chooseNotebookModel(env, process.cwd(), settings);
  setModelWarning(choice.randomWeights ? RANDOM_MODEL_WARNING : undefined);
  const notice = `${modelNotice(choice)}\n\n${await downloadNotice(choice, env)}\n\n` +
    `*Kernel: ${runningKernel()}. A project error shows as one line; \`notebook.lastErrorStack()\` prints its stack.*`;
  if (runningKernel() !== "none") await showMarkdown(notice);
  return choice;
}
