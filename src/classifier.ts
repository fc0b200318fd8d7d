/**
 * The library's front door: a zero-shot classifier over any NLI scorer, loaded locally by default.
 * The same `answer` serves the CLI's JSON Lines input, the server and batch transform.
 */
import { LocalNliModel, type LocalModelOptions } from "./backends/local/localNliModel";
import { classifyWith, type ClassifyCallOptions, type NliScorer } from "./classify";
import { parseZeroShotRequest, type ZeroShotResult } from "./payload";

export class ZeroShotClassifier {
  constructor(readonly scorer: NliScorer) {}

  /**
   * Loads a local model (hub id, short name or directory) with transformers.js.
   * @example
   * const classifier = await ZeroShotClassifier.load("bart-large-mnli");
   * const [result] = await classifier.classify("I will run a marathon", ["Health", "Finance"]);
   */
  static async load(model?: string, options: LocalModelOptions = {}): Promise<ZeroShotClassifier> {
    return new ZeroShotClassifier(await LocalNliModel.load(model, options));
  }

  get modelId(): string {
    return this.scorer.modelId;
  }

  /** One `{sequence, labels, scores}` per text, in text order. */
  classify(texts: string | readonly string[], candidateLabels: string | readonly string[], options: ClassifyCallOptions = {}): Promise<ZeroShotResult[]> {
    return classifyWith(this.scorer, texts, candidateLabels, options);
  }

  /**
   * Answers a JumpStart / Hugging Face payload `{inputs, parameters}`: one result for a string input,
   * a list for a list.
   */
  async answer(request: unknown, options: Pick<ClassifyCallOptions, "onProgress"> = {}): Promise<ZeroShotResult | ZeroShotResult[]> {
    const parsed = parseZeroShotRequest(request);
    const results = await this.classify(parsed.sequences, parsed.candidateLabels, {
      multiLabel: parsed.multiLabel,
      hypothesisTemplate: parsed.hypothesisTemplate,
      onProgress: options.onProgress,
    });
    return parsed.single ? results[0] : results;
  }
}
