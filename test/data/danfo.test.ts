/** danfojs-node on first use: importing the door loads nothing (it takes about a second); the first call loads it once. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as Door from "../../src/data/danfo";

const isDanfo = (path: string) => /[\\/]node_modules[\\/]danfojs-node[\\/]/.test(path);
const loadedModules = () => Object.keys(require.cache).filter(isDanfo);

describe("danfo", () => {
  it("loads danfojs-node on the first call only, once, and builds a real DataFrame", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- imported here, after the cache was read
    const door = require("../../src/data/danfo") as typeof Door;
    assert.deepEqual(loadedModules(), [], "importing the door loads nothing");
    const dfd = door.danfo();
    assert.notDeepEqual(loadedModules(), [], "the first call loads it");
    assert.equal(door.danfo(), dfd, "loaded once");
    assert.equal(dfd, require("danfojs-node"));
    const frame = new dfd.DataFrame({ label: ["Health", "Finance"], score: [0.75, 0.25] });
    assert.deepEqual(frame.shape, [2, 2]);
    assert.deepEqual(frame.columns, ["label", "score"]);
  });
});
