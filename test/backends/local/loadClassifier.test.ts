import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { loadClassifier } from "../../../src/backends/local/loadClassifier";
import { ZeroShotClassifier } from "../../../src/classification/classifier";
import { ModelLoadError } from "../../../src/errors";
import { tinyBart } from "../../helpers/models";

describe("loadClassifier", () => {
  it("loads a model directory as a ZeroShotClassifier over the local model, ready to classify", async () => {
    const classifier = await loadClassifier(tinyBart(), { batchSize: 3 });
    assert.ok(classifier instanceof ZeroShotClassifier);
    assert.ok(classifier.scorer instanceof LocalNliModel);
    assert.equal(classifier.modelId, tinyBart());
    // bart-large-mnli's label order: contradiction, neutral, entailment.
    assert.deepEqual({ ...classifier.scorer.labelIds }, { entailment: 2, contradiction: 0, numLabels: 3 });
    const [result] = await classifier.classify("I will run a marathon", ["Health", "Finance"]);
    assert.deepEqual([...result.labels].sort(), ["Finance", "Health"]);
    await (classifier.scorer as LocalNliModel).dispose();
  });

  it("says which files a directory lacks", async () => {
    const empty = mkdtempSync(join(tmpdir(), "zs-load-empty-"));
    try {
      await assert.rejects(loadClassifier(empty), (error: unknown) => error instanceof ModelLoadError && /config\.json/.test(error.message));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
