import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContinueServiceDeploymentCommand, DescribeServicesCommand, StopServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import { blueGreenStack, deploy, describe, follow, productionWeights, versionAt } from './ecs-blue-green-stack.js';
import { eventually } from './ecs-fakes.js';

test('ECS PAUSE hook: AWAITING_ACTION until CONTINUE; a second deployment rolled back with ROLLBACK never reaches production', async (t) => {
  const stack = await blueGreenStack(t, {
    strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0,
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 60, action: 'ROLLBACK' } }],
  });
  const paused = async (arn: string) => eventually('the hook to wait', async () => {
    const d = await describe(stack, arn);
    return d.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') ? d : undefined;
  }, 30_000);

  const first = await deploy(stack);
  const waiting = await paused(first);
  assert.equal(waiting.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
  assert.equal(waiting.status, 'IN_PROGRESS');
  const hook = waiting.lifecycleHookDetails?.[0];
  assert.equal(hook?.targetType, 'PAUSE');
  assert.equal(hook?.timeoutAction, 'ROLLBACK');
  assert.ok(hook?.expiresAt instanceof Date && hook.expiresAt.getTime() > Date.now());
  assert.equal(waiting.targetServiceRevision?.requestedTestTrafficWeight, 100);
  assert.equal(waiting.targetServiceRevision?.requestedProductionTrafficWeight, 0);
  assert.equal(await versionAt(stack.productionUrl), 'v1', 'production still on blue while paused');
  await stack.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: first, hookId: hook?.hookId, action: 'CONTINUE' }));
  await follow(stack, first, (d) => d.status === 'SUCCESSFUL');
  assert.equal((await describe(stack, first)).lifecycleHookDetails?.[0]?.status, 'SUCCEEDED');
  assert.equal(await versionAt(stack.productionUrl), 'v2');

  const second = await deploy(stack, 'v1');
  const hook2 = (await paused(second)).lifecycleHookDetails?.[0];
  await stack.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: second, hookId: hook2?.hookId, action: 'ROLLBACK' }));
  const seen = await follow(stack, second, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
  assert.ok(seen.every((s) => s.production <= 0), `production never moved: ${JSON.stringify(seen)}`);
  const record = await describe(stack, second);
  assert.equal(record.lifecycleHookDetails?.[0]?.status, 'FAILED');
  assert.ok(record.rollback?.startedAt instanceof Date);
  assert.equal(record.targetServiceRevision?.requestedTestTrafficWeight, 0, 'test route back on blue');
  assert.equal(await versionAt(stack.productionUrl), 'v2');
  await assert.rejects(
    stack.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: second, hookId: hook2?.hookId })),
    (err: Error) => err.name === 'InvalidParameterException',
  );
});

test('ECS StopServiceDeployment ROLLBACK during BAKE_TIME: production back on blue first, then the new tasks go', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 30 });
  const arn = await deploy(stack);
  await eventually('the bake', async () => (await describe(stack, arn)).lifecycleStage === 'BAKE_TIME' || undefined, 30_000);
  assert.equal(await versionAt(stack.productionUrl), 'v2');
  await stack.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
  const seen = await follow(stack, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
  const productionBack = seen.findIndex((s) => s.production === 0);
  const testBack = seen.findIndex((s) => s.test === 0);
  assert.ok(productionBack >= 0 && testBack >= productionBack, `production back before test: ${JSON.stringify(seen)}`);
  const weights = await productionWeights(stack);
  assert.equal(weights.get(stack.greenTg), 100, 'the group v1 runs in serves production again');
  assert.equal(await versionAt(stack.productionUrl), 'v1');
  const record = await describe(stack, arn);
  assert.match(record.rollback?.reason ?? '', /StopServiceDeployment/);
  const svc = (await stack.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  assert.equal(svc?.deployments?.length, 1);
  assert.match(svc?.taskDefinition ?? '', /:1$/);
});

test('ECS BLUE_GREEN circuit breaker: green tasks crashing in SCALE_UP roll back; production and test never leave blue', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, deploymentCircuitBreaker: { enable: true, rollback: true } });
  const arn = await deploy(stack, 'bad');
  const seen = await follow(stack, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
  assert.ok(seen.every((s) => s.production <= 0 && s.test <= 0), `traffic never moved: ${JSON.stringify(seen)}`);
  const record = await describe(stack, arn);
  assert.equal(record.deploymentCircuitBreaker?.status, 'TRIGGERED');
  assert.ok((record.deploymentCircuitBreaker?.failureCount ?? 0) >= 3);
  assert.equal(await versionAt(stack.productionUrl), 'v1');
});

test('ECS PAUSE hook timeout: the timeout action CONTINUE lets the deployment finish', async (t) => {
  const stack = await blueGreenStack(t, {
    strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0,
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 1, action: 'CONTINUE' } }],
  });
  const arn = await deploy(stack);
  await follow(stack, arn, (d) => d.status === 'SUCCESSFUL');
  assert.equal((await describe(stack, arn)).lifecycleHookDetails?.[0]?.status, 'TIMED_OUT');
});
