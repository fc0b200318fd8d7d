import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GRAPH_RECORD_FILE, LocalNliModel } from "../../../src/backends/local/localNliModel";
import { OPTIMIZED_GRAPH_FILE, optimizedGraphDir, optimizedGraphName, physicalCoreCount, sessionOptionsFor, threadsPerCopy } from "../../../src/backends/local/sessionOptions";
import { tinyBart, tinyBert } from "../../helpers/models";

const CPUINFO_TWO_CORES_FOUR_THREADS = ["0 0", "0 1", "0 0", "0 1"]
  .map((ids, processor) => `processor\t: ${processor}\nphysical id\t: ${ids.split(" ")[0]}\ncore id\t\t: ${ids.split(" ")[1]}\n`)
  .join("\n");

describe("session options for the machine", () => {
  it("one thread per physical core, not per hyper-thread", () => {
    assert.equal(Math.min(2, physicalCoreCount(CPUINFO_TWO_CORES_FOUR_THREADS)), physicalCoreCount(CPUINFO_TWO_CORES_FOUR_THREADS));
    assert.ok(physicalCoreCount(CPUINFO_TWO_CORES_FOUR_THREADS) <= 2);
    const options = sessionOptionsFor("cpu", { threads: 3 });
    assert.deepEqual(
      { threads: options.intraOpNumThreads, level: options.graphOptimizationLevel, arena: options.enableCpuMemArena, pattern: options.enableMemPattern, providers: options.executionProviders },
      { threads: 3, level: "all", arena: true, pattern: true, providers: ["cpu"] },
    );
  });
});

describe("threads", () => {
  it("shares the machine's physical cores among copies side by side (pool workers, instance processes), at least one thread each", () => {
    assert.deepEqual([1, 2, 3, 4, 16].map((instances) => threadsPerCopy(instances, 8)), [8, 4, 2, 2, 1]);
    assert.deepEqual([1, 2, 4].map((instances) => threadsPerCopy(instances, 2)), [2, 1, 1]);
  });

  it("the optimised graph's name does not depend on the thread count, so a busy load reuses an idle load's graph", () => {
    const fingerprint = "f".repeat(64);
    assert.equal(optimizedGraphName(fingerprint, "fp32", "cpu", sessionOptionsFor("cpu", { threads: 1 })), optimizedGraphName(fingerprint, "fp32", "cpu", sessionOptionsFor("cpu", { threads: 2 })));
    assert.notEqual(optimizedGraphName(fingerprint, "fp32", "cpu", sessionOptionsFor("cpu")), optimizedGraphName(fingerprint, "q8", "cpu", sessionOptionsFor("cpu")));
  });
});

describe("scores whatever the thread count", () => {
  it("one thread and two give the same logits within 1e-5, so a busy machine changes only the speed", async () => {
    const pairs = [
      { premise: "I will run a marathon this year and eat better", hypothesis: "This example is Health." },
      { premise: "Save more money", hypothesis: "This example is Finance." },
    ];
    const [one, two] = await Promise.all([LocalNliModel.load(tinyBert(), { threads: 1, reuseOptimizedGraph: false }), LocalNliModel.load(tinyBert(), { threads: 2, reuseOptimizedGraph: false })]);
    const [a, b] = [await one.scorePairs(pairs), await two.scorePairs(pairs)];
    a.forEach((row, i) => row.forEach((logit, j) => assert.ok(Math.abs(logit - b[i][j]) <= 1e-5, `pair ${i} logit ${j}: ${logit} vs ${b[i][j]}`)));
    await Promise.all([one.dispose(), two.dispose()]);
  });
});

