/**
 * A model host whose loads wait for the test, for tests of what the emulator does around a load
 * (endpoint and transform job states): each `load` is recorded with resolvers the test settles, so
 * every state (loading, loaded, failed) is held as long as the test needs. What it serves is a real
 * `ZeroShotClassifier` over `hypothesisLengthScorer`, so answers are real classifications.
 */
import { ZeroShotClassifier } from "../../src/classification/classifier";
import type { NliScorer } from "../../src/classification/contract";
import { ModelHost, type ContainerDefinition } from "../../src/emulator/modelHost";
import { ObjectStore } from "../../src/emulator/objectStore";
import { promiseWithResolvers, type Resolvers } from "./barrier";

/** An NLI scorer whose entailment logit grows with the hypothesis' length: longer labels rank first, no model needed. */
export function hypothesisLengthScorer(modelId = "held/model"): NliScorer {
  return {
    modelId,
    labelIds: { entailment: 0, contradiction: 2, numLabels: 3 },
    scorePairs: async (pairs) => pairs.map(({ hypothesis }) => [hypothesis.length / 10, 0, 0]),
  };
}

export class HeldModelHost extends ModelHost {
  readonly loads: Array<{ container: ContainerDefinition; settle: Resolvers<ZeroShotClassifier> }> = [];

  /** A host over an object store in `dataDir` (file:// locations under it are allowed). */
  constructor(dataDir: string) {
    super(new ObjectStore(dataDir));
  }

  override load(container: ContainerDefinition): Promise<ZeroShotClassifier> {
    const settle = promiseWithResolvers<ZeroShotClassifier>();
    this.loads.push({ container, settle });
    return settle.promise;
  }

  /** Settles load `index` with a classifier over `hypothesisLengthScorer`. */
  serve(index: number): void {
    this.loads[index].settle.resolve(new ZeroShotClassifier(hypothesisLengthScorer()));
  }
}

/** Lets every promise reaction already queued run (e.g. the emulator's own reaction to a settled load). */
export const reactionsRun = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
