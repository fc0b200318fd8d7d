import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml } from "../../src/io/html";

describe("escapeHtml", () => {
  it("escapes the five characters that can open markup or end an attribute", () => {
    assert.equal(escapeHtml(`<img src=x onerror="alert('1')"> & more`), "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; more");
  });

  it("leaves other text, including non-ASCII, as it is", () => {
    assert.equal(escapeHtml("Health & Fitness 🏃 — ça va"), "Health &amp; Fitness 🏃 — ça va");
    assert.equal(escapeHtml(""), "");
  });
});