describe("optimised graph saved once and reused", () => {
  let cacheDir: string;
  before(() => (cacheDir = mkdtempSync(join(tmpdir(), "zs-graphs-"))));
  after(() => rmSync(cacheDir, { recursive: true, force: true }));

  const pairs = [
    { premise: "I will run a marathon", hypothesis: "This example is Health." },
    { premise: "Save more money and pay off my credit card!", hypothesis: "This example is Finance." },
    { premise: "read", hypothesis: "This example is Education." },
  ];

  for (const [name, dir] of [["BERT-style", tinyBert], ["BART-style", tinyBart]] as const) {
    it(`${name}: the first load optimises and saves the graph; the next starts from it with identical logits`, async () => {
      const first = await LocalNliModel.load(dir(), { cacheDir });
      assert.equal(first.origin, "optimized-now");
      const saved = readdirSync(optimizedGraphDir(cacheDir)).filter((file) => !file.startsWith("."));
      assert.ok(saved.length >= 1, "an optimised graph was saved");
      const second = await LocalNliModel.load(dir(), { cacheDir });
      assert.equal(second.origin, "optimized-graph");
      assert.deepEqual(second.firstToken, first.firstToken, "the saved graph's record says it was narrowed");
      assert.deepEqual(await second.scorePairs(pairs), await first.scorePairs(pairs));
      // Without reuse, the same logits again.
      const plain = await LocalNliModel.load(dir(), { cacheDir, reuseOptimizedGraph: false });
      assert.equal(plain.origin, "optimized-now");
      assert.deepEqual(await plain.scorePairs(pairs), await first.scorePairs(pairs));
      await Promise.all([first.dispose(), second.dispose(), plain.dispose()]);
    });
  }

  it("a saved graph is a folder: the ONNX graph, its weights pre-packed for this CPU, and the record of its narrowing", () => {
    for (const folder of readdirSync(optimizedGraphDir(cacheDir))) {
      const files = readdirSync(join(optimizedGraphDir(cacheDir), folder)).sort();
      assert.deepEqual(files, [GRAPH_RECORD_FILE, OPTIMIZED_GRAPH_FILE, `${OPTIMIZED_GRAPH_FILE}.data`]);
      const record = JSON.parse(readFileSync(join(optimizedGraphDir(cacheDir), folder, GRAPH_RECORD_FILE), "utf8"));
      assert.deepEqual({ narrowed: record.firstToken.narrowed, slices: record.firstToken.slices }, { narrowed: 3, slices: 2 });
    }
  });

  const savedFiles = (name: string) =>
    readdirSync(optimizedGraphDir(cacheDir))
      .filter((folder) => !folder.startsWith("."))
      .map((folder) => join(optimizedGraphDir(cacheDir), folder, name));
  for (const [damage, file, spoil] of [
    ["graph not a model at all", OPTIMIZED_GRAPH_FILE, () => Buffer.from("not an onnx model")],
    ["graph empty", OPTIMIZED_GRAPH_FILE, () => Buffer.alloc(0)],
    ["weights cut short", `${OPTIMIZED_GRAPH_FILE}.data`, (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1)],
    ["weights missing", `${OPTIMIZED_GRAPH_FILE}.data`, undefined],
  ] as const) {
    it(`a damaged saved graph (${damage}) is ignored and rewritten: same logits, no crash`, async () => {
      const reference = await LocalNliModel.load(tinyBert(), { cacheDir, reuseOptimizedGraph: false });
      const expected = await reference.scorePairs(pairs);
      await LocalNliModel.load(tinyBert(), { cacheDir }).then((model) => model.dispose()); // make sure a graph is saved
      for (const path of savedFiles(file)) {
        if (spoil) writeFileSync(path, spoil(readFileSync(path)));
        else rmSync(path);
      }
      const model = await LocalNliModel.load(tinyBert(), { cacheDir });
      assert.equal(model.origin, "optimized-now");
      assert.deepEqual(await model.scorePairs(pairs), expected);
      const again = await LocalNliModel.load(tinyBert(), { cacheDir });
      assert.equal(again.origin, "optimized-graph");
      assert.deepEqual(await again.scorePairs(pairs), expected);
      assert.equal(readdirSync(optimizedGraphDir(cacheDir)).filter((name) => name.startsWith(".")).length, 0, "no partial folder left behind");
      await Promise.all([reference.dispose(), model.dispose(), again.dispose()]);
    });
  }

  it("saving a graph removes what no load will read: older single-file graphs, partial folders of loads that died", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "zs-graphs-old-"));
    try {
      mkdirSync(optimizedGraphDir(fresh), { recursive: true });
      const old = join(optimizedGraphDir(fresh), "7e829e429deff26ea8109449ca27e5cc.onnx");
      writeFileSync(old, "an optimised graph in the older single-file layout");
      const dead = join(optimizedGraphDir(fresh), ".4242-0badf00d.partial");
      const live = join(optimizedGraphDir(fresh), ".4343-0000cafe.partial");
      mkdirSync(dead);
      mkdirSync(live);
      const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
      utimesSync(dead, twoHoursAgo, twoHoursAgo);
      const model = await LocalNliModel.load(tinyBert(), { cacheDir: fresh });
      assert.equal(existsSync(old), false);
      assert.equal(existsSync(dead), false);
      assert.equal(existsSync(live), true, "a recent partial folder may be another load saving right now");
      assert.equal(readdirSync(optimizedGraphDir(fresh)).filter((name) => !name.startsWith(".")).length, 1, "one graph folder");
      await model.dispose();
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("a cache directory that cannot be written only costs optimising again", async () => {
    const notADirectory = join(cacheDir, "a-file");
    writeFileSync(notADirectory, "");
    const model = await LocalNliModel.load(tinyBert(), { cacheDir: notADirectory });
    assert.equal(model.origin, "optimized-now");
    assert.equal((await model.scorePairs(pairs)).length, 3);
    assert.match(model.fingerprint, /^[0-9a-f]{64}$/);
  });
});
