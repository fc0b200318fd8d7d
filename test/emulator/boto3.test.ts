/**
 * The other unmodified AWS SDK, boto3, signs and passes too (skipped where Python has no boto3):
 * control plane, runtime and S3 with path-style addressing, including a key that climbs with "..".
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { deployModel } from "../../src/workflow/deploy";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

/** The first Python with boto3: the one on PATH, else Debian's (`.ci/run` installs python3-boto3 there). */
const python = ["python3", "/usr/bin/python3"].find((candidate) => spawnSync(candidate, ["-c", "import boto3"], { encoding: "utf8" }).status === 0);
const hasBoto3 = python !== undefined;

const SCRIPT = `
import json, sys, boto3
from botocore.config import Config
url, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
config = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
sm = session.client("sagemaker", endpoint_url=url, config=config)
runtime = session.client("sagemaker-runtime", endpoint_url=url, config=config)
s3 = session.client("s3", endpoint_url=url, config=config)
out = {}
out["models"] = [m["ModelName"] for m in sm.list_models()["Models"]]
s3.create_bucket(Bucket="boto")
s3.put_object(Bucket="boto", Key="../escape", Body=b"stays in boto")
out["object"] = s3.get_object(Bucket="boto", Key="../escape")["Body"].read().decode()
out["listed"] = [o["Key"] for o in s3.list_objects_v2(Bucket="boto", Prefix="../").get("Contents", [])]
answer = runtime.invoke_endpoint(EndpointName="boto-endpoint", ContentType="application/json", Body=json.dumps({"inputs": "hi", "parameters": {"candidate_labels": ["A", "B"]}}))
out["sequence"] = json.loads(answer["Body"].read())["sequence"]
try:
    session.client("sagemaker", endpoint_url=url, config=config, aws_secret_access_key="wrong", aws_access_key_id=key).list_models()
    out["wrong_secret"] = "accepted"
except Exception as error:
    out["wrong_secret"] = error.response["Error"]["Code"]
print(json.dumps(out))
`;

describe("local mode with boto3", { skip: hasBoto3 ? false : "python3 has no boto3" }, () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
    await deployModel(fixture.clients, { modelId: tinyBert(), name: "boto-endpoint", onProgress: () => {} });
  });
  after(() => fixture.stop());

  it("accepts boto3's signatures on all three APIs and keeps its keys exact", async () => {
    const { accessKeyId, secretAccessKey } = fixture.local.credentials;
    // Asynchronously: the emulator answering boto3 runs in this process.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(python!, ["-c", SCRIPT, fixture.local.url, accessKeyId, secretAccessKey]);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(out.models, ["boto-endpoint"]);
    assert.equal(out.object, "stays in boto");
    assert.deepEqual(out.listed, ["../escape"]);
    assert.equal(out.sequence, "hi");
    assert.equal(out.wrong_secret, "InvalidSignatureException");
  });
});
