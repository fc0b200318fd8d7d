/** The object store's key encoding and folder rules, on their own. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { after, describe, it } from "node:test";
import { bucketNameProblem, compareKeys, decodeKeyPart, encodeKeyPart, ObjectStore } from "../../src/emulator/objectStore";

const TRICKY_PARTS = ["", ".", "..", "...", "%", "%%", "%2e", "%2E%2E", "a\\b", "nul\u0000", "tab\tnew\nline", "ünïcødé", "😀", "con", "CON.txt", "a b", "x".repeat(80), "~user", "-rf"];

describe("object store", () => {
  const dir = mkdtempSync(join(tmpdir(), "object-store-test-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("encodes every key part to a plain file name and back, exactly", () => {
    for (const part of TRICKY_PARTS) {
      const name = encodeKeyPart(part);
      assert.match(name, /^[A-Za-z0-9._\-=+,@~()%]+$/, JSON.stringify(part));
      assert.ok(name !== "." && name !== "..", JSON.stringify(part));
      assert.equal(decodeKeyPart(name), part, JSON.stringify(part));
    }
    assert.equal(encodeKeyPart("data.jsonl"), "data.jsonl");
    assert.equal(encodeKeyPart(".."), "%2E%2E");
    assert.equal(encodeKeyPart("%2e"), "%252e");
    // Names the encoding never writes are not keys: temporary files, folder objects, non-canonical spellings.
    for (const name of ["%tmp-123", "%%", "%2e", "..", ".", "%41", "a%2", "%C0%AE"]) assert.equal(decodeKeyPart(name), undefined, name);
  });

  it("maps any key inside its bucket's folder", () => {
    const store = new ObjectStore(dir);
    const bucketDir = store.bucketPath("bucket");
    for (const key of ["../x", "../../etc/passwd", "a/../../b", "/abs", "./.", "a//b", "..\\..\\x", "%2e%2e/%2e%2e", "a/\u0000/b"]) {
      const path = store.objectPath("bucket", key);
      assert.ok(path.startsWith(bucketDir + sep), `${key} -> ${path}`);
      const names = relative(bucketDir, path).split(sep);
      assert.equal(names.length, key.split("/").length, key);
      assert.ok(!names.includes("..") && !names.includes(".") && !names.includes(""), `${key} -> ${path}`);
    }
  });

  it("orders keys by their UTF-8 bytes, as S3 lists them", () => {
    const keys = ["b", "a/", "a", "\uffff", "😀", "a-b", "A"];
    assert.deepEqual([...keys].sort(compareKeys), ["A", "a", "a-b", "a/", "b", "\uffff", "😀"]);
  });

  it("applies S3's bucket naming rules", () => {
    for (const good of ["abc", "my-bucket.data", "a1b2c3", "x".repeat(63)]) assert.equal(bucketNameProblem(good), undefined, good);
    for (const bad of ["ab", "x".repeat(64), "Upper", "a..b", "-a", "a-", "a_b", "10.0.0.1", "xn--a", "sthree-a", "a-s3alias", "a--ol-s3", "a.mrap", "..", "a/b"]) {
      assert.ok(bucketNameProblem(bad), bad);
    }
  });

  it("allows file locations under its roots only, with symbolic links resolved", () => {
    const allowed = join(dir, "allowed");
    mkdirSync(join(allowed, "in"), { recursive: true });
    symlinkSync(tmpdir(), join(allowed, "escape"));
    const store = new ObjectStore(join(dir, "data"), [allowed]);
    assert.equal(store.filePath(`file://${allowed}/in/data.jsonl`, "input"), join(allowed, "in", "data.jsonl"));
    assert.equal(store.filePath(`file://${allowed}/not-yet/made/`, "output"), join(allowed, "not-yet", "made") + "/");
    for (const uri of [`file://${allowed}/../`, `file://${allowed}/escape/x`, "file:///etc/passwd", `file://${allowed}-sibling/x`]) {
      assert.throws(() => store.filePath(uri, "input"), /outside the folders local mode may read and write.*--allow-files/, uri);
    }
  });
});
