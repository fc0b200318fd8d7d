import assert from "node:assert/strict";
import { inspect } from "node:util";
import { after, describe, it } from "node:test";
import { InputError, ModelLoadError } from "../../src/errors";
import { errorLine, lastErrorStack, oneLineErrors } from "../../src/notebook/errors";

describe("one-line project errors in notebooks", () => {
  after(() => oneLineErrors({ stacks: true }));

  it("shows a project error as its kind and actionable message on one line, the stack on request", () => {
    oneLineErrors();
    const error = new ModelLoadError("model directory /x does not exist: check the path, or pass a hub id such as facebook/bart-large-mnli");
    const line = "ModelLoadError: model directory /x does not exist: check the path, or pass a hub id such as facebook/bart-large-mnli";
    assert.equal(inspect(error), line, "what tslab prints");
    assert.equal(error.stack, line, "what Deno's kernel shows as the traceback");
    assert.match(lastErrorStack(), /^ModelLoadError: model directory \/x[\s\S]*\n\s+at /);
  });

  it("joins a multi-line message into one line", () => {
    assert.equal(errorLine(new InputError("first line\n  second line")), "InputError: first line second line");
  });

  it("keeps stacks with { stacks: true } (or ZERO_SHOT_DEBUG)", () => {
    oneLineErrors({ stacks: true });
    const error = new InputError("bad");
    assert.match(error.stack ?? "", /\n\s+at /);
    assert.match(inspect(error), /\n\s+at /);
  });
});
