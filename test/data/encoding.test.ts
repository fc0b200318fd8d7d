import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeText, encodeWindows1252, parseEncoding } from "../../src/data/encoding";
import { InputError } from "../../src/errors";

describe("windows-1252", () => {
  it("decodes the bytes 0x80-0x9F as windows-1252, not latin-1", () => {
    // 0x92 ’, 0x80 €, 0x85 …, 0x96 –, 0xE9 é
    assert.equal(decodeText(Uint8Array.of(0x92, 0x80, 0x85, 0x96, 0xe9), "windows-1252"), "’€…–é");
  });

  it("auto-detects: valid UTF-8 as UTF-8, anything else as windows-1252", () => {
    assert.equal(decodeText(new TextEncoder().encode("café ’")), "café ’");
    assert.equal(decodeText(Uint8Array.of(0x63, 0x61, 0x66, 0xe9)), "café");
  });

  it("encodes what it decodes, and refuses characters the code page lacks", () => {
    const text = "I won’t — café, naïve… €5";
    assert.equal(decodeText(encodeWindows1252(text), "windows-1252"), text);
    assert.throws(() => encodeWindows1252("🎉"), InputError);
  });

  it("parses --encoding names", () => {
    assert.equal(parseEncoding("cp1252"), "windows-1252");
    assert.equal(parseEncoding("UTF8"), "utf-8");
    assert.throws(() => parseEncoding("ebcdic"), /auto, utf-8 or windows-1252/);
  });
});
