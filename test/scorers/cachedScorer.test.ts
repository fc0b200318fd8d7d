import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalNliModel } from "../../src/backends/local/localNliModel";
import { CachedScorer, scorerIdentity } from "../../src/scorers/cachedScorer";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import type { NliScorer, PremiseHypothesisPair } from "../../src/classification/contract";
import { workerPairs } from "../helpers/cacheWorker";
import { FIXED_TIME, otherWeightsOfSameSize, overwriteKeepingTimes } from "../helpers/modelFiles";
import { tinyBert } from "../helpers/models";

/** The real model, counting the pairs it is asked to score. */
class CountingScorer implements NliScorer {
  asked: PremiseHypothesisPair[] = [];
  constructor(readonly model: LocalNliModel) {}
  get modelId() {
    return this.model.modelId;
  }
  get labelIds() {
    return this.model.labelIds;
  }
  get dtype() {
    return this.model.dtype;
  }
  get source() {
    return this.model.source;
  }
  scorePairs(pairs: readonly PremiseHypothesisPair[]) {
    this.asked.push(...pairs);
    return this.model.scorePairs(pairs);
  }
}

const newDir = () => mkdtempSync(join(tmpdir(), "zs-cache-"));
const texts = ["I will run a marathon", "Save more money", "Learn Spanish", "I will run a marathon"];
let model: LocalNliModel;

before(async () => {
  model = await LocalNliModel.load(tinyBert(), { batchSize: 8 });
});

