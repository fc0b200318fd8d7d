/**
 * The AWS walkthrough's SageMaker life cycle in one script: deploy, invoke, batch transform, clean up.
 * The same code runs against local mode (default: an emulator started here, nothing leaves the machine)
 * and against AWS (`--aws`); only `sageMakerClients(...)` differs.
 *
 *   node --import tsx scripts/sagemaker-walkthrough.ts                       local mode, generated test model
 *   node --import tsx scripts/sagemaker-walkthrough.ts --model facebook/bart-large-mnli
 *   node --import tsx scripts/sagemaker-walkthrough.ts --aws --region us-east-1 \
 *     --role arn:aws:iam::123456789012:role/SageMakerExecutionRole --s3 s3://my-bucket/zero-shot \
 *     --model facebook/bart-large-mnli                                       on AWS (billed until clean-up)
 */
import { parseArgs } from "node:util";
import { ensureTestModel } from "../src/models/generate/generate";
import { toZeroShotRequest } from "../src/payload";
import { deleteDeployment, deployModel, destroyClients, invokeEndpoint, readTransformResults, runBatchTransform, sageMakerClients, type Deployment } from "../src/workflow";
import { startLocalSageMaker } from "../src/emulator/server";
import { RESOLUTION_LABELS } from "../src/data/resolutions";

/** The walkthrough's nine categories. */
const LABELS = [...RESOLUTION_LABELS];
const TWEETS = [
  "My New Year's resolution is to run a marathon",
  "This year I will save more money and pay off my credit card",
  "Resolution: laugh more and stop taking life so seriously",
  "2015 goal: get a job I actually love",
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { aws: { type: "boolean" }, region: { type: "string" }, role: { type: "string" }, s3: { type: "string" }, model: { type: "string" }, "instance-type": { type: "string" } },
  });
  const local = values.aws ? undefined : await startLocalSageMaker({ log: (message) => console.error(`  [local] ${message}`) });
  // The only line that differs between the modes.
  const clients = local ? sageMakerClients({ mode: "local", endpoint: local.url }) : sageMakerClients({ mode: "aws", region: values.region });
  const modelId = values.model ?? (local ? ensureTestModel("tiny-bert-nli") : "facebook/bart-large-mnli");
  const s3Uri = values.s3 ?? "s3://zero-shot-walkthrough/zero-shot";
  let deployment: Deployment | undefined;
  try {
    console.log(`1. deploy ${modelId}`);
    deployment = await deployModel(clients, { modelId, roleArn: values.role, instanceType: values["instance-type"] });
    console.log(`   endpoint ${deployment.endpointName} is InService`);

    console.log("2. invoke");
    console.log(await invokeEndpoint(clients, deployment.endpointName, toZeroShotRequest(TWEETS[0], LABELS)));

    console.log("3. batch transform");
    const run = await runBatchTransform(clients, { modelName: deployment.modelName, s3Uri, requests: TWEETS.map((tweet) => toZeroShotRequest(tweet, LABELS)) });
    for (const { request, result } of await readTransformResults(run)) {
      const best = Array.isArray(result) ? result[0] : result;
      console.log(`   ${String(request.inputs).padEnd(62)} -> ${best.labels[0]} (${best.scores[0].toFixed(2)})`);
    }
  } finally {
    if (deployment) {
      console.log("4. clean up");
      console.log(await deleteDeployment(clients, deployment));
    }
    destroyClients(clients);
    await local?.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
