import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalNliModel } from "../../../src/backends/local/localNliModel";
import { transformers } from "../../../src/backends/local/transformers";
import { ZeroShotClassifier } from "../../../src/classification/classifier";
import { InputError, ModelConfigError, ModelLoadError } from "../../../src/errors";
import type { ZeroShotResult } from "../../../src/payload/types";
import { maxDifference, tinyBart, tinyBert } from "../../helpers/models";
import { loadClassifier } from "../../../src/backends/local/loadClassifier";
import { scorerIdentity } from "../../../src/scorers/cachedScorer";

const TEXTS = [
  "I will run a marathon this year",
  "Save more money and pay off my credit card!",
  "read more books",
  "Be a better person, love my family and friends, and laugh more",
  "Learn to play the guitar",
];
const LABELS = ["Health", "Finance", "Education", "Humor", "Personal Growth"];

/** Scores of each label in a fixed (alphabetical) order, so results can be compared element-wise. */
const byLabel = (result: ZeroShotResult) =>
  [...result.labels].sort().map((label) => result.scores[result.labels.indexOf(label)]);

for (const [name, modelDir] of [["BERT-style (WordPiece, token types, ENTAILMENT=0)", tinyBert], ["BART-style (byte-level BPE, entailment=2)", tinyBart]] as const) {
  describe(`local inference, ${name}`, () => {
    let classifier: ZeroShotClassifier;
    let stock: (text: string, labels: string[], options?: object) => Promise<ZeroShotResult>;

    before(async () => {
      classifier = await loadClassifier(modelDir(), { batchSize: 4 });
      stock = (await transformers.pipeline("zero-shot-classification", modelDir(), { local_files_only: true, dtype: "fp32" })) as never;
    });

    it("equals the stock transformers.js pipeline within 1e-5 on short inputs, single- and multi-label", async () => {
      for (const multiLabel of [false, true]) {
        const ours = await classifier.classify(TEXTS, LABELS, { multiLabel });
        for (const [i, text] of TEXTS.entries()) {
          const reference = await stock(text, LABELS, { multi_label: multiLabel });
          assert.deepEqual(ours[i].labels, reference.labels, `label order for "${text}"`);
          assert.ok(maxDifference(ours[i].scores, reference.scores) <= 1e-5, `scores for "${text}" differ by ${maxDifference(ours[i].scores, reference.scores)}`);
        }
      }
    });

    it("a text's scores do not depend on the batch size (at most 1e-6)", async () => {
      const reference = await classifier.classify(TEXTS, LABELS);
      for (const batchSize of [1, 3, 64]) {
        const other = new ZeroShotClassifier(await LocalNliModel.load(modelDir(), { batchSize }));
        const results = await other.classify(TEXTS, LABELS);
        results.forEach((result, i) => assert.ok(maxDifference(byLabel(result), byLabel(reference[i])) <= 1e-6, `batch size ${batchSize}, text ${i}`));
      }
    });

    it("a text's scores do not depend on the other texts in the call (at most 1e-6)", async () => {
      const together = await classifier.classify([...TEXTS, "x ".repeat(60)], LABELS);
      for (const [i, text] of TEXTS.entries()) {
        const [alone] = await classifier.classify(text, LABELS);
        assert.ok(maxDifference(byLabel(alone), byLabel(together[i])) <= 1e-6, `text ${i}`);
      }
    });

    it("a premise far past the model's length keeps its hypothesis, so labels still score differently", async () => {
      const model = classifier.scorer as LocalNliModel;
      const long = "I will exercise every day and eat healthy food. ".repeat(200);
      const [result] = await classifier.classify(long, LABELS, { multiLabel: true });
      assert.equal(new Set(result.scores.map((s) => s.toFixed(12))).size, LABELS.length, "each label's hypothesis reached the model");
      // The same scores as a premise cut by hand to what fits, then classified normally.
      const hypothesis = "This example is Health.";
      const hypothesisIds = model.tokenizer.encode(hypothesis, { add_special_tokens: false });
      const premiseIds = model.tokenizer.encode(long, { add_special_tokens: false });
      const special = model.tokenizer.encode("a", { text_pair: "b" }).length - 2;
      const kept = model.tokenizer.decode(premiseIds.slice(0, model.maxLength - special - hypothesisIds.length));
      const [logitsLong] = await model.scorePairs([{ premise: long, hypothesis }]);
      const [logitsCut] = await model.scorePairs([{ premise: kept, hypothesis }]);
      assert.ok(model.maxLength <= 128, "the test model's input is short");
      if (name.startsWith("BERT")) assert.ok(maxDifference([...logitsLong], [...logitsCut]) <= 1e-5);
      for (const score of result.scores) assert.ok(Number.isFinite(score) && score > 0 && score < 1);
    });

    it("identical texts are computed once and answered in place", async () => {
      const results = await classifier.classify(["same", "other", "same"], ["Health", "Finance"]);
      assert.deepEqual(results[0], results[2]);
      assert.equal(results[1].sequence, "other");
    });

    it("q8 loads the quantized weights: close to fp32, not identical", async () => {
      const quantized = await loadClassifier(modelDir(), { dtype: "q8" });
      const [q] = await quantized.classify(TEXTS[0], LABELS);
      const [f] = await classifier.classify(TEXTS[0], LABELS);
      const difference = maxDifference(byLabel(q), byLabel(f));
      assert.ok(difference > 0 && difference < 0.05, `q8 vs fp32 differ by ${difference}`);
    });
  });
}

