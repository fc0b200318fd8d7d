/**
 * Text encodings of data files. The resolutions file is windows-1252, not UTF-8; both directions are
 * done here without extra packages.
 */
import { InputError } from "../errors";

/** `auto` reads UTF-8 when the bytes are valid UTF-8, else windows-1252. */
export type TextEncodingName = "auto" | "utf-8" | "windows-1252";

/**
 * windows-1252's bytes 0x80-0x9F, the only ones that differ from latin-1. Node 20's
 * `TextDecoder("windows-1252")` decodes them as latin-1 control characters, so the table is spelled out
 * here (the WHATWG Encoding Standard's mapping; its five unassigned bytes stay control characters).
 */
const WINDOWS_1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/** Decodes windows-1252 bytes. */
export function decodeWindows1252(bytes: Uint8Array): string {
  let text = "";
  const chunk = 8192;
  for (let start = 0; start < bytes.length; start += chunk) {
    const codes = Array.from(bytes.subarray(start, start + chunk), (byte) => (byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_HIGH.charCodeAt(byte - 0x80) : byte));
    text += String.fromCharCode(...codes);
  }
  return text;
}

/** Decodes file bytes; a UTF-8 byte-order mark is dropped. */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingName = "auto"): string {
  if (encoding === "utf-8") return new TextDecoder("utf-8").decode(bytes);
  if (encoding === "windows-1252") return decodeWindows1252(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

let windows1252Bytes: Map<string, number> | undefined;

/** Encodes text as windows-1252; a character that code page lacks is an `InputError` naming it. */
export function encodeWindows1252(text: string): Uint8Array {
  if (!windows1252Bytes) {
    windows1252Bytes = new Map();
    for (let byte = 0; byte < 256; byte++) windows1252Bytes.set(decodeWindows1252(Uint8Array.of(byte)), byte);
  }
  const out = new Uint8Array(text.length);
  let length = 0;
  for (const char of text) {
    const byte = windows1252Bytes.get(char);
    if (byte === undefined) {
      throw new InputError(`${JSON.stringify(char)} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) has no windows-1252 byte: write the file as UTF-8 instead`);
    }
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

/** Parses an `--encoding` value. */
export function parseEncoding(value: string | undefined): TextEncodingName {
  const name = (value ?? "auto").toLowerCase().replace(/^(utf8)$/, "utf-8").replace(/^(cp1252|latin1|latin-1)$/, "windows-1252");
  if (name === "auto" || name === "utf-8" || name === "windows-1252") return name;
  throw new InputError(`unknown encoding ${JSON.stringify(value)}: use auto, utf-8 or windows-1252`);
}
