import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DescribeEndpointCommand, DescribeModelCommand } from "@aws-sdk/client-sagemaker";
import { InputError } from "../../src/errors";
import { chooseNotebookModel } from "../../src/notebook/config";
import { instancePriceTable } from "../../src/notebook/instancePrices";
import {
  chooseSageMakerTarget,
  cleanUpEndpoint,
  createHuggingFaceModel,
  deploymentSettings,
  deployOrReuse,
  endpointDescriptionTable,
  LOCAL_S3_URI,
  openSageMaker,
  transformS3Uri,
} from "../../src/notebook/sagemaker";
import { invokeEndpoint } from "../../src/workflow/invoke";
import { deleteDeployment } from "../../src/workflow/cleanup";
import { tinyBert } from "../helpers/models";

describe("the notebooks' SageMaker target (ZERO_SHOT_SAGEMAKER)", () => {
  it("defaults to local mode with a stand-in role and local S3", () => {
    const target = chooseSageMakerTarget({});
    assert.equal(target.mode, "local");
    assert.equal(target.chosenBy, "default");
    assert.equal(target.instanceType, "ml.m5.xlarge");
    assert.equal(transformS3Uri(target), LOCAL_S3_URI);
  });

  it("reads the AWS settings, and needs a role and (for batch) an S3 prefix there", () => {
    const target = chooseSageMakerTarget({ ZERO_SHOT_SAGEMAKER: "AWS", AWS_REGION: "eu-west-1", SAGEMAKER_ROLE_ARN: "arn:aws:iam::1:role/r", ZERO_SHOT_INSTANCE_TYPE: "ml.g4dn.xlarge" });
    assert.deepEqual([target.mode, target.region, target.roleArn, target.instanceType], ["aws", "eu-west-1", "arn:aws:iam::1:role/r", "ml.g4dn.xlarge"]);
    assert.throws(() => transformS3Uri(target), (e: Error) => e instanceof InputError && /ZERO_SHOT_S3_URI/.test(e.message));
    assert.throws(() => chooseSageMakerTarget({ ZERO_SHOT_SAGEMAKER: "aws" }), (e: Error) => e instanceof InputError && /SAGEMAKER_ROLE_ARN/.test(e.message));
    assert.throws(() => chooseSageMakerTarget({ ZERO_SHOT_SAGEMAKER: "cloud" }), (e: Error) => e instanceof InputError && /"local".*"aws"/.test(e.message));
  });

  it("deploys a hub model by its hub name, and a directory only in local mode", () => {
    const aws = chooseSageMakerTarget({ ZERO_SHOT_SAGEMAKER: "aws", SAGEMAKER_ROLE_ARN: "arn:aws:iam::1:role/r" });
    assert.equal(deploymentSettings(chooseNotebookModel({}), aws).modelId, "facebook/bart-large-mnli");
    const local = chooseNotebookModel({ ZERO_SHOT_MODEL: tinyBert(), ZERO_SHOT_DTYPE: "fp32" });
    assert.deepEqual(deploymentSettings(local, chooseSageMakerTarget({})).environment, { ZERO_SHOT_DTYPE: "fp32" });
    assert.equal(deploymentSettings(local, chooseSageMakerTarget({})).modelId, tinyBert());
    assert.throws(() => deploymentSettings(local, aws), (e: Error) => e instanceof InputError && /cannot read/.test(e.message));
  });

  it("runs the cycle against the local emulator: deploy, describe, invoke, clean up, reuse", { timeout: 120_000 }, async () => {
    const target = chooseSageMakerTarget({});
    const session = await openSageMaker(target, {});
    try {
      const settings = deploymentSettings(chooseNotebookModel({ ZERO_SHOT_MODEL: tinyBert() }), target);
      const endpoint = await deployOrReuse(session, settings, { onProgress: () => {} });
      assert.equal(endpoint.reused, false);
      const name = endpoint.deployment.endpointName;
      const description = await session.clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
      assert.match(endpointDescriptionTable(description), /<td[^>]*>EndpointStatus<\/td><td[^>]*>InService<\/td>/);
      const answer = await invokeEndpoint(session.clients, name, { inputs: "run", parameters: { candidate_labels: ["Health", "Finance"] } });
      assert.equal((answer as { labels: string[] }).labels.length, 2);

      const reused = await deployOrReuse({ ...session, target: { ...target, endpointName: name } }, settings, { onProgress: () => {} });
      assert.deepEqual(reused, { deployment: { endpointName: name }, reused: true });
      assert.deepEqual((await cleanUpEndpoint(session, reused)).deleted, []);
      assert.equal((await cleanUpEndpoint(session, endpoint)).deleted.length, 3);

      const modelName = await createHuggingFaceModel(session.clients, settings, "batch-model");
      const model = await session.clients.sagemaker.send(new DescribeModelCommand({ ModelName: modelName }));
      assert.deepEqual(model.PrimaryContainer?.Environment, { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" });
      assert.deepEqual((await deleteDeployment(session.clients, { modelName })).deleted, ["model batch-model"]);
    } finally {
      await session.close();
    }
  });

  it("lists approximate instance prices", () => {
    const html = instancePriceTable();
    assert.match(html, /Approximate/);
    assert.match(html, /ml\.m5\.xlarge[\s\S]*≈ \$0\.230[\s\S]*≈ \$166/);
    assert.match(html, /ml\.g4dn\.xlarge/);
  });
});
