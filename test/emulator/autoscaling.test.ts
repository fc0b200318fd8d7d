/**
 * Application Auto Scaling in local mode, through the real @aws-sdk/client-application-auto-scaling
 * client: the calls are validated as the service validates them and recorded (nothing scales), targets
 * keep their ARN and creation time when re-registered, and deregistering removes the target's policies.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type PutScalingPolicyCommandInput,
} from "@aws-sdk/client-application-auto-scaling";
import { LOCAL_ACCOUNT_ID } from "../../src/aws/localAccount";
import { deployModel } from "../../src/workflow/deploy";
import { signedFetch, startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

const ENDPOINT = "scaling-target";
const RESOURCE = `endpoint/${ENDPOINT}/variant/AllTraffic`;
const DIMENSION = "sagemaker:variant:DesiredInstanceCount";
const TARGET = { ServiceNamespace: "sagemaker", ResourceId: RESOURCE, ScalableDimension: DIMENSION } as const;
const POLICY: PutScalingPolicyCommandInput = {
  ...TARGET,
  PolicyName: "per-instance",
  PolicyType: "TargetTrackingScaling",
  TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: "SageMakerVariantInvocationsPerInstance" } },
};

/** The error's name and message of a refused call. */
async function refusal(promise: Promise<unknown>): Promise<[string, string]> {
  try {
    await promise;
  } catch (error) {
    return [(error as Error).name, (error as Error).message];
  }
  assert.fail("the call was accepted");
}

