import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { statusLines } from '../../src/cli/commands/status.js';
import { describeShare } from '../../src/cli/output/describe.js';
import { RevisionNames } from '../../src/engine/revision-names.js';
import { deploymentToShow, serviceDeploymentDetail } from '../../src/engine/service-deployment-detail.js';
import { FakeEcs, TD_ARN } from './engine-fakes.js';

const SR = (n: number): string => `arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/${n}`;
const SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';

function paused(fields: Partial<ServiceDeployment> = {}): ServiceDeployment {
  return {
    serviceDeploymentArn: SD,
    status: 'IN_PROGRESS',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
    targetServiceRevision: { arn: SR(8), requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0, requestedProductionTrafficWeight: 0, requestedTestTrafficWeight: 100 },
    sourceServiceRevisions: [{ arn: SR(7), requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0, requestedProductionTrafficWeight: 100, requestedTestTrafficWeight: 0 }],
    lifecycleHookDetails: [
      { hookId: 'h-done', targetType: 'PAUSE', status: 'SUCCEEDED' },
      { hookId: 'h-wait', targetType: 'PAUSE', status: 'AWAITING_ACTION', expiresAt: new Date('2026-01-01T01:00:00.000Z'), timeoutAction: 'ROLLBACK' },
    ],
    ...fields,
  };
}

const NAMES = new Map([[SR(8), TD_ARN(5)], [SR(7), TD_ARN(4)]]);

test('detail: a waiting PAUSE hook is at the current stage and resolved by promote or abort; finished hooks are not', () => {
  const d = serviceDeploymentDetail(paused(), NAMES);
  assert.deepEqual([d.status, d.strategy, d.stage, d.bake], ['IN_PROGRESS', 'BLUE_GREEN', 'POST_TEST_TRAFFIC_SHIFT', undefined]);
  assert.deepEqual(d.revisions.map((r) => [r.role, r.taskDefinitionArn, r.productionWeight, r.testWeight]), [['target', TD_ARN(5), 0, 100], ['source', TD_ARN(4), 100, 0]]);
  assert.deepEqual(d.hooks.map((h) => [h.hookId, h.status, h.stage, h.actions]), [['h-done', 'SUCCEEDED', undefined, []], ['h-wait', 'AWAITING_ACTION', 'POST_TEST_TRAFFIC_SHIFT', ['promote', 'abort']]]);
});

test('detail: a deployment in its bake says which bake; a finished one offers nothing to run', () => {
  const baking = serviceDeploymentDetail(paused({ lifecycleStage: 'BAKE_TIME', lifecycleHookDetails: [] }), new Map());
  assert.deepEqual(baking.bake, { kind: 'final', minutes: 5 });
  assert.equal(baking.revisions[0]?.taskDefinitionArn, undefined, 'unnamed when the revision could not be looked up');
  const done = serviceDeploymentDetail(paused({ status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'stopped with StopServiceDeployment' } }), NAMES);
  assert.deepEqual(done.hooks.flatMap((h) => h.actions), []);
  assert.equal(done.rollbackReason, 'stopped with StopServiceDeployment');
});

test('the deployment shown is the newest ongoing one, else the newest', () => {
  assert.equal(deploymentToShow([{ serviceDeploymentArn: 'a', status: 'SUCCESSFUL' }, { serviceDeploymentArn: 'b', status: 'IN_PROGRESS' }])?.serviceDeploymentArn, 'b');
  assert.equal(deploymentToShow([{ serviceDeploymentArn: 'a', status: 'SUCCESSFUL' }, { serviceDeploymentArn: 'b', status: 'ROLLBACK_SUCCESSFUL' }])?.serviceDeploymentArn, 'a');
  assert.equal(deploymentToShow([]), undefined);
});

test('revision names: each service revision is described once; one that cannot be is left unnamed, not asked again', async () => {
  const ecs = new FakeEcs();
  ecs.serviceRevisions = [{ serviceRevisionArn: SR(8), taskDefinition: TD_ARN(5) }];
  const names = new RevisionNames(ecs);
  const shares = [SR(8), SR(7)].map((arn) => ({ arn, role: 'target' as const, requested: 2, running: 2, pending: 0, productionWeight: 0, testWeight: 0 }));
  const first = await names.name(shares);
  const second = await names.name(shares);
  assert.deepEqual(first.map((r) => r.taskDefinitionArn), [TD_ARN(5), undefined]);
  assert.deepEqual(second, first);
  assert.deepEqual(ecs.reads, ['readServiceRevisions']);
  assert.equal(describeShare(first[0]!), 'green web:5 2/2 running, 0 pending, prod 0%, test 0%');
  assert.equal(describeShare(first[1]!), 'green revision 7 2/2 running, 0 pending, prod 0%, test 0%');
});

test('status text: strategy, stage, weights per revision by task definition, and the command that resolves a waiting hook', () => {
  const lines = statusLines({
    cluster: 'prod', service: 'web', status: 'ACTIVE', taskDefinitionArn: TD_ARN(5), desiredCount: 2, runningCount: 4, pendingCount: 0, lock: undefined,
    deployments: [], events: [], serviceDeployments: undefined,
    serviceDeployment: serviceDeploymentDetail(paused(), NAMES),
  });
  assert.deepEqual(lines.slice(2, 8), [
    'service deployment abc: IN_PROGRESS, strategy BLUE_GREEN, stage POST_TEST_TRAFFIC_SHIFT',
    '  green web:5 2/2 running, 0 pending, prod 0%, test 100%',
    '  blue web:4 2/2 running, 0 pending, prod 100%, test 0%',
    '  hook h-done (PAUSE): SUCCEEDED',
    '  hook h-wait (PAUSE) at POST_TEST_TRAFFIC_SHIFT: AWAITING_ACTION: run ecs-rollout promote --cluster prod --service web to continue, or ecs-rollout abort --cluster prod --service web to roll back; ECS does ROLLBACK at 2026-01-01T01:00:00.000Z',
    'recent events: none',
  ]);
});
