/**
 * A SageMaker real-time endpoint as a zero-shot classifier: `classify(texts, labels)` sends the texts as
 * JumpStart payloads through the runtime client, a few texts per request and a few requests at a time,
 * and returns `{sequence, labels, scores}` in text order. Evaluation and notebooks use it exactly like
 * a local `ZeroShotClassifier`.
 */
import type { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import type { ClassifyCallOptions } from "../../classification/contract";
import { InputError } from "../../errors";
import { parseCandidateLabels, parseSequences } from "../../nli/hypotheses";
import { toZeroShotRequest, type ZeroShotResult } from "../../payload";
import { invokeZeroShotEndpoint } from "./runtimeClient";
import { ENDPOINT_REQUEST_TEXT_BUDGET_BYTES } from "../../aws/sagemaker";

export interface EndpointClassifierOptions {
  /** Texts per InvokeEndpoint request (each request must stay under the runtime's 6 MiB). Default 8. */
  textsPerRequest?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
}

/** Payloads are capped a little below the runtime's 6 MiB so the JSON envelope always fits. */

export class EndpointClassifier {
  private readonly textsPerRequest: number;
  private readonly concurrency: number;

  constructor(
    readonly client: SageMakerRuntimeClient,
    readonly endpointName: string,
    options: EndpointClassifierOptions = {},
  ) {
    this.textsPerRequest = positive(options.textsPerRequest ?? 8, "textsPerRequest");
    this.concurrency = positive(options.concurrency ?? 4, "concurrency");
  }

  /** Names the endpoint, e.g. for score caches and reports. */
  get modelId(): string {
    return `sagemaker-endpoint:${this.endpointName}`;
  }

  /** One result per text, in text order; progress is reported in (text, label) pairs. */
  async classify(texts: string | readonly string[], candidateLabels: string | readonly string[], options: ClassifyCallOptions = {}): Promise<ZeroShotResult[]> {
    const sequences = parseSequences(texts as string | string[]);
    const labels = parseCandidateLabels(candidateLabels);
    const chunks = this.chunk(sequences, labels, options);
    const results: ZeroShotResult[][] = new Array(chunks.length);
    const totalPairs = sequences.length * labels.length;
    let donePairs = 0;
    options.onProgress?.(0, totalPairs);
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const index = next++;
        const request = { ...toZeroShotRequest(chunks[index], labels, options), inputs: chunks[index] };
        const answer = await invokeZeroShotEndpoint(this.client, this.endpointName, request);
        results[index] = answer;
        donePairs += chunks[index].length * labels.length;
        options.onProgress?.(donePairs, totalPairs);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, chunks.length) }, worker));
    return results.flat();
  }

  /** Texts grouped `textsPerRequest` at a time, fewer where a group would pass the payload limit. */
  private chunk(sequences: string[], labels: string[], options: ClassifyCallOptions): string[][] {
    const envelope = Buffer.byteLength(JSON.stringify(toZeroShotRequest([], labels, options)));
    const chunks: string[][] = [];
    let current: string[] = [];
    let bytes = envelope;
    for (const text of sequences) {
      const size = Buffer.byteLength(JSON.stringify(text)) + 1;
      if (envelope + size > ENDPOINT_REQUEST_TEXT_BUDGET_BYTES) {
        throw new InputError(`a text of ${size} bytes does not fit in one 6 MiB endpoint request: shorten it (the model reads only its first few hundred tokens anyway)`);
      }
      if (current.length === this.textsPerRequest || bytes + size > ENDPOINT_REQUEST_TEXT_BUDGET_BYTES) {
        chunks.push(current);
        current = [];
        bytes = envelope;
      }
      current.push(text);
      bytes += size;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InputError(`${name} must be a whole number of at least 1, not ${value}`);
  return value;
}
