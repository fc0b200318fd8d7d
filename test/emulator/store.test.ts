import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ResourceStore } from "../../src/emulator/store";
import { tempDirs } from "../helpers/tempDirs";

interface Job {
  TransformJobName: string;
  TransformJobStatus: "InProgress" | "Completed" | "Failed";
  FailureReason?: string;
}

const tempDir = tempDirs("resource-store-test-");

/** A Failed job standing for a damaged record, as the transform jobs store uses. */
const failDamaged = {
  check: (record: unknown) => (typeof (record as Job).TransformJobStatus === "string" ? undefined : "has no TransformJobStatus"),
  replace: (name: string, reason: string): Job => ({ TransformJobName: name, TransformJobStatus: "Failed", FailureReason: `its record ${reason}` }),
};

describe("ResourceStore", () => {
  it("keeps records in memory and in one JSON file each, which a new store on the folder reads back", () => {
    const dir = join(tempDir(), "jobs"); // created by the store
    const store = new ResourceStore<Job>(dir);
    const live = store.put("j1", { TransformJobName: "j1", TransformJobStatus: "InProgress" });
    store.put("j2", { TransformJobName: "j2", TransformJobStatus: "Completed" });
    assert.equal(store.get("j1"), live);
    assert.ok(store.has("j2"));
    assert.equal(store.get("nope"), undefined);
    assert.deepEqual(readdirSync(dir).sort(), ["j1.json", "j2.json"]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "j1.json"), "utf8")), { TransformJobName: "j1", TransformJobStatus: "InProgress" });

    const reopened = new ResourceStore<Job>(dir);
    assert.deepEqual(reopened.values().map((job) => job.TransformJobName).sort(), ["j1", "j2"]);
    assert.deepEqual(reopened.get("j2"), { TransformJobName: "j2", TransformJobStatus: "Completed" });
  });

  it("updates the live record in place and persists the change", () => {
    const dir = tempDir();
    const store = new ResourceStore<Job>(dir);
    const live = store.put("j1", { TransformJobName: "j1", TransformJobStatus: "InProgress" });
    const updated = store.update("j1", { TransformJobStatus: "Completed" });
    assert.equal(updated, live);
    assert.equal(live.TransformJobStatus, "Completed");
    assert.equal(new ResourceStore<Job>(dir).get("j1")?.TransformJobStatus, "Completed");
    assert.equal(store.update("missing", { TransformJobStatus: "Failed" }), undefined);
    assert.ok(!existsSync(join(dir, "missing.json")));
  });

  it("deletes the record and its file; deleting twice says it was not there", () => {
    const dir = tempDir();
    const store = new ResourceStore<Job>(dir);
    store.put("j1", { TransformJobName: "j1", TransformJobStatus: "Completed" });
    assert.equal(store.delete("j1"), true);
    assert.equal(store.delete("j1"), false);
    assert.equal(store.has("j1"), false);
    assert.deepEqual(readdirSync(dir), []);
    assert.equal(new ResourceStore<Job>(dir).values().length, 0);
  });

  it("without a damage policy, leaves files it did not write alone and does not load them", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "torn.json"), '{"TransformJobName": "tor');
    writeFileSync(join(dir, "notes.txt"), "not a record");
    const store = new ResourceStore<Job>(dir);
    assert.equal(store.values().length, 0);
    assert.equal(readFileSync(join(dir, "torn.json"), "utf8"), '{"TransformJobName": "tor');
    assert.deepEqual(readdirSync(dir).sort(), ["notes.txt", "torn.json"]);
  });

  it("with a damage policy, replaces unreadable or invalid records and keeps the damaged bytes beside them", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "torn.json"), '{"TransformJobName": "tor');
    writeFileSync(join(dir, "odd.json"), '{"TransformJobName": "odd"}');
    writeFileSync(join(dir, "good.json"), JSON.stringify({ TransformJobName: "good", TransformJobStatus: "Completed" }));
    const store = new ResourceStore<Job>(dir, failDamaged);
    assert.deepEqual(store.get("torn"), { TransformJobName: "torn", TransformJobStatus: "Failed", FailureReason: "its record is not JSON" });
    assert.deepEqual(store.get("odd"), { TransformJobName: "odd", TransformJobStatus: "Failed", FailureReason: "its record has no TransformJobStatus" });
    assert.equal(store.get("good")?.TransformJobStatus, "Completed");
    assert.equal(readFileSync(join(dir, "torn.json.damaged"), "utf8"), '{"TransformJobName": "tor');
    assert.equal(readFileSync(join(dir, "odd.json.damaged"), "utf8"), '{"TransformJobName": "odd"}');

    // The replacement was persisted: the next start reads it as a good record and keeps the damaged copy as it was.
    const reopened = new ResourceStore<Job>(dir, failDamaged);
    assert.equal(reopened.get("torn")?.FailureReason, "its record is not JSON");
    assert.equal(readFileSync(join(dir, "torn.json.damaged"), "utf8"), '{"TransformJobName": "tor');
    assert.deepEqual(readdirSync(dir).sort(), ["good.json", "odd.json", "odd.json.damaged", "torn.json", "torn.json.damaged"]);
  });

  it("starts beside a folder named like a record, leaving it alone, with or without a damage policy", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "folder.json"));
    writeFileSync(join(dir, "good.json"), JSON.stringify({ TransformJobName: "good", TransformJobStatus: "Completed" }));
    const store = new ResourceStore<Job>(dir, failDamaged);
    assert.equal(store.get("folder"), undefined);
    assert.equal(store.get("good")?.TransformJobStatus, "Completed");
    assert.deepEqual(readdirSync(dir).sort(), ["folder.json", "good.json"]);
  });

  it("ignores the .damaged copies and files that are not .json", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "j1.json.damaged"), "garbage");
    writeFileSync(join(dir, "j1.json.123.0.tmp"), "{");
    writeFileSync(join(dir, "list.json"), "[]");
    const store = new ResourceStore<Job>(dir, failDamaged);
    assert.deepEqual(store.values().map((job) => job.TransformJobName), ["list"]);
    assert.equal(store.get("list")?.FailureReason, "its record has no TransformJobStatus");
    assert.equal(readFileSync(join(dir, "j1.json.damaged"), "utf8"), "garbage");
  });
});
