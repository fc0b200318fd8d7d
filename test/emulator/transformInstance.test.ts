/**
 * One transform instance, in process: it answers its objects record by record into their outputs,
 * journals as it goes so a stopped instance resumes with every record exactly once, and turns bad
 * records and an unloadable model into FailureReasons a user can act on. The classifier is a real
 * `ZeroShotClassifier` over a scorer the test can hold, so "stopped mid-object" is a state, not a race.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { ZeroShotClassifier } from "../../src/classification/classifier";
import type { NliScorer } from "../../src/classification/contract";
import { runInstance, type FileTask, type InstanceOptions, type TransformJobSpec } from "../../src/emulator/transformInstance";
import { instanceRecordPath, readFileJournal, type FileJournal, type InstanceRecord } from "../../src/emulator/transformJournal";
import { promiseWithResolvers } from "../helpers/barrier";
import { hypothesisLengthScorer } from "../helpers/heldModelHost";
import { tempDirs } from "../helpers/tempDirs";

const fileJournal = (workDir: string, index: number) => readFileJournal(workDir, index) as FileJournal;
const instanceRecord = (workDir: string): InstanceRecord => JSON.parse(readFileSync(instanceRecordPath(workDir, 0), "utf8"));
const request = (text: string) => JSON.stringify({ inputs: text, parameters: { candidate_labels: ["ab", "abcd"] } });

describe("runInstance", () => {
  const jobDir = tempDirs("transform-instance-test-");

  /** A job folder with input files `name -> content`; tasks answer each into `out/<name>.out`. */
  function setUp(files: Record<string, string>, job: Partial<TransformJobSpec> = {}) {
    const dir = jobDir();
    mkdirSync(join(dir, "in"));
    const tasks: FileTask[] = Object.entries(files).map(([name, content], index) => {
      const path = join(dir, "in", name);
      writeFileSync(path, content);
      const target = join(dir, "out", `${name}.out`);
      return { index, file: { uri: pathToFileURL(path).href, path, relativeName: name }, target: { uri: pathToFileURL(target).href, path: target } };
    });
    const spec: TransformJobSpec = {
      TransformJobName: "job-1",
      TransformInput: { DataSource: { S3DataSource: { S3Uri: pathToFileURL(join(dir, "in")).href } }, ContentType: "application/json", SplitType: "Line" },
      TransformOutput: { S3OutputPath: pathToFileURL(join(dir, "out")).href, AssembleWith: "Line" },
      ...job,
    };
    const logs: string[] = [];
    const options = (scorer: NliScorer = hypothesisLengthScorer(), signal = new AbortController().signal): InstanceOptions => ({
      instance: 0,
      job: spec,
      tasks,
      workDir: join(dir, "work"),
      classifier: async () => new ZeroShotClassifier(scorer),
      log: (line) => logs.push(line),
      signal,
      checkpointMs: 0,
    });
    const output = (name: string) => readFileSync(join(dir, "out", `${name}.out`), "utf8");
    return { dir, tasks, logs, options, output };
  }

  it("answers every record of every object, in order, one answer per line, and reports Done", async () => {
    const { options, output, logs, dir } = setUp({ "a.jsonl": `${request("first")}\n${request("second")}\n`, "b.jsonl": `${request("third")}\n` });
    assert.deepEqual(await runInstance(options()), { status: "Done" });
    const answers = output("a.jsonl").split("\n");
    assert.equal(answers.at(-1), "", "AssembleWith=Line ends each answer with a newline");
    assert.deepEqual(answers.slice(0, -1).map((line) => JSON.parse(line)), [
      { sequence: "first", labels: ["abcd", "ab"], scores: JSON.parse(answers[0]).scores },
      { sequence: "second", labels: ["abcd", "ab"], scores: JSON.parse(answers[1]).scores },
    ]);
    assert.deepEqual(output("b.jsonl").trimEnd().split("\n").map((line) => JSON.parse(line).sequence), ["third"]);
    assert.deepEqual([0, 1].map((index) => [fileJournal(join(dir, "work"), index).state, fileJournal(join(dir, "work"), index).records]), [["done", 2], ["done", 1]]);
    const instance = instanceRecord(join(dir, "work"));
    assert.deepEqual([instance.instance, instance.pid, instance.files, instance.records], [0, process.pid, [0, 1], 3]);
    assert.ok(logs.some((line) => /^transform job job-1: wrote file:\/\/.*a\.jsonl\.out \(2 records\)$/.test(line)));
  });

  it("answers a whole object as one record with SplitType=None, and writes answers back to back with AssembleWith=None", async () => {
    const { options, output } = setUp({ "one.json": request("whole file") }, {
      TransformInput: { DataSource: { S3DataSource: { S3Uri: "file:///unused" } }, ContentType: "application/json", SplitType: "None" },
      TransformOutput: { S3OutputPath: "file:///unused", AssembleWith: "None" },
    });
    assert.deepEqual(await runInstance(options()), { status: "Done" });
    assert.equal(JSON.parse(output("one.json")).sequence, "whole file");
  });

  it("resumes a stopped instance where its journal ends: every record answered exactly once", async () => {
    const texts = ["r1", "r2", "r3", "r4", "r5"];
    const { options, output, dir } = setUp({ "a.jsonl": texts.map(request).join("\n") + "\n" });
    // Holds the third record's forward pass until the test has asked the instance to stop.
    const inner = hypothesisLengthScorer();
    const third = promiseWithResolvers<void>();
    const reachedThird = promiseWithResolvers<void>();
    let calls = 0;
    const held: NliScorer = {
      ...inner,
      scorePairs: async (pairs, scoreOptions) => {
        if (++calls === 3) {
          reachedThird.resolve();
          await third.promise;
        }
        return inner.scorePairs(pairs, scoreOptions);
      },
    };
    const controller = new AbortController();
    const running = runInstance(options(held, controller.signal));
    await reachedThird.promise;
    controller.abort();
    third.resolve();
    assert.deepEqual(await running, { status: "Stopped" });
    const journal = readFileJournal(join(dir, "work"), 0);
    assert.ok(journal && !("damaged" in journal));
    assert.equal(journal.state, "open");
    assert.ok(journal.records >= 2 && journal.records < texts.length, `stopped mid-object (${journal.records} records journaled)`);
    assert.equal(existsSync(join(dir, "out", "a.jsonl.out")), false, "no output in place before the object is finished");

    assert.deepEqual(await runInstance(options()), { status: "Done" });
    assert.deepEqual(output("a.jsonl").trimEnd().split("\n").map((line) => JSON.parse(line).sequence), texts);
    assert.equal(fileJournal(join(dir, "work"), 0).records, texts.length);
  });

  it("answers nothing again for objects already done", async () => {
    const { options, output } = setUp({ "a.jsonl": `${request("only")}\n` });
    await runInstance(options());
    const first = output("a.jsonl");
    let scored = 0;
    const counting: NliScorer = { ...hypothesisLengthScorer(), scorePairs: async (pairs) => (scored++, hypothesisLengthScorer().scorePairs(pairs)) };
    assert.deepEqual(await runInstance(options(counting)), { status: "Done" });
    assert.equal(scored, 0);
    assert.equal(output("a.jsonl"), first);
  });

  it("fails on a record the model refuses, naming the line and the model's answer", async () => {
    const { options } = setUp({ "a.jsonl": `${request("fine")}\n{"inputs": "no labels"}\n${request("never")}\n` });
    const outcome = await runInstance(options());
    assert.equal(outcome.status, "Failed");
    assert.match((outcome as { reason: string }).reason, /^ClientError: the record at line 2 of file:\/\/.*\/in\/a\.jsonl failed: the model answered 400: .*candidate_labels/);
  });

  it("fails on a record over MaxPayloadInMB, saying how to fix it", async () => {
    const { options } = setUp({ "a.jsonl": `${request("fine")}\n${request("x".repeat(1024 * 1024))}\n` }, { MaxPayloadInMB: 1 });
    const outcome = await runInstance(options());
    assert.deepEqual(outcome.status, "Failed");
    assert.match((outcome as { reason: string }).reason, /^ClientError: the record at line 2 of file:\/\/.*a\.jsonl is over MaxPayloadInMB=1 \(1048576 bytes\): raise MaxPayloadInMB \(up to 100\) or split the record$/);
  });

  it("fails with the load error when the model cannot load, and stops at once when already stopped", async () => {
    const { options } = setUp({ "a.jsonl": `${request("x")}\n` });
    const outcome = await runInstance({ ...options(), classifier: () => Promise.reject(new Error("no such model")) });
    assert.deepEqual(outcome, { status: "Failed", reason: "ClientError: the model could not be loaded: no such model" });
    const stopped = new AbortController();
    stopped.abort();
    assert.deepEqual(await runInstance(options(undefined, stopped.signal)), { status: "Stopped" });
  });

  it("refuses to finish an object whose input changed while the instance was stopped", async () => {
    const { options, tasks } = setUp({ "a.jsonl": [1, 2, 3].map((n) => request(`r${n}`)).join("\n") + "\n" });
    const controller = new AbortController();
    const inner = hypothesisLengthScorer();
    let calls = 0;
    const stopAfterTwo: NliScorer = { ...inner, scorePairs: async (pairs) => (++calls === 2 && controller.abort(), inner.scorePairs(pairs)) };
    assert.deepEqual(await runInstance(options(stopAfterTwo, controller.signal)), { status: "Stopped" });
    writeFileSync(tasks[0].file.path, [1, 2, 3].map((n) => request(`changed ${n}`)).join("\n") + "\n");
    const outcome = await runInstance(options());
    assert.equal(outcome.status, "Failed");
    assert.match((outcome as { reason: string }).reason, /^ClientError: the input file:\/\/.*a\.jsonl changed while the job was interrupted \(.*\); \d of its records had already been answered from the earlier content/);
  });
});
