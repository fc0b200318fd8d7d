/**
 * The endpoint registry and life cycle: Creating while the model loads, then InService (serving its
 * classifier) or Failed with the load error as FailureReason; deleted endpoints never come back; a
 * restart loads the serving ones again. The model host is held by the test: each load waits until the
 * test settles it, so every state is observed, never raced.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SageMakerApiError } from "../../../src/emulator/apiErrors";
import { ModelHostError, type ContainerDefinition } from "../../../src/emulator/modelHost";
import { EndpointConfigs } from "../../../src/emulator/resources/endpointConfigs";
import { describeContainer, Endpoints } from "../../../src/emulator/resources/endpoints";
import { Models } from "../../../src/emulator/resources/models";
import { HeldModelHost, reactionsRun } from "../../helpers/heldModelHost";
import { tempDirs } from "../../helpers/tempDirs";

const home = { region: "us-east-1" };
const container: ContainerDefinition = { Image: "local-image", Environment: { HF_MODEL_ID: "held/model", HF_TASK: "zero-shot-classification" } };

describe("Endpoints", () => {
  const stateDir = tempDirs("endpoints-test-");

  function emulator(dir = stateDir()) {
    const models = new Models(dir);
    const configs = new EndpointConfigs(dir, models);
    if (!models.has("m1")) {
      models.create({ ModelName: "m1", PrimaryContainer: container }, home);
      configs.create({ EndpointConfigName: "c1", ProductionVariants: [{ VariantName: "Blue", ModelName: "m1", InitialInstanceCount: 2, InitialVariantWeight: 0.5 }] }, home);
    }
    const host = new HeldModelHost(dir);
    const logs: string[] = [];
    const endpoints = new Endpoints(dir, models, configs, host, (line) => logs.push(line));
    return { dir, models, configs, host, logs, endpoints };
  }

  it("is Creating while its model loads, then InService with its variant, image and instance count", async () => {
    const { endpoints, host, logs } = emulator();
    assert.deepEqual(endpoints.create({ EndpointName: "e1", EndpointConfigName: "c1" }, home), { EndpointArn: "arn:aws:sagemaker:us-east-1:000000000000:endpoint/e1" });
    assert.deepEqual(host.loads.map((load) => load.container), [container]);
    const creating = endpoints.describe({ EndpointName: "e1" }, home);
    assert.equal(creating.EndpointStatus, "Creating");
    assert.equal(creating.EndpointConfigName, "c1");
    assert.equal(creating.ProductionVariants, undefined);
    assert.equal("_variant" in creating || "_container" in creating, false, "internal fields stay internal");
    assert.deepEqual(await endpoints.classifier("e1"), { status: "Creating" });

    host.serve(0);
    await reactionsRun();
    const serving = await endpoints.classifier("e1");
    assert.equal(serving.variant, "Blue");
    const [answer] = await serving.classifier!.classify(["any text"], ["ab", "abcd"]);
    assert.deepEqual(answer.labels, ["abcd", "ab"], "the served classifier scores with the loaded model");
    const described = endpoints.describe({ EndpointName: "e1" }, home);
    assert.equal(described.EndpointStatus, "InService");
    const [variant] = described.ProductionVariants!;
    assert.equal(variant.VariantName, "Blue");
    assert.deepEqual(variant.DeployedImages?.map((image) => [image.SpecifiedImage, image.ResolvedImage]), [["local-image", "local-image"]]);
    assert.deepEqual([variant.CurrentInstanceCount, variant.DesiredInstanceCount, variant.CurrentWeight, variant.DesiredWeight], [2, 2, 0.5, 0.5]);
    assert.ok(described.LastModifiedTime!.getTime() >= described.CreationTime!.getTime());
    assert.deepEqual(logs, ["endpoint e1: loading held/model", "endpoint e1: InService"]);
  });

  it("is Failed with the load error as FailureReason, and serves nothing", async () => {
    const { endpoints, host, logs } = emulator();
    endpoints.create({ EndpointName: "e1", EndpointConfigName: "c1" }, home);
    host.loads[0].settle.reject(new ModelHostError("cannot load HF_MODEL_ID held/model: no such model"));
    await reactionsRun();
    assert.deepEqual(await endpoints.classifier("e1"), { status: "Failed" });
    const described = endpoints.describe({ EndpointName: "e1" }, home);
    assert.equal(described.EndpointStatus, "Failed");
    assert.equal(described.FailureReason, "cannot load HF_MODEL_ID held/model: no such model");
    assert.equal(described.ProductionVariants, undefined);
    assert.equal(logs.at(-1), "endpoint e1: Failed: cannot load HF_MODEL_ID held/model: no such model");
  });

  it("stays deleted when its load finishes afterwards, and a new endpoint of the same name gets its own load", async () => {
    const { endpoints, host } = emulator();
    endpoints.create({ EndpointName: "e1", EndpointConfigName: "c1" }, home);
    assert.deepEqual(endpoints.delete({ EndpointName: "e1" }, home), {});
    host.serve(0);
    await reactionsRun();
    assert.deepEqual(await endpoints.classifier("e1"), {}, "an unknown endpoint: no status at all");
    assert.throws(() => endpoints.describe({ EndpointName: "e1" }, home), /Could not find endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint\/e1"\.$/);

    endpoints.create({ EndpointName: "e1", EndpointConfigName: "c1" }, home);
    assert.equal(host.loads.length, 2);
    assert.equal(endpoints.describe({ EndpointName: "e1" }, home).EndpointStatus, "Creating");
  });

  it("keeps a re-created endpoint's state its own when the deleted one's load settles later", async (t) => {
    // Deleted and created again within one millisecond: creation times cannot tell the two apart.
    t.mock.timers.enable({ apis: ["Date"], now: 1_700_000_000_000 });
    const { endpoints, host } = emulator();
    endpoints.create({ EndpointName: "e1", EndpointConfigName: "c1" }, home);
    endpoints.delete({ EndpointName: "e1" }, home);
    endpoints.create({ EndpointName: "e1", EndpointConfigName: "c1" }, home);
    host.loads[0].settle.reject(new Error("the deleted endpoint's model failed"));
    await reactionsRun();
    const described = endpoints.describe({ EndpointName: "e1" }, home);
    assert.equal(described.EndpointStatus, "Creating", "still loading its own model");
    assert.equal(described.FailureReason, undefined);
    host.serve(1);
    await reactionsRun();
    assert.equal(endpoints.describe({ EndpointName: "e1" }, home).EndpointStatus, "InService");
  });

  it("refuses a duplicate, a missing config, a config whose model is gone, and answers a missing endpoint in SageMaker's words", () => {
    const { endpoints, models, configs } = emulator();
    endpoints.create({ EndpointName: "e1", EndpointConfigName: "c1" }, home);
    const validation = (message: RegExp) => (error: unknown) => error instanceof SageMakerApiError && error.type === "ValidationException" && message.test(error.message);
    assert.throws(() => endpoints.create({ EndpointName: "e1", EndpointConfigName: "c1" }, home), validation(/^Cannot create already existing endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint\/e1"\.$/));
    assert.throws(() => endpoints.create({ EndpointName: "e2", EndpointConfigName: "nope" }, home), validation(/^Could not find endpoint configuration ".*endpoint-config\/nope"\.$/));
    configs.create({ EndpointConfigName: "c2", ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "m1" }] }, home);
    models.delete({ ModelName: "m1" }, home);
    assert.throws(() => endpoints.create({ EndpointName: "e3", EndpointConfigName: "c2" }, home), validation(/^Could not find model ".*model\/m1"\.$/));
    assert.throws(() => endpoints.delete({ EndpointName: "nope" }, { region: "eu-west-1" }), validation(/^Could not find endpoint "arn:aws:sagemaker:eu-west-1:000000000000:endpoint\/nope"\.$/));
    assert.throws(() => endpoints.describe({ EndpointName: "bad_name" }, home), validation(/at 'endpointName' failed to satisfy constraint/));
  });

  it("lists summaries with their status, filtered by StatusEquals", async () => {
    const { endpoints, host } = emulator();
    endpoints.create({ EndpointName: "ready", EndpointConfigName: "c1" }, home);
    endpoints.create({ EndpointName: "loading", EndpointConfigName: "c1" }, home);
    host.serve(0);
    await reactionsRun();
    const all = endpoints.list({ SortBy: "Name", SortOrder: "Ascending" });
    assert.deepEqual(all.Endpoints?.map((e) => [e.EndpointName, e.EndpointStatus]), [["loading", "Creating"], ["ready", "InService"]]);
    assert.deepEqual(endpoints.list({ StatusEquals: "InService" }).Endpoints?.map((e) => e.EndpointName), ["ready"]);
  });

  it("after a restart, loads the endpoints that were serving or loading again and leaves Failed ones as they were", async () => {
    const first = emulator();
    first.endpoints.create({ EndpointName: "served", EndpointConfigName: "c1" }, home);
    first.endpoints.create({ EndpointName: "broken", EndpointConfigName: "c1" }, home);
    first.endpoints.create({ EndpointName: "pending", EndpointConfigName: "c1" }, home);
    first.host.serve(0);
    first.host.loads[1].settle.reject(new Error("no such model"));
    await reactionsRun();

    const restarted = emulator(first.dir);
    restarted.endpoints.recover();
    assert.deepEqual([...restarted.logs].sort(), ["endpoint pending: loading held/model", "endpoint served: loading held/model"]);
    assert.equal(restarted.host.loads.length, 2);
    // Recorded InService: an invocation now waits for the model instead of being refused.
    const waiting = restarted.endpoints.classifier("served");
    assert.equal(restarted.endpoints.describe({ EndpointName: "broken" }, home).FailureReason, "no such model");
    restarted.host.loads.forEach((_, index) => restarted.host.serve(index));
    await reactionsRun();
    assert.equal((await waiting).variant, "Blue");
    assert.equal((await restarted.endpoints.classifier("pending")).variant, "Blue");
    assert.equal(restarted.endpoints.describe({ EndpointName: "pending" }, home).EndpointStatus, "InService");
  });

  it("names a container's model in log lines: HF_MODEL_ID, else ModelDataUrl", () => {
    assert.equal(describeContainer(container), "held/model");
    assert.equal(describeContainer({ ModelDataUrl: "s3://bucket/model/" }), "s3://bucket/model/");
    assert.equal(describeContainer({ Image: "x" }), "(no HF_MODEL_ID)");
  });
});
