import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatCsv, parseCsv } from "../../src/data/csv";
import { InputError } from "../../src/errors";

describe("parseCsv", () => {
  it("ends rows at CRLF, LF and bare CR alike", () => {
    assert.deepEqual(parseCsv("a,b\r\n1,2\r3,4\n5,6"), [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]]);
  });

  it("keeps commas, doubled quotes and line breaks inside quoted fields", () => {
    assert.deepEqual(parseCsv('text,n\r"run, swim ""and"" bike",1\r"line one\r\nline two",2\r'), [
      ["text", "n"],
      ['run, swim "and" bike', "1"],
      ["line one\r\nline two", "2"],
    ]);
  });

  it("keeps empty fields and skips blank lines", () => {
    assert.deepEqual(parseCsv("a,b,c\r\n,x,\r\n\r\n"), [["a", "b", "c"], ["", "x", ""]]);
  });

  it("says where an unclosed quote starts", () => {
    assert.throws(() => parseCsv('a\r\nok\r\n"never closed\r\n'), (error: Error) => error instanceof InputError && /line 3/.test(error.message));
  });

  it("round-trips through formatCsv", () => {
    const rows = [["text", "label"], ['say "hi", then leave', "Humor"], ["two\nlines", "Career"]];
    assert.deepEqual(parseCsv(formatCsv(rows, "\r")), rows);
  });
});
