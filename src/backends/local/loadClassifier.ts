/** Loading a local model as a classifier: the local backend's front door. */
import { ZeroShotClassifier } from "../../classification/classifier";
import { LocalNliModel, type LocalModelOptions } from "./localNliModel";

/**
 * Loads a local model (hub id, short name or directory) with transformers.js and wraps it in a
 * `ZeroShotClassifier`.
 * @example
 * const classifier = await loadClassifier("bart-large-mnli");
 * const [result] = await classifier.classify("I will run a marathon", ["Health", "Finance"]);
 */
export async function loadClassifier(model?: string, options: LocalModelOptions = {}): Promise<ZeroShotClassifier> {
  return new ZeroShotClassifier(await LocalNliModel.load(model, options));
}
