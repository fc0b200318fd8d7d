/**
 * The library's front door: a zero-shot classifier over any NLI scorer. Loading a local model lives
 * in the local backend (`loadClassifier`), so this layer loads no native runtime. The same `answer`
 * serves the CLI's JSON Lines input, the server and batch transform.
 */
import { classifyWith } from "./classify";
import type { ClassifyCallOptions, NliScorer, ZeroShotBackend } from "./contract";
import { parseZeroShotRequest } from "../payload";
import type { ZeroShotResult } from "../payload/types";

export class ZeroShotClassifier implements ZeroShotBackend {
  constructor(readonly scorer: NliScorer) {}

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
  async answer(request: unknown, options: Pick<ClassifyCallOptions, "onProgress" | "signal"> = {}): Promise<ZeroShotResult | ZeroShotResult[]> {
    const parsed = parseZeroShotRequest(request);
    const results = await this.classify(parsed.sequences, parsed.candidateLabels, {
      multiLabel: parsed.multiLabel,
      hypothesisTemplate: parsed.hypothesisTemplate,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    return parsed.single ? results[0] : results;
  }
}