describe("loading errors say what to do", () => {
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), "zs-load-"))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("a directory missing files names them", async () => {
    const dir = join(scratch, "incomplete");
    cpSync(tinyBert(), dir, { recursive: true });
    rmSync(join(dir, "tokenizer.json"));
    await assert.rejects(LocalNliModel.load(dir), (error: Error) => {
      assert.ok(error instanceof ModelLoadError);
      assert.match(error.message, /is missing tokenizer\.json/);
      return true;
    });
    await assert.rejects(LocalNliModel.load(dir, { dtype: "fp16" }), /missing tokenizer\.json, onnx\/model_fp16\.onnx/);
  });

  it("a path that does not exist says how to make a test model", async () => {
    await assert.rejects(LocalNliModel.load("./no/such/model"), /does not exist: check the path, or generate a test model/);
  });

  it("a model without an entailment label is refused, naming its labels", async () => {
    const dir = join(scratch, "sentiment");
    cpSync(tinyBert(), dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    config.label2id = { NEGATIVE: 0, NEUTRAL: 1, POSITIVE: 2 };
    config.id2label = { 0: "NEGATIVE", 1: "NEUTRAL", 2: "POSITIVE" };
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    await assert.rejects(LocalNliModel.load(dir), (error: Error) => error instanceof ModelConfigError && /NEGATIVE, NEUTRAL, POSITIVE/.test(error.message));
  });

  it("offline with a hub id that is not cached explains how to get it", async () => {
    await assert.rejects(LocalNliModel.load("some-org/not-downloaded-mnli", { offline: true, cacheDir: scratch }), (error: Error) => {
      assert.ok(error instanceof ModelLoadError);
      assert.match(error.message, /not in the download cache .* offline mode is on/);
      return true;
    });
  });

  it("an unreachable hub is a load error that names the model and the hub", async () => {
    const previous = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = "http://127.0.0.1:9"; // discard port: nothing listens
    try {
      await assert.rejects(LocalNliModel.load("some-org/unreachable-mnli", { cacheDir: scratch }), (error: Error) => {
        assert.ok(error instanceof ModelLoadError);
        assert.match(error.message, /could not load some-org\/unreachable-mnli \(fp32\) from the Hugging Face hub at http:\/\/127\.0\.0\.1:9\//);
        return true;
      });
    } finally {
      if (previous === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = previous;
    }
  });

  it("an unknown dtype and a bad batch size are input errors", async () => {
    await assert.rejects(LocalNliModel.load(tinyBert(), { dtype: "fp8" }), /unknown dtype "fp8": use one of fp32, fp16, q8/);
    await assert.rejects(LocalNliModel.load(tinyBert(), { batchSize: 0 }), /batch size 0 is not a whole number of at least 1/);
  });

  it("a hypothesis that leaves no room for the text is refused", async () => {
    const classifier = await loadClassifier(tinyBert());
    await assert.rejects(classifier.classify("text", ["word ".repeat(200)]), (error: Error) => error instanceof InputError && /leaves no room for the text/.test(error.message));
  });
});

describe("hub download", () => {
  it("downloads a hub model (from HF_ENDPOINT, here a local server), reports progress, then works offline from the cache", async () => {
    const source = tinyBert();
    const requested: string[] = [];
    const server = createServer((request, response) => {
      const match = /^\/test-org\/tiny-nli\/resolve\/main\/(.+)$/.exec(request.url ?? "");
      requested.push(request.url ?? "");
      try {
        const body = readFileSync(join(source, decodeURIComponent(match![1])));
        response.writeHead(200, { "content-length": body.length, "content-type": "application/octet-stream" });
        response.end(body);
      } catch {
        response.writeHead(404).end("not found");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const cacheDir = mkdtempSync(join(tmpdir(), "zs-hub-"));
    const previous = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const events: string[] = [];
      const downloaded = await loadClassifier("test-org/tiny-nli", { cacheDir, onDownloadProgress: (info) => events.push(info.status) });
      assert.ok(requested.some((url) => url.endsWith("onnx/model.onnx")), "the weights came from the hub server");
      assert.ok(events.includes("progress") && events.includes("done"), `progress events: ${[...new Set(events)].join(", ")}`);
      const [fromHub] = await downloaded.classify(TEXTS[0], LABELS);
      const local = await loadClassifier(source);
      const fromDirModel = () => local.scorer as LocalNliModel;
      const [fromDir] = await local.classify(TEXTS[0], LABELS);
      assert.deepEqual(fromHub.scores, fromDir.scores);
      server.close();
      const offline = await loadClassifier("test-org/tiny-nli", { cacheDir, offline: true });
      assert.deepEqual((await offline.classify(TEXTS[0], LABELS))[0].scores, fromDir.scores);
      // The download's optimised graph was saved; the offline load started from it. The cache key names the revision and the content.
      const first = downloaded.scorer as LocalNliModel;
      const second = offline.scorer as LocalNliModel;
      assert.deepEqual([first.origin, second.origin], ["optimized-now", "optimized-graph"]);
      assert.deepEqual(scorerIdentity(second), { model: "test-org/tiny-nli", dtype: "fp32", fingerprint: (fromDirModel()).fingerprint, revision: "main" });
    } finally {
      if (previous === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = previous;
      server.close();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
