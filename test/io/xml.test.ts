import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeXml } from "../../src/io/xml";

describe("escapeXml", () => {
  it("escapes the five predefined entities", () => {
    assert.equal(escapeXml(`<a href="x">Tom & Jerry's</a>`), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
  });

  it("writes characters XML cannot carry as numeric references, as S3 does", () => {
    assert.equal(escapeXml("a\u0000b\u001Fc\uFFFF"), "a&#x0;b&#x1F;c&#xFFFF;");
    assert.equal(escapeXml("lone \uD83D half"), "lone &#xD83D; half");
  });

  it("keeps emoji and other text outside the BMP as they are", () => {
    assert.equal(escapeXml("keys/🎉-résumé\n\t"), "keys/🎉-résumé\n\t");
  });
});
