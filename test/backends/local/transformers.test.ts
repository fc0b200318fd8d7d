/** The one door to transformers.js: nothing loads on import; the first use loads it once, for every caller. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as Door from "../../../src/backends/local/transformers";

const isTransformersJs = (path: string) => /[\\/]node_modules[\\/]@huggingface[\\/]transformers[\\/]/.test(path);
const loadedModules = () => Object.keys(require.cache).filter(isTransformersJs);

describe("transformers", () => {
  it("loads transformers.js on first use only, once, and hands every caller the same module", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- imported here, after the cache was read
    const door = require("../../../src/backends/local/transformers") as typeof Door;
    assert.deepEqual(loadedModules(), [], "importing the door loads nothing");
    assert.equal("pipeline" in door.transformers, true, "the first touch loads it");
    assert.notDeepEqual(loadedModules(), []);
    const module = door.loadTransformers();
    assert.equal(door.loadTransformers(), module, "loaded once");
    assert.equal(module, require("@huggingface/transformers"), "the package's own exports, the one shared env");
    assert.equal(door.transformers.env, module.env);
    assert.equal(door.transformers.AutoTokenizer, module.AutoTokenizer);
  });
});
