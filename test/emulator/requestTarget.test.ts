import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodePathPart, parseRequestTarget } from "../../src/emulator/requestTarget";

describe("parseRequestTarget", () => {
  it("splits path and decoded query, keeping the raw target for the signature", () => {
    const target = parseRequestTarget("/my-bucket/in%20put/a.jsonl?list-type=2&prefix=in%2Fx&continuation-token=a%2Bb");
    assert.ok(target);
    assert.equal(target.raw, "/my-bucket/in%20put/a.jsonl?list-type=2&prefix=in%2Fx&continuation-token=a%2Bb");
    assert.equal(target.path, "/my-bucket/in%20put/a.jsonl");
    assert.deepEqual([...target.query], [["list-type", "2"], ["prefix", "in/x"], ["continuation-token", "a+b"]]);
  });

  it("never resolves the path: dot segments, doubled slashes and brackets stay as sent", () => {
    assert.equal(parseRequestTarget("/bucket/../x")?.path, "/bucket/../x");
    assert.equal(parseRequestTarget("//[")?.path, "//[");
    assert.equal(parseRequestTarget("/b//k/./y")?.path, "/b//k/./y");
  });

  it("gives an empty query for a target without one, or with a bare question mark", () => {
    assert.equal(parseRequestTarget("/")?.path, "/");
    assert.equal([...parseRequestTarget("/")!.query].length, 0);
    assert.equal(parseRequestTarget("/b?")?.path, "/b");
    assert.equal([...parseRequestTarget("/b?")!.query].length, 0);
  });

  it("refuses every form but origin-form, and targets with whitespace or a fragment", () => {
    for (const raw of ["", "*", "http://127.0.0.1/b/k", "b/k", "/a b", "/a\tb", "/a\nb", "/a#frag"]) {
      assert.equal(parseRequestTarget(raw), undefined, JSON.stringify(raw));
    }
  });
});

describe("decodePathPart", () => {
  it("percent-decodes UTF-8, leaving + as it is", () => {
    assert.equal(decodePathPart("caf%C3%A9%20%E2%9C%93"), "café ✓");
    assert.equal(decodePathPart("a+b"), "a+b");
    assert.equal(decodePathPart("a%2Fb"), "a/b");
  });

  it("gives undefined for malformed encodings instead of throwing", () => {
    for (const part of ["%zz", "%E2", "%", "abc%4"]) assert.equal(decodePathPart(part), undefined, part);
  });
});
