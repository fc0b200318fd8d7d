import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, describe, it } from "node:test";
import type { ZeroShotClassifier } from "../../src/classification/classifier";
import { loadCommandClassifier, modelDirectoryOrName } from "../../src/cli/classifiers";
import { processIo, type CliIo } from "../../src/cli/io";
import { ModelLoadError } from "../../src/errors";
import { tinyBert } from "../helpers/models";

describe("loadCommandClassifier", () => {
  const scratch = mkdtempSync(join(tmpdir(), "zs-cli-classifiers-"));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const io = (classifiers?: Map<string, Promise<ZeroShotClassifier>>): CliIo => ({ ...processIo(), cwd: scratch, classifiers });

  it("resolves a model directory against the command's directory; hub ids and short names stay as given", () => {
    assert.equal(modelDirectoryOrName(io(), relative(scratch, tinyBert())), tinyBert());
    assert.equal(modelDirectoryOrName(io(), "bart-large-mnli"), "bart-large-mnli");
    assert.equal(modelDirectoryOrName(io(), "Xenova/distilbert-base-uncased-mnli"), "Xenova/distilbert-base-uncased-mnli");
  });

  it("loads a model once per model and options when the caller keeps a cache, and every time when not", async () => {
    const classifiers = new Map<string, Promise<ZeroShotClassifier>>();
    const relativeDir = relative(scratch, tinyBert());
    const first = await loadCommandClassifier(io(classifiers), relativeDir, { onDownloadProgress: () => undefined });
    const again = await loadCommandClassifier(io(classifiers), tinyBert(), {});
    assert.equal(again, first, "the same directory, however spelled, with the same options");
    const otherBatch = await loadCommandClassifier(io(classifiers), tinyBert(), { batchSize: 2 });
    assert.notEqual(otherBatch, first);
    assert.equal(classifiers.size, 2);
    const uncached = await loadCommandClassifier(io(), tinyBert());
    assert.notEqual(uncached, first);
    const [a] = await first.classify("Run a marathon", ["Health", "Finance"]);
    assert.deepEqual(await otherBatch.classify("Run a marathon", ["Health", "Finance"]), [a]);
  });

  it("does not keep a failed load, so a later run tries again", async () => {
    const classifiers = new Map<string, Promise<ZeroShotClassifier>>();
    await assert.rejects(loadCommandClassifier(io(classifiers), "./no-such-model"), ModelLoadError);
    // A directory without the model's files: the load starts, fails, and leaves the cache.
    await assert.rejects(loadCommandClassifier(io(classifiers), "."), ModelLoadError);
    assert.equal(classifiers.size, 0);
  });
});