describe("Application Auto Scaling in local mode", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
    await deployModel(fixture.clients, { modelId: tinyBert(), name: ENDPOINT, onProgress: () => {} });
  });
  after(() => fixture.stop());

  const describeTarget = async () => (await fixture.clients.autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker", ResourceIds: [RESOURCE] }))).ScalableTargets ?? [];

  it("registers a variant with a local ARN; re-registering updates capacity and keeps the ARN and creation time", async () => {
    const { ScalableTargetARN } = await fixture.clients.autoscaling.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 3 }));
    assert.match(ScalableTargetARN!, new RegExp(`^arn:aws:application-autoscaling:us-east-1:${LOCAL_ACCOUNT_ID}:scalable-target/[0-9a-f]{20}$`));
    const [first] = await describeTarget();
    assert.deepEqual([first.MinCapacity, first.MaxCapacity, first.ScalableTargetARN], [1, 3, ScalableTargetARN]);
    assert.match(first.RoleARN!, /AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint$/);

    // Only MaxCapacity: the registered minimum stays.
    const again = await fixture.clients.autoscaling.send(new RegisterScalableTargetCommand({ ...TARGET, MaxCapacity: 5 }));
    assert.equal(again.ScalableTargetARN, ScalableTargetARN);
    const targets = await describeTarget();
    assert.equal(targets.length, 1);
    assert.deepEqual([targets[0].MinCapacity, targets[0].MaxCapacity], [1, 5]);
    assert.equal(targets[0].CreationTime!.getTime(), first.CreationTime!.getTime());
  });

  it("refuses targets the service refuses, saying what to use", async () => {
    const register = (input: object) => fixture.clients.autoscaling.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 2, ...input }));
    assert.deepEqual(await refusal(register({ ServiceNamespace: "ecs" })), ["ValidationException", 'local mode scales SageMaker endpoint variants only: ServiceNamespace must be "sagemaker", not "ecs"']);
    assert.match((await refusal(register({ ResourceId: `endpoint/${ENDPOINT}` })))[1], /ResourceId must be endpoint\/<endpoint name>\/variant\/<variant name>/);
    assert.match((await refusal(register({ ScalableDimension: "ecs:service:DesiredCount" })))[1], /Unsupported scalable dimension "ecs:service:DesiredCount" .*use sagemaker:variant:DesiredInstanceCount/);
    assert.deepEqual(await refusal(register({ ResourceId: `endpoint/${ENDPOINT}/variant/Blue` })), ["ValidationException", `Endpoint ${ENDPOINT} has no variant Blue: its variants are AllTraffic`]);
    assert.deepEqual(await refusal(register({ MinCapacity: 4, MaxCapacity: 2 })), ["ValidationException", "Minimum capacity (4) must be at least 0 and at most the maximum capacity (2)"]);
    // A new target needs both capacities.
    await fixture.clients.autoscaling.send(new DeregisterScalableTargetCommand(TARGET));
    assert.match((await refusal(fixture.clients.autoscaling.send(new RegisterScalableTargetCommand({ ...TARGET, MaxCapacity: 2 }))))[1], /MinCapacity and MaxCapacity are required/);
    await fixture.clients.autoscaling.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 3 }));
  });

  it("records target-tracking policies (predefined or customized metric), keeping a policy's ARN when it is put again", async () => {
    const first = await fixture.clients.autoscaling.send(new PutScalingPolicyCommand(POLICY));
    assert.match(first.PolicyARN!, new RegExp(`^arn:aws:autoscaling:us-east-1:${LOCAL_ACCOUNT_ID}:scalingPolicy:[0-9a-f-]{36}:resource/sagemaker/${RESOURCE}:policyName/per-instance$`));
    assert.deepEqual(first.Alarms, []);
    const changed = { ...POLICY, TargetTrackingScalingPolicyConfiguration: { ...POLICY.TargetTrackingScalingPolicyConfiguration!, TargetValue: 80 } };
    assert.equal((await fixture.clients.autoscaling.send(new PutScalingPolicyCommand(changed))).PolicyARN, first.PolicyARN);
    await fixture.clients.autoscaling.send(
      new PutScalingPolicyCommand({
        ...POLICY,
        PolicyName: "latency",
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 200, CustomizedMetricSpecification: { MetricName: "ModelLatency", Namespace: "AWS/SageMaker", Statistic: "Average" } },
      }),
    );
    const { ScalingPolicies } = await fixture.clients.autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker", ResourceId: RESOURCE }));
    assert.deepEqual(ScalingPolicies!.map((p) => [p.PolicyName, p.TargetTrackingScalingPolicyConfiguration?.TargetValue]).sort(), [["latency", 200], ["per-instance", 80]]);
    const named = await fixture.clients.autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker", PolicyNames: ["latency"] }));
    assert.deepEqual(named.ScalingPolicies!.map((p) => p.PolicyName), ["latency"]);
    const other = await fixture.clients.autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "ecs" }));
    assert.deepEqual(other.ScalingPolicies, []);
  });

  it("refuses policies it cannot record, saying why", async () => {
    const put = (input: Partial<PutScalingPolicyCommandInput>) => refusal(fixture.clients.autoscaling.send(new PutScalingPolicyCommand({ ...POLICY, ...input })));
    assert.deepEqual(await put({ PolicyType: "StepScaling" }), ["ValidationException", "local mode records TargetTrackingScaling policies only, not StepScaling"]);
    assert.match((await put({ TargetTrackingScalingPolicyConfiguration: { TargetValue: 0, PredefinedMetricSpecification: { PredefinedMetricType: "SageMakerVariantInvocationsPerInstance" } } }))[1], /a positive TargetValue is required/);
    assert.match((await put({ TargetTrackingScalingPolicyConfiguration: { TargetValue: 5, PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" } } }))[1], /Unsupported predefined metric ECSServiceAverageCPUUtilization .*use SageMakerVariantInvocationsPerInstance/);
    assert.deepEqual(await put({ TargetTrackingScalingPolicyConfiguration: { TargetValue: 5 } }), ["ValidationException", "a PredefinedMetricSpecification or CustomizedMetricSpecification is required"]);
    assert.match((await put({ PolicyName: "tab\tname" }))[1], /at 'policyName' failed to satisfy constraint/);
  });

  it("deletes one policy, and deregistering the target deletes its remaining policies", async () => {
    await fixture.clients.autoscaling.send(new DeleteScalingPolicyCommand({ ...TARGET, PolicyName: "latency" }));
    assert.deepEqual(await refusal(fixture.clients.autoscaling.send(new DeleteScalingPolicyCommand({ ...TARGET, PolicyName: "latency" }))), [
      "ObjectNotFoundException",
      `No scaling policy found for service namespace: sagemaker, resource ID: ${RESOURCE}, scalable dimension: ${DIMENSION}, policy name: latency`,
    ]);
    await fixture.clients.autoscaling.send(new DeregisterScalableTargetCommand(TARGET));
    assert.deepEqual(await describeTarget(), []);
    const { ScalingPolicies } = await fixture.clients.autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker", ResourceId: RESOURCE }));
    assert.deepEqual(ScalingPolicies, []);
    assert.equal((await refusal(fixture.clients.autoscaling.send(new DeregisterScalableTargetCommand(TARGET))))[0], "ObjectNotFoundException");
  });

  it("names the operations it serves when asked for one it does not implement", async () => {
    const response = await signedFetch(fixture.local.url, {
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AnyScaleFrontendService.PutScheduledAction" },
      body: "{}",
      service: "application-autoscaling",
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { __type?: string; message?: string; Message?: string };
    assert.match(JSON.stringify(body), /UnknownOperationException/);
    assert.match(body.message ?? body.Message ?? "", /does not implement Application Auto Scaling PutScheduledAction: it serves RegisterScalableTarget, DescribeScalableTargets, DeregisterScalableTarget, PutScalingPolicy, DescribeScalingPolicies, DeleteScalingPolicy/);
  });
});
