import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { version } from "../../src/cli/main";
import { runCli } from "../helpers/cli";

const packageJson = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string; engines: { node: string } };

describe("zero-shot (the entry)", () => {
  it("--version and -v print the package's version and exit 0", async () => {
    assert.equal(version(), packageJson.version);
    for (const flag of ["--version", "-v"]) {
      const run = await runCli([flag]);
      assert.deepEqual([run.code, run.stdout, run.stderr], [0, `${packageJson.version}\n`, ""]);
    }
  });

  it("an unknown command, even one named like an object's own key, gets the command list", async () => {
    const run = await runCli(["constructor"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command "constructor"[\s\S]*classify {2,}classify texts/);
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
