import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { downloadProgress, terminalProgress } from "../../src/cli/progress";

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, write: (text: string) => written.push(text), isTTY };
};

describe("terminalProgress", () => {
  it("redraws one line on a terminal and ends it on finish", () => {
    const terminal = stream(true);
    const progress = terminalProgress("scoring pairs", terminal);
    progress(0, 4);
    progress(4, 4);
    progress.finish();
    assert.equal(terminal.written[0], `\rscoring pairs [${".".repeat(24)}] 0/4`);
    assert.equal(terminal.written.at(-2), `\rscoring pairs [${"#".repeat(24)}] 4/4`);
    assert.equal(terminal.written.at(-1), "\n");
  });

  it("writes nothing when the stream is not a terminal (pipes, CI logs, --json)", () => {
    const pipe = stream(false);
    const progress = terminalProgress("scoring pairs", pipe);
    progress(1, 2);
    progress(2, 2);
    progress.finish();
    assert.deepEqual(pipe.written, []);
  });
});

describe("downloadProgress", () => {
  it("shows a file's bytes while it downloads and a line when it is done", () => {
    const terminal = stream(true);
    const show = downloadProgress(terminal);
    show({ status: "progress", name: "Xenova/m", file: "onnx/model.onnx", progress: 50, loaded: 134_217_728, total: 268_435_456 } as never);
    show({ status: "done", name: "Xenova/m", file: "onnx/model.onnx" } as never);
    assert.match(terminal.written[0], /^\rdownloading Xenova\/m\/onnx\/model\.onnx \[#{12}\.{12}\] 128\.0 MB\/256\.0 MB$/);
    assert.match(terminal.written[1], /^\rdownloaded Xenova\/m\/onnx\/model\.onnx +\n$/);
  });
});
