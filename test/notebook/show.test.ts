/** showHtml / showMarkdown: one display_data per call, with a plain-text fallback a terminal reader can use. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors";
import type { KernelDisplayWriter } from "../../src/notebook/kernel";
import { showHtml, showMarkdown } from "../../src/notebook/show";

function recorder() {
  const sent: { data: Record<string, unknown>; update: boolean }[] = [];
  const write: KernelDisplayWriter = (content, update) => sent.push({ data: content.data as Record<string, unknown>, update });
  return { sent, write };
}

describe("showHtml", () => {
  it("sends the HTML untouched and a text fallback with a line per row or paragraph and a tab per cell", async () => {
    const { sent, write } = recorder();
    const html = "<h3>Scores</h3><table><caption>top labels</caption><tr><th>label</th><th>score</th></tr><tr><td>Health</td><td>0.91</td></tr></table><p>done</p>";
    await showHtml(html, { write });
    assert.equal(sent.length, 1);
    assert.equal(sent[0].update, false);
    assert.equal(sent[0].data["text/html"], html);
    assert.equal(sent[0].data["text/plain"], "Scores\ntop labels\nlabel\tscore\t\nHealth\t0.91\t\ndone");
  });

  it("decodes entities once in the fallback, so escaped text reads as the text a user typed", async () => {
    const { sent, write } = recorder();
    await showHtml("<p>&lt;b&gt; &quot;A&quot; &#39;B&#39; R&amp;D &amp;lt;tag&amp;gt;</p>", { write });
    assert.equal(sent[0].data["text/plain"], `<b> "A" 'B' R&D &lt;tag&gt;`);
  });
});

describe("showMarkdown", () => {
  it("sends the markdown as both the rich output and its own fallback", async () => {
    const { sent, write } = recorder();
    await showMarkdown("> **Note:** scores are *not* probabilities", { write });
    assert.deepEqual(sent, [
      { data: { "text/markdown": "> **Note:** scores are *not* probabilities", "text/plain": "> **Note:** scores are *not* probabilities" }, update: false },
    ]);
  });
});

describe("outside a notebook kernel", () => {
  it("refuses with an InputError that says where to call it", async () => {
    await assert.rejects(showHtml("<p>x</p>"), (error: unknown) => error instanceof InputError && /no notebook kernel to display in/.test(error.message));
    await assert.rejects(showMarkdown("x"), InputError);
  });
});
