import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { userCacheDir } from "../../src/io/cacheHome";

describe("userCacheDir", () => {
  const saved = process.env.XDG_CACHE_HOME;
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  it("is ~/.cache/zero-shot-ts/... by default", () => {
    delete process.env.XDG_CACHE_HOME;
    assert.equal(userCacheDir("models"), join(homedir(), ".cache", "zero-shot-ts", "models"));
  });

  it("follows XDG_CACHE_HOME", () => {
    process.env.XDG_CACHE_HOME = "/srv/cache";
    assert.equal(userCacheDir("test-models"), "/srv/cache/zero-shot-ts/test-models");
  });
});
