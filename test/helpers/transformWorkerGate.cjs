// A gate in batch transform worker processes, for tests that stop local mode mid-job: preloaded
// (`--require`, through NODE_OPTIONS) into a `zero-shot local-sagemaker` the test starts, it is inherited
// by the transform instances that process forks, and acts in those only. Each instance lets
// ZERO_SHOT_TEST_GATE_HOLD_AFTER records through its model, then holds the next one: it writes
// `held-<pid>` into ZERO_SHOT_TEST_GATE_DIR and waits until the test writes `open` there. So when the
// test sees one `held-*` per instance, every instance is mid-job, whatever the machine's load.
// Plain CommonJS: it loads before tsx does.
"use strict";
const Module = require("node:module");
const { existsSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const dir = process.env.ZERO_SHOT_TEST_GATE_DIR;
const holdAfter = Number(process.env.ZERO_SHOT_TEST_GATE_HOLD_AFTER);
const isTransformWorker = /transformWorker\.[cm]?[jt]s$/.test(process.argv[1] ?? "");

if (dir && Number.isInteger(holdAfter) && holdAfter >= 0 && isTransformWorker) {
  const load = Module._load;
  Module._load = function gateLoad(request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain);
    const model = exports && exports.LocalNliModel;
    if (typeof model === "function" && typeof model.prototype.scorePairs === "function") {
      // Patched once: later loads go straight to the loader this wrapped (unless another wrapped this one since).
      if (Module._load === gateLoad) Module._load = load;
      const scorePairs = model.prototype.scorePairs;
      let calls = 0;
      model.prototype.scorePairs = async function gatedScorePairs(...args) {
        calls += 1;
        if (calls === holdAfter + 1) {
          writeFileSync(join(dir, `held-${process.pid}`), `${holdAfter}\n`);
          while (!existsSync(join(dir, "open"))) await new Promise((resolve) => setTimeout(resolve, 5));
          // One more turn of the event loop: a message the parent sent before the test opened the gate
          // (a stop) is read first.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return scorePairs.apply(this, args);
      };
    }
    return exports;
  };
}
