import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KernelDisplayWriter } from "../../src/notebook/kernel";
import { notebookProgress } from "../../src/notebook/progress";

describe("notebookProgress", () => {
  it("shows one output, then updates it in place, and always shows the end", () => {
    const messages: { text: string; update: boolean; id?: string }[] = [];
    const write: KernelDisplayWriter = (content, update) => messages.push({ text: (content.data as { "text/plain": string })["text/plain"], update, id: content.transient.display_id });
    const progress = notebookProgress("scoring pairs", { write, minIntervalMs: 60_000 });
    progress(0, 90);
    progress(45, 90); // within the interval: skipped
    progress(90, 90);
    assert.deepEqual(messages.map(({ text, update }) => [text, update]), [
      ["scoring pairs: 0/90 pairs (0%)", false],
      ["scoring pairs: 90/90 pairs (100%)", true],
    ]);
    assert.equal(messages[0].id, messages[1].id);
  });

  it("does nothing outside a notebook", () => {
    assert.doesNotThrow(() => notebookProgress("x")(1, 2));
  });
});
