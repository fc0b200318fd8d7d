import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { chooseNotebookModel, modelNotice, NOTEBOOK_DEFAULT_MODEL, PROJECT_ROOT } from "../../src/notebook/config";
import { tinyBart, tinyBert } from "../helpers/models";

const NOTEBOOKS = join(PROJECT_ROOT, "notebooks");

describe("the notebooks' model choice (ZERO_SHOT_MODEL)", () => {
  it("defaults to the walkthrough's facebook/bart-large-mnli, through the library's alias", () => {
    const choice = chooseNotebookModel({}, NOTEBOOKS);
    assert.equal(choice.model, "Xenova/bart-large-mnli");
    assert.deepEqual(choice.source, { kind: "hub", id: "Xenova/bart-large-mnli", name: NOTEBOOK_DEFAULT_MODEL });
    assert.equal(choice.chosenBy, "default");
    assert.equal(choice.randomWeights, false);
    assert.deepEqual(Object.keys(choice.options), ["onDownloadProgress"], "no dtype unless ZERO_SHOT_DTYPE or the config cell says so; download progress shown");
  });

  it("takes another hub id as given", () => {
    const choice = chooseNotebookModel({ ZERO_SHOT_MODEL: " Xenova/nli-deberta-v3-xsmall " }, NOTEBOOKS);
    assert.equal(choice.model, "Xenova/nli-deberta-v3-xsmall");
    assert.equal(choice.chosenBy, "ZERO_SHOT_MODEL");
  });

  it("takes an absolute model directory, and knows a generated one has random weights", () => {
    const choice = chooseNotebookModel({ ZERO_SHOT_MODEL: tinyBart() }, NOTEBOOKS);
    assert.equal(choice.model, tinyBart());
    assert.equal(choice.source.kind, "directory");
    assert.equal(choice.randomWeights, true);
  });

  it("finds a relative directory from the project root when the notebook folder does not have it", () => {
    const choice = chooseNotebookModel({ ZERO_SHOT_MODEL: relative(PROJECT_ROOT, tinyBert()) }, NOTEBOOKS);
    assert.equal(choice.model, tinyBert());
  });

  it("turns a test-model preset name into the generated model's directory", () => {
    assert.equal(chooseNotebookModel({ ZERO_SHOT_MODEL: "tiny-bert-nli" }, NOTEBOOKS).model, tinyBert());
  });

  it("passes ZERO_SHOT_DTYPE on as the load option", () => {
    assert.equal(chooseNotebookModel({ ZERO_SHOT_DTYPE: "q8" }, NOTEBOOKS).options.dtype, "q8");
  });

  it("tells the reader which model runs, and warns that a test model's numbers are random", () => {
    const hub = modelNotice(chooseNotebookModel({}, NOTEBOOKS));
    assert.match(hub, /`facebook\/bart-large-mnli` from the Hugging Face hub \(transformers\.js weights: `Xenova\/bart-large-mnli`\)/);
    assert.doesNotMatch(hub, /random/);
    const test = modelNotice(chooseNotebookModel({ ZERO_SHOT_MODEL: tinyBart() }, NOTEBOOKS));
    assert.match(test, /These numbers are random \(random test model: scores are meaningless\)/);
    assert.ok(test.includes(tinyBart()));
  });
});
