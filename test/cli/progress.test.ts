import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { downloadProgress, formatDuration, rateAndEta, terminalProgress, timedStep } from "../../src/cli/progress";

/** A terminal stand-in that records what is drawn, and a clock the test moves by hand. */
function terminal(isTTY = true) {
  const lines: string[] = [];
  return { stream: { isTTY, write: (text: string) => (lines.push(text), true) }, lines };
}
function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}
/** What a person sees: the line without carriage return and erase-to-end codes. */
const visible = (text: string) => text.replace(/\r|\x1b\[K/g, "");

describe("terminal progress", () => {
  it("formats durations as a clock reads them", () => {
    assert.deepEqual([0, 7, 59.6, 754, 3723].map(formatDuration), ["0:00", "0:07", "1:00", "12:34", "1:02:03"]);
  });

  it("measures the mean rate and the time left, and the time taken at the end", () => {
    assert.equal(rateAndEta(0, 100, 5000, " pairs"), "");
    assert.equal(rateAndEta(250, 1000, 2000, " pairs"), "125 pairs/s, 0:06 left");
    assert.equal(rateAndEta(3, 1000, 2000, " pairs"), "1.5 pairs/s, 11:05 left");
    assert.equal(rateAndEta(1000, 1000, 8000, " pairs"), "125 pairs/s, took 0:08");
  });

  it("draws bar, counts, rate and time left, at most every 100 ms, and always the last step", () => {
    const { stream, lines } = terminal();
    const time = clock();
    const progress = terminalProgress("classifying", { stream, now: time.now, unit: "pairs" });
    time.advance(2000);
    progress(300, 1200);
    time.advance(50);
    progress(310, 1200); // within 100 ms of the last draw: skipped
    time.advance(2000);
    progress(600, 1200);
    time.advance(10);
    progress(1200, 1200); // the last step is always drawn
    progress.finish();
    assert.deepEqual(lines.map(visible), [
      "classifying [######..................] 300/1200 150 pairs/s, 0:06 left",
      "classifying [############............] 600/1200 148 pairs/s, 0:04 left",
      "classifying [########################] 1200/1200 296 pairs/s, took 0:04",
      "\n",
    ]);
  });

  it("writes nothing when stderr is not a terminal", () => {
    const { stream, lines } = terminal(false);
    const progress = terminalProgress("scoring", { stream, unit: "pairs" });
    progress(5, 10);
    progress(10, 10);
    progress.finish();
    assert.deepEqual(lines, []);
  });

  it("shows each hub download with bytes, speed and time left", () => {
    const { stream, lines } = terminal();
    const time = clock();
    const report = downloadProgress({ stream, now: time.now });
    const file = { name: "Xenova/distilbert-base-uncased-mnli", file: "onnx/model.onnx" };
    const total = 268 * 1024 * 1024;
    report({ status: "initiate", ...file });
    report({ status: "download", ...file });
    time.advance(4000);
    report({ status: "progress", ...file, loaded: total / 4, total, progress: 25 });
    time.advance(4000);
    report({ status: "progress", ...file, loaded: total, total, progress: 100 });
    report({ status: "done", ...file });
    assert.deepEqual(lines.map(visible), [
      "downloading Xenova/distilbert-base-uncased-mnli/onnx/model.onnx [######..................] 67.0 MB/268.0 MB 16.8 MB/s, 0:12 left",
      "downloading Xenova/distilbert-base-uncased-mnli/onnx/model.onnx [########################] 268.0 MB/268.0 MB 33.5 MB/s, took 0:08",
      "downloaded Xenova/distilbert-base-uncased-mnli/onnx/model.onnx\n",
    ]);
  });

  it("shows nothing for a local model directory, which transformers.js reports file by file too", () => {
    const { stream, lines } = terminal();
    const report = downloadProgress({ stream });
    const file = { name: "/home/me/models/tiny-bert-nli", file: "onnx/model.onnx" };
    report({ status: "progress", ...file, loaded: 140_000, total: 140_000, progress: 100 });
    report({ status: "done", ...file });
    assert.deepEqual(lines, []);
  });

  it("says when a step without measurable progress starts and how long it took, and passes its result on", async () => {
    const { stream, lines } = terminal();
    const time = clock();
    let release!: (value: string) => void;
    const step = timedStep("loading model Xenova/distilbert-base-uncased-mnli", () => new Promise<string>((resolve) => (release = resolve)), { stream, now: time.now });
    assert.deepEqual(lines, ["loading model Xenova/distilbert-base-uncased-mnli ...\n"]);
    time.advance(12_400);
    release("the model");
    assert.equal(await step, "the model");
    assert.deepEqual(lines.slice(1), ["loading model Xenova/distilbert-base-uncased-mnli: done in 0:12\n"]);
    const quiet = terminal(false);
    assert.equal(await timedStep("loading", async () => 42, { stream: quiet.stream }), 42);
    assert.deepEqual(quiet.lines, []);
  });
});
