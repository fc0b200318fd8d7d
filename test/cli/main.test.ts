import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { reportError, run, version } from "../../src/cli/main";
import { InputError, ModelLoadError } from "../../src/errors";
import { runCli, runCliInProcess } from "../helpers/cli";

const packageJson = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string; engines: { node: string } };

/** Output streams that record what a person would have seen. */
function recordingIo(env: NodeJS.ProcessEnv = {}) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
      env,
      cwd: process.cwd(),
    },
  };
}

describe("zero-shot (the command dispatcher)", () => {
  it("lists every command with its summary; --help exits 0, no command at all exits 2", async () => {
    const help = await runCliInProcess(["--help"]);
    assert.equal(help.code, 0);
    for (const command of ["classify", "serve", "local-sagemaker", "evaluate", "data", "models", "pull", "make-model"]) {
      assert.match(help.stdout, new RegExp(`^  ${command} +\\S`, "m"), `--help lists ${command}`);
    }
    const bare = await runCliInProcess([]);
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, help.stdout);
  });

  it("--version and -v print the package's version and exit 0", async () => {
    assert.equal(version(), packageJson.version);
    for (const flag of ["--version", "-v"]) {
      const result = await runCliInProcess([flag]);
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, `${packageJson.version}\n`, ""], flag);
    }
  });

  it("names an unknown command, even one spelled like an object property, exits 2 and lists the commands", async () => {
    for (const name of ["clasify", "toString", "__proto__", "constructor"]) {
      const result = await runCliInProcess([name]);
      assert.equal(result.code, 2, name);
      assert.match(result.stderr, new RegExp(`^zero-shot: unknown command "${name}"\\n`));
      assert.match(result.stderr, /classify {2,}classify texts/);
    }
  });

  it("turns errors into one actionable line: 2 for bad input, 1 for other failures", () => {
    const bad = recordingIo();
    assert.equal(reportError(new InputError("candidate_labels is empty: pass at least one label"), bad.io), 2);
    assert.equal(bad.out.stderr, "zero-shot: error: candidate_labels is empty: pass at least one label\n");
    const load = recordingIo();
    assert.equal(reportError(new ModelLoadError("model directory /x does not exist"), load.io), 1);
    assert.equal(load.out.stderr, "zero-shot: error: model directory /x does not exist\n");
    const unexpected = recordingIo();
    assert.equal(reportError(new TypeError("x is not a function"), unexpected.io), 1);
    assert.equal(unexpected.out.stderr, "zero-shot: unexpected error: x is not a function\n(run again with ZERO_SHOT_DEBUG=1 for details)\n");
  });

  it("prints the stack only with ZERO_SHOT_DEBUG=1", async () => {
    const quiet = recordingIo();
    reportError(new Error("boom"), quiet.io);
    assert.doesNotMatch(quiet.out.stderr, /\n\s+at /);
    const debug = recordingIo({ ZERO_SHOT_DEBUG: "1" });
    reportError(new Error("boom"), debug.io);
    assert.match(debug.out.stderr, /^Error: boom\n\s+at /);
  });

  it("run() returns the command's exit code with the caller's streams", async () => {
    const { io, out } = recordingIo();
    assert.equal(await run(["classify", "--help"], io), 0);
    assert.match(out.stdout, /^Usage: zero-shot classify/);
    assert.equal(await run(["classify", "text", "--lables", "A"], io), 2);
    assert.match(out.stderr, /^zero-shot: error: Unknown option '--lables'/);
  });

  it("the binary prints the same help and exit code, and its version (spawned)", async () => {
    const spawned = await runCli(["nope"]);
    assert.equal(spawned.code, 2);
    assert.match(spawned.stderr, /^zero-shot: unknown command "nope"/);
    assert.match(spawned.stderr, /Commands:\n {2}classify/);
    const versioned = await runCli(["--version"]);
    assert.deepEqual([versioned.code, versioned.stdout, versioned.stderr], [0, `${packageJson.version}\n`, ""]);
  });

  it("the binary keeps V8's compiled code in the user's cache; a damaged or unwritable cache is never fatal (spawned)", async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), "zs-compile-cache-"));
    // Without NODE_COMPILE_CACHE (the test runner sets one): where it is set, Node's own cache takes precedence.
    const env = { XDG_CACHE_HOME: cacheHome, NODE_COMPILE_CACHE: undefined };
    const entries = () =>
      readdirSync(join(cacheHome, "zero-shot-ts", "compile-cache"), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name));
    try {
      const first = await runCli(["classify", "--help"], { env });
      assert.equal(first.code, 0);
      assert.ok(entries().length > 0, "compiled code was cached");
      for (const file of entries()) writeFileSync(file, "damaged");
      const second = await runCli(["classify", "--help"], { env });
      assert.deepEqual([second.code, second.stdout, second.stderr], [first.code, first.stdout, first.stderr]);
      assert.ok(entries().some((file) => readFileSync(file, "utf8") !== "damaged"), "damaged entries were rewritten");
      // A cache folder that cannot be made costs only the compiling.
      writeFileSync(join(cacheHome, "a-file"), "");
      const unwritable = await runCli(["classify", "--help"], { env: { ...env, XDG_CACHE_HOME: join(cacheHome, "a-file") } });
      assert.deepEqual([unwritable.code, unwritable.stdout, unwritable.stderr], [first.code, first.stdout, first.stderr]);
    } finally {
      rmSync(cacheHome, { recursive: true, force: true });
    }
  });

  it("the AWS SDK warns about no Node version on the Node the project requires", { skip: !supportedNode() && `Node ${process.version} is older than ${packageJson.engines.node}` }, async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    const client = new SageMakerRuntimeClient({ region: "us-east-1", endpoint: "http://127.0.0.1:1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
    await assert.rejects(client.send(new InvokeEndpointCommand({ EndpointName: "none", Body: "{}" })));
    client.destroy();
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    process.off("warning", onWarning);
    assert.deepEqual(warnings.filter((warning) => warning.includes("NodeVersionSupportWarning")), []);
  });
});

/** Whether this Node satisfies the package's `engines.node` (">=22.12"). */
function supportedNode(): boolean {
  const [major, minor] = process.versions.node.split(".").map(Number);
  const [wantMajor, wantMinor] = packageJson.engines.node.replace(">=", "").split(".").map(Number);
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}
