/**
 * Which model the notebooks use: the config cell at the top of each notebook names it (default: the AWS
 * walkthrough's `facebook/bart-large-mnli`), and the `ZERO_SHOT_MODEL` environment variable overrides the
 * cell (CI, a classroom set-up). Either is a hub id, a local model directory, or the name of a generated
 * test model (`tiny-bart-nli`, `tiny-bert-nli`).
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { LocalModelOptions } from "../backends/local/localNliModel";
import { ensureTestModel, isPresetName } from "../models/generate/generate";
import { isRandomTestModelDir } from "../models/generate/marker";
import { resolveModel, type ModelSource } from "../models/resolve";
import { notebookDownloadProgress } from "./downloadProgress";

/** The walkthrough's model; the library's aliases map it to the transformers.js conversion `Xenova/bart-large-mnli`. */
export const NOTEBOOK_DEFAULT_MODEL = "facebook/bart-large-mnli";

/** The project root (the folder holding package.json), seen from `dist/notebook` or `src/notebook`. */
export const PROJECT_ROOT = resolve(__dirname, "../..");

/** The model a notebook runs on, and how it was chosen. */
export interface NotebookModelChoice {
  /** What to pass to `LocalNliModel.load` / `ZeroShotClassifier.load`: a hub id or an absolute directory. */
  model: string;
  /** Where the model comes from: a directory on disk or a hub repository. */
  source: ModelSource;
  /** `ZERO_SHOT_MODEL` when it was set, else the config cell's `model`, else `default`. */
  chosenBy: "ZERO_SHOT_MODEL" | "config cell" | "default";
  /** True for a model made by this project's generator: random weights, scores that mean nothing. */
  randomWeights: boolean;
  /** Load options: the dtype (`ZERO_SHOT_DTYPE`, else the config cell's; fp32, q8, ...), and download progress printed in the cell. */
  options: LocalModelOptions;
}

/** What a notebook's config cell chooses; the environment overrides each. */
export interface NotebookModelSettings {
  /** Hub id, short name, model directory or test-model preset. Default `facebook/bart-large-mnli`. */
  model?: string;
  /** Weight precision, e.g. `q8` (4x smaller download). Default fp32. */
  dtype?: string;
}

/**
 * The model: `ZERO_SHOT_MODEL` (and `ZERO_SHOT_DTYPE`) when set, else the config cell's `settings`. A relative
 * directory is looked up from the notebook's folder first, then from the project root, so
 * `models/tiny-bert-nli` works from either.
 * @example const choice = chooseNotebookModel(); const model = await LocalNliModel.load(choice.model, choice.options);
 */
export function chooseNotebookModel(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd(), settings: NotebookModelSettings = {}): NotebookModelChoice {
  const given = env.ZERO_SHOT_MODEL?.trim();
  const fromCell = settings.model?.trim();
  const name = given || fromCell || NOTEBOOK_DEFAULT_MODEL;
  const source = resolveModel(locate(name, cwd), cwd);
  const dtype = env.ZERO_SHOT_DTYPE || settings.dtype;
  // A first run downloads the model (1.6 GB for bart-large-mnli): show how far it has got.
  const options: LocalModelOptions = { ...(source.kind === "hub" ? { onDownloadProgress: notebookDownloadProgress() } : {}), ...(dtype ? { dtype } : {}) };
  return {
    model: source.kind === "directory" ? source.path : source.id,
    source,
    chosenBy: given ? "ZERO_SHOT_MODEL" : fromCell ? "config cell" : "default",
    randomWeights: source.kind === "directory" && isRandomTestModelDir(source.path),
    options,
  };
}

/** A name as a directory when one exists (notebook folder, then project root), a generated model for a preset name, else unchanged. */
function locate(name: string, cwd: string): string {
  if (isAbsolute(name) || existsSync(resolve(cwd, name))) return name;
  const fromRoot = resolve(PROJECT_ROOT, name);
  if (existsSync(fromRoot)) return fromRoot;
  if (isPresetName(name)) return ensureTestModel(name);
  return name;
}

/** Whether a model directory was written by this project's test-model generator (its config.json is marked). */
export const isGeneratedModel = isRandomTestModelDir;

/** A short markdown note for the top of a notebook: which model runs, how to change it, and a warning for random weights. */
export function modelNotice(choice: NotebookModelChoice): string {
  const where =
    choice.source.kind === "directory"
      ? `the local model in \`${choice.source.path}\``
      : `\`${choice.source.name}\` from the Hugging Face hub` +
        (choice.source.id !== choice.source.name ? ` (transformers.js weights: \`${choice.source.id}\`)` : "") +
        `, downloaded on first use and cached`;
  const how =
    choice.chosenBy === "ZERO_SHOT_MODEL"
      ? "Chosen by the `ZERO_SHOT_MODEL` environment variable, which overrides the config cell."
      : "Chosen in the config cell above: change `model` there (a hub id or a model directory) to use another; the `ZERO_SHOT_MODEL` environment variable overrides it.";
  const lines = [`**Model:** ${where}. ${how}`];
  if (choice.randomWeights) {
    lines.push(
      "",
      "> **These numbers are random (random test model: scores are meaningless).** This is a test model generated by the project with random weights, so its " +
        "probabilities and scores mean nothing about language. Every step below still runs exactly as it would with a " +
        `real model: use \`${NOTEBOOK_DEFAULT_MODEL}\` for meaningful answers. Where this notebook can, it shows a real model's **recorded** results beside the live ones.`,
    );
  }
  return lines.join("\n");
}
