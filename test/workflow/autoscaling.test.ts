/**
 * Endpoint autoscaling with the real Application Auto Scaling client against local mode: deployModel
 * registers the variant and its target-tracking policy; deleteDeployment removes both first.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { InputError } from "../../src/errors";
import { deleteDeployment } from "../../src/workflow/cleanup";
import { deployModel } from "../../src/workflow/deploy";
import { startLocalFixture, type LocalSageMakerFixture } from "../helpers/localSageMaker";
import { tinyBert } from "../helpers/models";

const quiet = { onProgress: () => {} };
const RESOURCE = "endpoint/scaled-endpoint/variant/AllTraffic";
const DIMENSION = "sagemaker:variant:DesiredInstanceCount";

describe("endpoint autoscaling in local mode", () => {
  let fixture: LocalSageMakerFixture;
  before(async () => {
    fixture = await startLocalFixture();
  });
  after(() => fixture.stop());

  const targets = async () =>
    (await fixture.clients.autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker", ResourceIds: [RESOURCE] }))).ScalableTargets ?? [];
  const policies = async () =>
    (await fixture.clients.autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker", ResourceId: RESOURCE }))).ScalingPolicies ?? [];

  it("registers the variant (min/max) with a target-tracking policy on invocations per instance, and clean-up removes both first", async () => {
    const deployment = await deployModel(fixture.clients, {
      modelId: tinyBert(),
      name: "scaled-endpoint",
      autoscaling: { minInstances: 1, maxInstances: 4, targetInvocationsPerInstance: 70 },
      ...quiet,
    });
    assert.deepEqual(deployment.autoscaling, { resourceId: RESOURCE, policyName: "scaled-endpoint-invocations-per-instance", minInstances: 1, maxInstances: 4 });
    const [target] = await targets();
    assert.deepEqual([target.ResourceId, target.ScalableDimension, target.MinCapacity, target.MaxCapacity], [RESOURCE, DIMENSION, 1, 4]);
    assert.ok(target.CreationTime instanceof Date);
    const [policy] = await policies();
    assert.equal(policy.PolicyType, "TargetTrackingScaling");
    assert.deepEqual(policy.TargetTrackingScalingPolicyConfiguration, {
      TargetValue: 70,
      PredefinedMetricSpecification: { PredefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
      ScaleInCooldown: 300,
      ScaleOutCooldown: 60,
    });

    const report = await deleteDeployment(fixture.clients, deployment);
    assert.deepEqual(report.deleted, [
      "scaling policy scaled-endpoint-invocations-per-instance",
      `scalable target ${RESOURCE}`,
      "endpoint scaled-endpoint",
      "endpoint config scaled-endpoint-config",
      "model scaled-endpoint",
    ]);
    assert.deepEqual(await targets(), []);
    assert.deepEqual(await policies(), []);
    const again = await deleteDeployment(fixture.clients, deployment);
    assert.deepEqual(again.deleted, []);
  });

  it("refuses bad autoscaling options before creating anything", async () => {
    await assert.rejects(
      deployModel(fixture.clients, { modelId: tinyBert(), name: "never-created", autoscaling: { minInstances: 3, maxInstances: 2, targetInvocationsPerInstance: 10 }, ...quiet }),
      (error: unknown) => error instanceof InputError && /1 <= minInstances <= maxInstances \(got 3 and 2\)/.test(error.message),
    );
  });

  it("answers as Application Auto Scaling does for a missing endpoint or an unregistered target", async () => {
    await assert.rejects(
      fixture.clients.autoscaling.send(
        new RegisterScalableTargetCommand({ ServiceNamespace: "sagemaker", ResourceId: "endpoint/no-such-endpoint/variant/AllTraffic", ScalableDimension: DIMENSION, MinCapacity: 1, MaxCapacity: 2 }),
      ),
      (error: unknown) => (error as Error).name === "ValidationException" && /Endpoint no-such-endpoint does not exist/.test((error as Error).message),
    );
    await assert.rejects(
      fixture.clients.autoscaling.send(
        new PutScalingPolicyCommand({
          PolicyName: "p",
          ServiceNamespace: "sagemaker",
          ResourceId: "endpoint/no-such-endpoint/variant/AllTraffic",
          ScalableDimension: DIMENSION,
          PolicyType: "TargetTrackingScaling",
          TargetTrackingScalingPolicyConfiguration: { TargetValue: 5, PredefinedMetricSpecification: { PredefinedMetricType: "SageMakerVariantInvocationsPerInstance" } },
        }),
      ),
      (error: unknown) => (error as Error).name === "ObjectNotFoundException" && /No scalable target registered/.test((error as Error).message),
    );
  });
});
