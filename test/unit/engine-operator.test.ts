import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { abortServiceDeployment, promoteServiceDeployment } from '../../src/engine/operator.js';
import { bakeHook } from '../../src/engine/strategies/native-config.js';
import { RolloutError } from '../../src/spec/errors.js';
import { ACCOUNT, FakeEcs, fakePorts, T0 } from './engine-fakes.js';

const SD = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/prod/web/abc123`;
const target = { cluster: 'prod', service: 'web' };

function withDeployment(sd: Partial<ServiceDeployment>): ReturnType<typeof fakePorts> {
  const ecs = new FakeEcs();
  ecs.serviceDeploymentBriefs = [
    { serviceDeploymentArn: SD, status: sd.status ?? 'IN_PROGRESS', createdAt: new Date(T0) },
    { serviceDeploymentArn: `${SD}-old`, status: 'SUCCESSFUL', createdAt: new Date(T0 - 86_400_000) },
  ];
  ecs.serviceDeployment = { serviceDeploymentArn: SD, status: 'IN_PROGRESS', ...sd };
  return fakePorts(ecs);
}

test('promote answers CONTINUE to every PAUSE hook awaiting action', async () => {
  const ports = withDeployment({
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    lifecycleHookDetails: [
      { hookId: 'a', targetType: 'PAUSE', status: 'AWAITING_ACTION' },
      { hookId: 'b', targetType: 'AWS_LAMBDA', status: 'IN_PROGRESS' },
      { hookId: 'c', targetType: 'PAUSE', status: 'AWAITING_ACTION' },
    ],
  });
  const result = await promoteServiceDeployment(ports, target);
  assert.equal(result.outcome, 'continued');
  assert.deepEqual(ports.ecs.writes, [
    { op: 'continueServiceDeployment', serviceDeploymentArn: SD, hookId: 'a', action: 'CONTINUE' },
    { op: 'continueServiceDeployment', serviceDeploymentArn: SD, hookId: 'c', action: 'CONTINUE' },
  ]);
});

test('promote during a bake changes nothing and says what ECS cannot skip', async () => {
  const ports = withDeployment({ lifecycleStage: 'BAKE_TIME', deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 15 } });
  const result = await promoteServiceDeployment(ports, target);
  assert.equal(result.outcome, 'nothing-to-continue');
  assert.deepEqual(result.bake, { kind: 'final', minutes: 15 });
  assert.match(result.message, /ECS has no API to end a bake early: ContinueServiceDeployment only answers PAUSE hooks/);
  assert.match(result.message, /ecs-rollout abort/);
  assert.match(result.message, /strategy\.promotableBake: true/);
  assert.deepEqual(ports.ecs.writes, []);
});

test('promote during a promotable bake answers its PAUSE hook and says the bake ended early', async () => {
  const ports = withDeployment({
    lifecycleStage: 'POST_PRODUCTION_TRAFFIC_SHIFT',
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [bakeHook(30)] },
    lifecycleHookDetails: [{ hookId: 'bake', targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'CONTINUE', expiresAt: new Date(T0 + 1_800_000) }],
  });
  const result = await promoteServiceDeployment(ports, target);
  assert.equal(result.outcome, 'continued');
  assert.deepEqual(result.bake, { kind: 'final', minutes: 30 });
  assert.match(result.message, /the bake \(30m\) ended early$/);
  assert.deepEqual(ports.ecs.writes, [{ op: 'continueServiceDeployment', serviceDeploymentArn: SD, hookId: 'bake', action: 'CONTINUE' }]);
});

test('abort stops the in-progress deployment with ROLLBACK; an already stopping one is left alone', async () => {
  const ports = withDeployment({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' });
  const result = await abortServiceDeployment(ports, target);
  assert.equal(result.outcome, 'rollback-requested');
  assert.deepEqual(ports.ecs.writes, [{ op: 'stopServiceDeployment', serviceDeploymentArn: SD, stopType: 'ROLLBACK' }]);

  const stopping = withDeployment({ status: 'ROLLBACK_IN_PROGRESS' });
  assert.equal((await abortServiceDeployment(stopping, target)).outcome, 'already-stopping');
  assert.deepEqual(stopping.ecs.writes, []);
});

test('promote and abort with no deployment in progress are user errors naming the latest status', async () => {
  const ports = withDeployment({ status: 'SUCCESSFUL' });
  for (const action of [promoteServiceDeployment, abortServiceDeployment]) {
    await assert.rejects(action(ports, target), (err: unknown) => err instanceof RolloutError && err.kind === 'user' && /has no deployment in progress \(the latest is SUCCESSFUL\)/.test(err.message));
  }
  assert.deepEqual(ports.ecs.writes, []);
});