function runWorker(dir: string, from: number, to: number, killAfter?: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const args = ["--import", "tsx", resolve(__dirname, "../helpers/cacheWorker.ts"), dir, String(from), String(to), ...(killAfter === undefined ? [] : [String(killAfter)])];
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

describe("CachedScorer", () => {
  it("computes each distinct pair once, then answers from disk with the same logits", async () => {
    const dir = newDir();
    const counting = new CountingScorer(model);
    const cached = new ZeroShotClassifier(new CachedScorer(counting, { dir }));
    const first = await cached.classify(texts, ["Health", "Finance"]);
    // 4 texts x 2 labels = 8 pairs, the repeated text's 2 computed once.
    assert.equal(counting.asked.length, 6);
    const direct = await new ZeroShotClassifier(model).classify(texts, ["Health", "Finance"]);
    assert.deepEqual(first, direct);

    // A new process (a new CachedScorer on the same directory) computes nothing.
    const again = new CountingScorer(model);
    const reopened = new CachedScorer(again, { dir });
    assert.equal(reopened.size, 6);
    assert.deepEqual(await new ZeroShotClassifier(reopened).classify(texts, ["Health", "Finance"]), direct);
    assert.equal(again.asked.length, 0);
    assert.deepEqual(reopened.lastCall, { pairs: 8, unique: 6, cached: 6, computed: 0 });

    // Adding a label computes only its pairs; changing the template computes all of its own.
    await new ZeroShotClassifier(reopened).classify(texts, ["Health", "Finance", "Career"]);
    assert.deepEqual(again.asked.map((pair) => pair.hypothesis), ["This example is Career.", "This example is Career.", "This example is Career."]);
    await new ZeroShotClassifier(reopened).classify(texts, ["Health"], { hypothesisTemplate: "A goal about {}." });
    assert.equal(reopened.lastCall.computed, 3);
  });

  it("sends the pairs to compute longest first across the whole call, so each chunk holds pairs of like length", async () => {
    const counting = new CountingScorer(model);
    const cache = new CachedScorer(counting, { dir: newDir(), chunkSize: 2 });
    const premises = ["Learn Spanish", "I will run a marathon and eat more vegetables every day", "Read", "Save more money this year"];
    const pairs = premises.map((premise) => ({ premise, hypothesis: "This example is Health." }));
    const logits = await cache.scorePairs(pairs);
    assert.deepEqual(counting.asked.map((pair) => pair.premise), [premises[1], premises[3], premises[0], premises[2]]);
    // Answers stay in the caller's order.
    assert.deepEqual(logits, await model.scorePairs(pairs));
  });

  it("keys the cache by model, dtype and the model's content fingerprint", async () => {
    const identity = scorerIdentity(model);
    assert.equal(identity.model, resolve(tinyBert()));
    assert.equal(identity.dtype, "fp32");
    assert.equal(identity.fingerprint, model.fingerprint);
    assert.match(identity.fingerprint!, /^[0-9a-f]{64}$/);
    // A decorator that passes on only the source still gets the content fingerprint.
    assert.equal(scorerIdentity(new CountingScorer(model)).fingerprint, model.fingerprint);
    const dir = newDir();
    const fp32 = new CachedScorer(model, { dir });
    const q8 = new CachedScorer(model, { dir, identity: { ...identity, dtype: "q8" } });
    assert.notEqual(fp32.directory, q8.directory);
  });

  it("ignores a torn final record and keeps serving the rest", async () => {
    const dir = newDir();
    const writer = new CachedScorer(model, { dir });
    const pairs = texts.map((premise) => ({ premise, hypothesis: "This example is Health." }));
    const logits = await writer.scorePairs(pairs);
    writer.close();
    const [segment] = readdirSync(writer.directory).filter((name) => name.endsWith(".seg"));
    // What a crash in the middle of a write leaves: the start of a record.
    appendFileSync(join(writer.directory, segment), Buffer.from([44, 0, 0, 0, 1, 2, 3]));
    const counting = new CountingScorer(model);
    const reader = new CachedScorer(counting, { dir });
    assert.equal(reader.size, 3);
    assert.deepEqual(await reader.scorePairs(pairs), logits);
    assert.equal(counting.asked.length, 0);
  });

  it("keeps what a killed process finished, and two processes at once leave a cache both can read", async () => {
    const dir = newDir();
    // Killed before its third chunk of 16 pairs: 32 pairs were written.
    const killed = await runWorker(dir, 0, 64, 2);
    assert.equal(killed.signal, "SIGKILL");
    const [a, b] = await Promise.all([runWorker(dir, 0, 96), runWorker(dir, 48, 128)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(JSON.parse(a.stdout).cached >= 32, true, a.stdout);

    const inner = new CountingScorer(model);
    const reader = new CachedScorer(inner, { dir, identity: { model: "tiny-bert-nli", dtype: "fp32" } });
    assert.equal(reader.size, 128);
    const pairs = workerPairs(0, 128);
    const fromCache = await reader.scorePairs(pairs);
    assert.equal(inner.asked.length, 0);
    const direct = await model.scorePairs(pairs);
    assert.deepEqual(fromCache, direct);
    const segments = readdirSync(reader.directory).filter((name) => name.endsWith(".seg"));
    assert.equal(segments.length, 3);
    assert.ok(segments.every((name) => statSync(join(reader.directory, name)).size > 8));
  });

  describe("can't be stale", () => {
    let scratch: string;
    let modelDir: string;
    let scoreDir: string;
    const pairs = texts.map((premise) => ({ premise, hypothesis: "This example is Health." }));
    /** A fresh model load and cache, as a new process would open them. */
    const open = async () => {
      const loaded = await LocalNliModel.load(modelDir, { cacheDir: join(scratch, "models") });
      const counting = new CountingScorer(loaded);
      return { loaded, counting, cache: new CachedScorer(loaded, { dir: scoreDir }) };
    };
    before(() => {
      scratch = mkdtempSync(join(tmpdir(), "zs-stale-"));
      modelDir = join(scratch, "model");
      scoreDir = join(scratch, "scores");
      cpSync(tinyBert(), modelDir, { recursive: true });
      utimesSync(join(modelDir, "onnx/model.onnx"), FIXED_TIME, FIXED_TIME);
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("unchanged files: the scores come from the cache", async () => {
      const first = await open();
      const logits = await first.cache.scorePairs(pairs);
      assert.equal(first.cache.lastCall.computed, 3);
      first.cache.close();
      const again = await open();
      const cachedCache = new CachedScorer(again.counting, { dir: scoreDir });
      assert.deepEqual(await cachedCache.scorePairs(pairs), logits);
      assert.equal(again.counting.asked.length, 0);
    });

    it("new weights of the same size and modification time: fresh scores", async () => {
      const before = await open();
      const old = await before.cache.scorePairs(pairs);
      assert.equal(before.cache.lastCall.computed, 0, "cached before the change");
      overwriteKeepingTimes(join(modelDir, "onnx/model.onnx"), otherWeightsOfSameSize(modelDir));
      const after = await open();
      const fresh = await after.cache.scorePairs(pairs);
      assert.equal(after.cache.lastCall.computed, 3);
      assert.notDeepEqual(fresh, old);
      assert.deepEqual(fresh, await after.loaded.scorePairs(pairs), "the new weights' own logits");
    });

    it("a changed tokenizer.json: fresh scores", async () => {
      const before = await open();
      await before.cache.scorePairs(pairs);
      assert.equal(before.cache.lastCall.computed, 0);
      const tokenizer = join(modelDir, "tokenizer.json");
      const json = JSON.parse(readFileSync(tokenizer, "utf8"));
      json.normalizer = { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: false };
      writeFileSync(tokenizer, JSON.stringify(json));
      const after = await open();
      await after.cache.scorePairs(pairs);
      assert.equal(after.cache.lastCall.computed, 3);
    });
  });
});
