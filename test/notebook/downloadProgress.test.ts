import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProgressInfo } from "../../src/backends/local/transformers";
import { notebookDownloadProgress } from "../../src/notebook/downloadProgress";

describe("notebookDownloadProgress", () => {
  it("prints one line per file each time it passes another 10%, with sizes", () => {
    const lines: string[] = [];
    const report = notebookDownloadProgress((line) => lines.push(line));
    const total = 1.6 * 1024 ** 3;
    const event = (file: string, progress: number, size = total): ProgressInfo =>
      ({ status: "progress", name: "Xenova/bart-large-mnli", file, progress, loaded: (size * progress) / 100, total: size }) as ProgressInfo;
    for (const progress of [0, 3, 9.9, 10, 10.5, 55, 56, 100]) report(event("onnx/model.onnx", progress));
    report(event("config.json", 100, 1200));
    report({ status: "done", name: "Xenova/bart-large-mnli", file: "onnx/model.onnx" } as ProgressInfo);
    assert.deepEqual(lines, [
      "downloading Xenova/bart-large-mnli/onnx/model.onnx: 0% (0 kB of 1.60 GB)",
      "downloading Xenova/bart-large-mnli/onnx/model.onnx: 10% (163.8 MB of 1.60 GB)",
      "downloading Xenova/bart-large-mnli/onnx/model.onnx: 50% (901.1 MB of 1.60 GB)",
      "downloading Xenova/bart-large-mnli/onnx/model.onnx: 100% (1.60 GB of 1.60 GB)",
      "downloading Xenova/bart-large-mnli/config.json: 100% (1 kB of 1 kB)",
    ]);
  });
});
