import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { intOption, parseCommandArgs } from "../../src/cli/args";
import { InputError } from "../../src/errors";

const OPTIONS = { labels: { type: "string", short: "l" }, json: { type: "boolean" } } as const;

describe("parseCommandArgs", () => {
  it("returns options and positionals", () => {
    const { values, positionals } = parseCommandArgs(["I will run", "-l", "Health,Finance", "--json"], OPTIONS, "Usage: x");
    assert.deepEqual({ ...values }, { labels: "Health,Finance", json: true });
    assert.deepEqual(positionals, ["I will run"]);
  });

  it("an unknown or malformed option is an InputError that ends with the usage", () => {
    assert.throws(
      () => parseCommandArgs(["--lables", "A"], OPTIONS, "Usage: zero-shot classify"),
      (error: unknown) => error instanceof InputError && /Unknown option '--lables'/.test(error.message) && error.message.endsWith("\n\nUsage: zero-shot classify"),
    );
    assert.throws(() => parseCommandArgs(["--labels"], OPTIONS, "Usage: x"), /argument missing/);
  });
});

describe("intOption", () => {
  it("parses whole numbers of at least the minimum; absent stays undefined", () => {
    assert.equal(intOption("32", "batch-size"), 32);
    assert.equal(intOption("0", "port", 0), 0);
    assert.equal(intOption(undefined, "batch-size"), undefined);
  });

  it("refuses fractions, words, and numbers below the minimum, naming the option", () => {
    assert.throws(() => intOption("2.5", "batch-size"), /--batch-size "2\.5" is not a whole number of at least 1/);
    assert.throws(() => intOption("many", "limit"), /--limit "many" is not a whole number/);
    assert.throws(() => intOption("0", "batch-size"), /--batch-size "0" is not a whole number of at least 1/);
    assert.throws(() => intOption("-1", "port", 0), InputError);
  });
});
