import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeDeployment, type Observation, type Tracking } from '../../src/engine/verdict.js';
import { deployment } from './engine-fakes.js';

const OURS = 'ecs-svc/2';
const OLD = 'ecs-svc/1';
const RB = 'ecs-svc/3';
const base: Tracking = { deploymentId: OURS, taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4', previousTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3' };
const rollingBack: Tracking = { ...base, rollback: { deploymentId: RB, reason: 'tasks failed' } };
const CB = 'ECS deployment circuit breaker: tasks failed to start.';

const cases: Array<{ name: string; tracking?: Tracking; observation: Observation; expected: ReturnType<typeof judgeDeployment>['kind'] }> = [
  { name: 'ours primary, in progress', observation: { deployments: [deployment(OURS, 'PRIMARY', 4), deployment(OLD, 'ACTIVE', 3)], rollbackOnFailure: true }, expected: 'in-progress' },
  { name: 'ours primary, completed', observation: { deployments: [deployment(OURS, 'PRIMARY', 4, { rolloutState: 'COMPLETED' })], rollbackOnFailure: true }, expected: 'completed' },
  { name: 'service deployment SUCCESSFUL', observation: { deployments: [deployment(OURS, 'PRIMARY', 4)], rollbackOnFailure: false, serviceDeploymentStatus: 'SUCCESSFUL' }, expected: 'completed' },
  { name: 'ours failed, no rollback configured', observation: { deployments: [deployment(OURS, 'PRIMARY', 4, { rolloutState: 'FAILED', rolloutStateReason: CB })], rollbackOnFailure: false }, expected: 'failed' },
  { name: 'ours failed, rollback configured (wait for it)', observation: { deployments: [deployment(OURS, 'PRIMARY', 4, { rolloutState: 'FAILED' })], rollbackOnFailure: true }, expected: 'failed' },
  { name: 'rollback deployment took over', observation: { deployments: [deployment(RB, 'PRIMARY', 3), deployment(OURS, 'ACTIVE', 4, { rolloutState: 'FAILED', rolloutStateReason: CB })], rollbackOnFailure: true }, expected: 'rollback-started' },
  { name: 'rollback already finished, ours gone', observation: { deployments: [deployment(RB, 'PRIMARY', 3, { rolloutState: 'COMPLETED' })], rollbackOnFailure: true }, expected: 'rollback-started' },
  { name: 'someone else deployed web:5', observation: { deployments: [deployment('ecs-svc/9', 'PRIMARY', 5), deployment(OURS, 'ACTIVE', 4)], rollbackOnFailure: true }, expected: 'failed' },
  { name: 'rollback in progress', tracking: rollingBack, observation: { deployments: [deployment(RB, 'PRIMARY', 3), deployment(OURS, 'ACTIVE', 4, { rolloutState: 'FAILED' })], rollbackOnFailure: true }, expected: 'in-progress' },
  { name: 'rollback completed', tracking: rollingBack, observation: { deployments: [deployment(RB, 'PRIMARY', 3, { rolloutState: 'COMPLETED' })], rollbackOnFailure: true }, expected: 'rolled-back' },
  { name: 'rollback failed', tracking: rollingBack, observation: { deployments: [deployment(RB, 'PRIMARY', 3, { rolloutState: 'FAILED' })], rollbackOnFailure: true }, expected: 'failed' },
  { name: 'rollback replaced', tracking: rollingBack, observation: { deployments: [deployment('ecs-svc/9', 'PRIMARY', 5)], rollbackOnFailure: true }, expected: 'failed' },
  { name: 'service deployment ROLLBACK_SUCCESSFUL', tracking: rollingBack, observation: { deployments: [deployment(RB, 'PRIMARY', 3)], rollbackOnFailure: true, serviceDeploymentStatus: 'ROLLBACK_SUCCESSFUL' }, expected: 'rolled-back' },
];

for (const c of cases) {
  test(`judgeDeployment: ${c.name} -> ${c.expected}`, () => {
    assert.equal(judgeDeployment(c.tracking ?? base, c.observation).kind, c.expected);
  });
}

test('judgeDeployment: a failure waits for the rollback only when the service rolls back', () => {
  const failed = { deployments: [deployment(OURS, 'PRIMARY', 4, { rolloutState: 'FAILED', rolloutStateReason: CB })] };
  assert.deepEqual(judgeDeployment(base, { ...failed, rollbackOnFailure: true }), { kind: 'failed', reason: CB, rollbackExpected: true });
  assert.deepEqual(judgeDeployment(base, { ...failed, rollbackOnFailure: false }), { kind: 'failed', reason: CB, rollbackExpected: false });
});
