import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { assertMatchesSnapshot, changedSnapshotPath } from "./snapshot";

describe("assertMatchesSnapshot", () => {
  const dir = mkdtempSync(join(tmpdir(), "zs-snapshot-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("passes on an equal rendering and leaves no -changed file", () => {
    const path = join(dir, "same.svg");
    writeFileSync(path, "<svg>1</svg>");
    writeFileSync(changedSnapshotPath(path), "stale");
    assertMatchesSnapshot("<svg>1</svg>", path, {});
    assert.equal(existsSync(join(dir, "same-changed.svg")), false);
  });

  it("fails on a changed rendering and writes it to NAME-changed.EXT for review, keeping the snapshot", () => {
    const path = join(dir, "chart.svg");
    writeFileSync(path, "<svg>old</svg>");
    assert.throws(() => assertMatchesSnapshot("<svg>new</svg>", path, {}), /chart\.svg differs from the rendering, written to .*chart-changed\.svg/);
    assert.equal(readFileSync(join(dir, "chart-changed.svg"), "utf8"), "<svg>new</svg>");
    assert.equal(readFileSync(path, "utf8"), "<svg>old</svg>");
  });

  it("UPDATE_SNAPSHOTS=1 accepts the new rendering and removes the -changed file", () => {
    const path = join(dir, "accepted.svg");
    writeFileSync(path, "<svg>old</svg>");
    assert.throws(() => assertMatchesSnapshot("<svg>new</svg>", path, {}));
    assertMatchesSnapshot("<svg>new</svg>", path, { UPDATE_SNAPSHOTS: "1" });
    assert.equal(readFileSync(path, "utf8"), "<svg>new</svg>");
    assert.equal(existsSync(changedSnapshotPath(path)), false);
  });

  it("fails in CI when the snapshot is missing or empty, and writes nothing", () => {
    const missing = join(dir, "missing.svg");
    assert.throws(() => assertMatchesSnapshot("<svg/>", missing, { CI: "true" }), /missing\.svg is missing or empty: run the test with UPDATE_SNAPSHOTS=1/);
    assert.equal(existsSync(missing), false);
    const empty = join(dir, "empty.svg");
    writeFileSync(empty, "");
    assert.throws(() => assertMatchesSnapshot("<svg/>", empty, { CI: "true" }), /empty\.svg is missing or empty/);
    assert.equal(readFileSync(empty, "utf8"), "");
  });

  it("writes a missing snapshot on a developer's machine", () => {
    const path = join(dir, "new", "first.svg");
    assertMatchesSnapshot("<svg>first</svg>", path, {});
    assert.equal(readFileSync(path, "utf8"), "<svg>first</svg>");
  });
});
