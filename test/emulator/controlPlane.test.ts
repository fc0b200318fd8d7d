/** The control plane's resources, states and errors as the AWS SDK sees them. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteModelCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListModelsCommand,
  SageMakerServiceException,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { waitForEndpoint } from "../../src/workflow/deploy";
import { startLocalSageMaker } from "../../src/emulator/server";
import { sageMakerClients, destroyClients } from "../../src/workflow/clients";
import { signedFetch, startLocalFixture, testModelRoot, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

const container = () => ({ Image: "local", Environment: { HF_MODEL_ID: tinyBert(), HF_TASK: "zero-shot-classification" } });

function validation(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SageMakerServiceException);
    assert.equal(error.name, "ValidationException");
    assert.match(error.message, pattern);
    return true;
  };
}

describe("local control plane", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
  });
  after(() => fixture.stop());

  it("refuses duplicates, missing references and bad names with SageMaker's ValidationException", async () => {
    const { sagemaker } = fixture.clients;
    await sagemaker.send(new CreateModelCommand({ ModelName: "m1", PrimaryContainer: container() }));
    await assert.rejects(sagemaker.send(new CreateModelCommand({ ModelName: "m1", PrimaryContainer: container() })), validation(/^Cannot create already existing model "arn:aws:sagemaker:us-east-1:000000000000:model\/m1"\.$/));
    await assert.rejects(
      sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: "c1", ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "missing", InitialInstanceCount: 1, InstanceType: "ml.m5.xlarge" }] })),
      validation(/Could not find model ".*model\/missing"/),
    );
    await assert.rejects(sagemaker.send(new CreateEndpointCommand({ EndpointName: "e1", EndpointConfigName: "missing" })), validation(/Could not find endpoint configuration/));
    await assert.rejects(sagemaker.send(new CreateModelCommand({ ModelName: "bad_name", PrimaryContainer: container() })), validation(/at 'modelName' failed to satisfy constraint/));
    await assert.rejects(sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: "nope" })), validation(/Could not find endpoint configuration/));
    await assert.rejects(sagemaker.send(new DeleteModelCommand({ ModelName: "nope" })), validation(/Could not find model/));
  });

  it("lists with NameContains, sorting and paging", async () => {
    const { sagemaker } = fixture.clients;
    for (const name of ["list-b", "list-a", "list-c"]) await sagemaker.send(new CreateModelCommand({ ModelName: name, PrimaryContainer: container() }));
    const page = await sagemaker.send(new ListModelsCommand({ NameContains: "list-", SortBy: "Name", SortOrder: "Ascending", MaxResults: 2 }));
    assert.deepEqual(page.Models?.map((m) => m.ModelName), ["list-a", "list-b"]);
    const rest = await sagemaker.send(new ListModelsCommand({ NameContains: "list-", SortBy: "Name", SortOrder: "Ascending", NextToken: page.NextToken }));
    assert.deepEqual(rest.Models?.map((m) => m.ModelName), ["list-c"]);
  });

  it("brings endpoints back InService after a restart on the same data directory", async () => {
    const { sagemaker } = fixture.clients;
    await sagemaker.send(new CreateModelCommand({ ModelName: "kept", PrimaryContainer: container() }));
    await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: "kept-config", ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "kept", InitialInstanceCount: 1, InstanceType: "ml.m5.xlarge" }] }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: "kept", EndpointConfigName: "kept-config" }));
    await waitForEndpoint(fixture.clients, "kept", { onProgress: () => {} });

    await fixture.local.close();
    const restarted = await startLocalSageMaker({ port: 0, dataDir: fixture.dataDir, modelOptions: { offline: true }, allowFiles: [testModelRoot()] });
    const clients = sageMakerClients({ mode: "local", endpoint: restarted.url });
    try {
      const endpoint = await waitForEndpoint(clients, "kept", { onProgress: () => {} });
      assert.equal(endpoint.EndpointStatus, "InService");
      const answer = await clients.runtime.send(new InvokeEndpointCommand({ EndpointName: "kept", ContentType: "application/json", Body: JSON.stringify({ inputs: "hi", parameters: { candidate_labels: ["A", "B"] } }) }));
      assert.equal(JSON.parse(Buffer.from(answer.Body!).toString()).sequence, "hi");
      assert.equal(answer.InvokedProductionVariant, "AllTraffic");
    } finally {
      destroyClients(clients);
      fixture.local = restarted; // the fixture's stop() closes this one
    }
  });

  it("answers an operation it does not implement with UnknownOperationException", async () => {
    const response = await signedFetch(fixture.local.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "SageMaker.CreateTrainingJob" },
      body: "{}",
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { __type: string; message: string };
    assert.equal(body.__type, "UnknownOperationException");
    assert.match(body.message, /does not implement SageMaker\.CreateTrainingJob: it serves CreateModel, /);
  });

  it("dispatches only its own operations: prototype names are unknown operations too", async () => {
    for (const name of ["valueOf", "constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const response = await signedFetch(fixture.local.url, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `SageMaker.${name}` },
        body: "{}",
      });
      assert.equal(response.status, 400, name);
      const body = (await response.json()) as { __type: string; message: string };
      assert.equal(body.__type, "UnknownOperationException", name);
      assert.doesNotMatch(body.message, new RegExp(fixture.dataDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    }
  });

  it("writes each request's own region into its ARNs", async () => {
    const europe = sageMakerClients({ mode: "local", endpoint: fixture.local.url, region: "eu-west-1" });
    const home = sageMakerClients({ mode: "local", endpoint: fixture.local.url });
    try {
      const created = await europe.sagemaker.send(new CreateModelCommand({ ModelName: "regional", PrimaryContainer: container() }));
      assert.equal(created.ModelArn, "arn:aws:sagemaker:eu-west-1:000000000000:model/regional");
      const described = await home.sagemaker.send(new DescribeModelCommand({ ModelName: "regional" }));
      assert.equal(described.ModelArn, "arn:aws:sagemaker:eu-west-1:000000000000:model/regional");
      await assert.rejects(home.sagemaker.send(new DeleteModelCommand({ ModelName: "gone" })), validation(/"arn:aws:sagemaker:us-east-1:000000000000:model\/gone"/));
      await assert.rejects(europe.sagemaker.send(new DeleteModelCommand({ ModelName: "gone" })), validation(/"arn:aws:sagemaker:eu-west-1:000000000000:model\/gone"/));
    } finally {
      destroyClients(europe);
      destroyClients(home);
    }
  });

  it("returns times as the SDK's Dates", async () => {
    const clients = sageMakerClients({ mode: "local", endpoint: fixture.local.url });
    try {
      const before = Date.now();
      await clients.sagemaker.send(new CreateModelCommand({ ModelName: "timed", PrimaryContainer: container() }));
      const described = await clients.sagemaker.send(new DescribeModelCommand({ ModelName: "timed" }));
      assert.ok(described.CreationTime instanceof Date);
      assert.ok(Math.abs(described.CreationTime.getTime() - before) < 60_000);
    } finally {
      destroyClients(clients);
    }
  });
});
