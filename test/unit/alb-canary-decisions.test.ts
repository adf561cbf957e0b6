import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deployment } from '@aws-sdk/client-ecs';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  canaryCountFor, decideStart, heartbeatFor, isLive, judgeReadiness, pauseEnd, promotedAt, resumePoint, shiftRefusal, verdictAction, watchCanary,
} from '../../src/engine/alb-canary/decisions.js';
import { loadBalancerDimension, readSplit, routedTargetGroup, showsPercent, targetGroupDimension, withCanaryPercent } from '../../src/engine/alb-canary/route.js';
import type { CanaryRecord, CanaryState } from '../../src/engine/alb-canary/state-tag.js';
import { canarySummary, livenessNote } from '../../src/engine/alb-canary/summary.js';
import type { CanaryStep } from '../../src/spec/canary-steps.js';

const T0 = Date.parse('2025-06-01T12:00:00.000Z');
const STABLE_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-stable/0123456789abcdef';
const CANARY_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-canary/fedcba9876543210';
const OTHER_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other/1111111111111111';
const RULE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
const TD = (rev: number): string => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;

const STATE: CanaryState = {
  run: 'lq2x3k5', taskDefinition: 'web:12', previousRevision: 11, stableService: 'web', step: 3, totalSteps: 7, weight: 25,
  phase: 'step', waiting: 'promote', until: undefined, updatedAt: T0, heartbeatMs: 30_000, by: 'alice@ci',
};
const record = (fields: Partial<CanaryRecord>): CanaryRecord => ({ state: undefined, route: undefined, promote: undefined, abort: undefined, ...fields });

test('decideStart: fresh, resume the same image, finish an abort, or refuse another image', () => {
  assert.deepEqual(decideStart(record({}), 'web:v2', undefined), { kind: 'fresh' });
  assert.deepEqual(decideStart(record({ state: STATE }), 'web:v2', 'web:v2'), { kind: 'resume', state: STATE });
  assert.deepEqual(decideStart(record({ state: STATE, abort: { run: STATE.run, at: T0, by: 'bob' } }), 'web:v2', 'web:v2'), { kind: 'finish-abort', state: STATE });
  // An abort marker of an earlier run does not touch this one.
  assert.equal(decideStart(record({ state: STATE, abort: { run: 'older', at: T0, by: 'bob' } }), 'web:v2', 'web:v2').kind, 'resume');
  const conflict = decideStart(record({ state: STATE }), 'web:v3', 'web:v2');
  assert.equal(conflict.kind, 'conflict');
  assert.match(conflict.kind === 'conflict' ? conflict.message : '', /a canary of web:12 \(web:v2\) is under way at step 3\/7; rerun that deploy to resume it, or run ecs-rollout abort to revert it before deploying web:v3/);
});

test('resumePoint: each recorded phase picks up where it was', () => {
  const cases: Array<[Partial<CanaryState>, ReturnType<typeof resumePoint>]> = [
    [{ phase: 'starting', step: 0 }, { kind: 'start' }],
    [{ phase: 'step', step: 1 }, { kind: 'step', index: 0 }],
    [{ phase: 'step', step: 7 }, { kind: 'step', index: 6 }],
    [{ phase: 'step', step: 9 }, { kind: 'start' }],
    [{ phase: 'promoting' }, { kind: 'promote' }],
    [{ phase: 'finishing' }, { kind: 'finish' }],
    [{ phase: 'rolling-back' }, { kind: 'rollback' }],
  ];
  for (const [change, expected] of cases) assert.deepEqual(resumePoint({ ...STATE, ...change }), expected, JSON.stringify(change));
});

test('canaryCountFor: as configured, else enough for the largest weight, at least one', () => {
  const steps = (...weights: number[]): CanaryStep[] => weights.map((weight) => ({ kind: 'set-weight', weight }));
  const cases: Array<[number | undefined, CanaryStep[], number, number]> = [
    [3, steps(10), 10, 3],
    [undefined, steps(10, 25, 50), 10, 5],
    [undefined, steps(10), 4, 1],
    [undefined, steps(33), 10, 4],
    [undefined, steps(5), 0, 1],
    [undefined, [{ kind: 'manual-gate' }], 6, 1],
  ];
  for (const [configured, s, stable, expected] of cases) assert.equal(canaryCountFor(configured, s, stable), expected);
});

test('verdictAction: Successful goes on; anything else does what onFailure says', () => {
  const cases: Array<[Parameters<typeof verdictAction>[0], ReturnType<typeof verdictAction>]> = [
    [{ phase: 'Successful', onFailure: 'rollback' }, 'continue'],
    [{ phase: 'Failed', onFailure: 'rollback' }, 'rollback'],
    [{ phase: 'Error', onFailure: 'rollback' }, 'rollback'],
    [{ phase: 'Inconclusive', onFailure: 'pause' }, 'wait-for-promote'],
    [{ phase: 'Failed', onFailure: 'pause' }, 'wait-for-promote'],
    [{ phase: 'Failed', onFailure: 'report' }, 'continue-with-warning'],
  ];
  for (const [verdict, expected] of cases) assert.equal(verdictAction(verdict), expected, JSON.stringify(verdict));
});

test('shiftRefusal: traffic never goes to a target group without healthy targets', () => {
  assert.equal(shiftRefusal(20, { canaryHealthy: 1, stableHealthy: 2 }), undefined);
  assert.match(shiftRefusal(20, { canaryHealthy: 0, stableHealthy: 2 }) ?? '', /canary target group has no healthy targets; refusing to send it 20%/);
  assert.match(shiftRefusal(20, { canaryHealthy: 1, stableHealthy: 0 }) ?? '', /stable target group has no healthy targets; refusing to send it 80%/);
  assert.equal(shiftRefusal(0, { canaryHealthy: 0, stableHealthy: 2 }), undefined);
  assert.equal(shiftRefusal(100, { canaryHealthy: 2, stableHealthy: 0 }), undefined);
});

const dep = (id: string, status: string, rev: number, fields: Partial<Deployment> = {}): Deployment => ({ id, status, taskDefinition: TD(rev), desiredCount: 2, runningCount: 0, failedTasks: 0, rolloutState: 'IN_PROGRESS', ...fields });
const readinessCases: Array<{ name: string; deployments: Deployment[]; healthy: number; expected: string }> = [
  { name: 'no deployment yet', deployments: [], healthy: 0, expected: 'waiting' },
  { name: 'tasks starting', deployments: [dep('n', 'PRIMARY', 12, { runningCount: 1 }), dep('o', 'ACTIVE', 11, { runningCount: 2 })], healthy: 2, expected: 'waiting' },
  { name: 'running, not yet healthy', deployments: [dep('n', 'PRIMARY', 12, { runningCount: 2 })], healthy: 1, expected: 'waiting' },
  { name: 'old tasks still there', deployments: [dep('n', 'PRIMARY', 12, { runningCount: 2 }), dep('o', 'ACTIVE', 11, { runningCount: 1 })], healthy: 3, expected: 'waiting' },
  { name: 'all running and healthy', deployments: [dep('n', 'PRIMARY', 12, { runningCount: 2 })], healthy: 2, expected: 'ready' },
  { name: 'deployment FAILED', deployments: [dep('n', 'PRIMARY', 12, { rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' })], healthy: 0, expected: 'failed' },
  { name: 'rolled back to another revision', deployments: [dep('r', 'PRIMARY', 11), dep('n', 'ACTIVE', 12)], healthy: 0, expected: 'failed' },
  { name: 'too many failed tasks', deployments: [dep('n', 'PRIMARY', 12, { failedTasks: 3 })], healthy: 0, expected: 'failed' },
];
for (const c of readinessCases) {
  test(`judgeReadiness: ${c.name} -> ${c.expected}`, () => {
    assert.equal(judgeReadiness({ deployments: c.deployments, taskDefinitionArn: 'web:12', desired: 2, healthyTargets: c.healthy, failedTaskLimit: 3 }).kind, c.expected);
  });
}

test('watchCanary, promotedAt, isLive, pauseEnd', () => {
  assert.deepEqual(watchCanary('r1', undefined, 1), { kind: 'ok' });
  assert.deepEqual(watchCanary('r1', { run: 'r1', at: T0, by: 'bob' }, 1), { kind: 'abort', by: 'bob' });
  assert.deepEqual(watchCanary('r1', { run: 'r0', at: T0, by: 'bob' }, 1), { kind: 'ok' });
  assert.equal(watchCanary('r1', undefined, 0).kind, 'canary-unhealthy');

  assert.equal(promotedAt({ run: 'r1', step: 3, at: T0, by: '' }, 'r1', 3), true);
  assert.equal(promotedAt({ run: 'r1', step: 3, at: T0, by: '' }, 'r1', 5), false, 'a promote passes its own step, not a later gate');
  assert.equal(promotedAt({ run: 'r0', step: 9, at: T0, by: '' }, 'r1', 3), false);
  assert.equal(promotedAt(undefined, 'r1', 3), false);

  assert.equal(isLive(STATE, T0 + 60_000), true);
  assert.equal(isLive(STATE, T0 + 92_000), false);
  assert.equal(heartbeatFor(5000), 30_000);
  assert.equal(heartbeatFor(250), 2000);
  assert.equal(heartbeatFor(50), 1000);

  assert.equal(pauseEnd(undefined, 3, 60_000, T0), T0 + 60_000);
  assert.equal(pauseEnd({ waiting: 'pause', until: T0 + 5000, step: 3 }, 3, 60_000, T0 + 1000), T0 + 5000, 'a resumed pause keeps its end');
  assert.equal(pauseEnd({ waiting: 'pause', until: T0 + 5000, step: 2 }, 3, 60_000, T0), T0 + 60_000);
});

const forward = (groups: Array<[string, number]>, extra: Partial<Action> = {}): Action => ({
  Type: 'forward',
  ...extra,
  ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })), TargetGroupStickinessConfig: { Enabled: false } },
});

test('readSplit: the share of each target group, or what is wrong with the route', () => {
  assert.deepEqual(readSplit([forward([[STABLE_TG, 100], [CANARY_TG, 0]])], STABLE_TG, CANARY_TG), { ok: true, split: { stableWeight: 100, canaryWeight: 0, canaryPercent: 0 } });
  assert.deepEqual(readSplit([forward([[CANARY_TG, 1], [STABLE_TG, 3]])], STABLE_TG, CANARY_TG), { ok: true, split: { stableWeight: 3, canaryWeight: 1, canaryPercent: 25 } });
  const problems: Array<[Action[], RegExp]> = [
    [[{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }], /does not forward \(its actions: fixed-response\)/],
    [[{ Type: 'forward', TargetGroupArn: STABLE_TG }], /forwards to web-stable, not to exactly web-stable \(stable\) and web-canary \(canary\)/],
    [[forward([[STABLE_TG, 100], [OTHER_TG, 0]])], /forwards to web-stable and other/],
    [[forward([[STABLE_TG, 90], [CANARY_TG, 10], [OTHER_TG, 0]])], /not to exactly/],
    [[forward([[STABLE_TG, 0], [CANARY_TG, 0]])], /both target groups have weight 0/],
  ];
  for (const [actions, message] of problems) {
    const reading = readSplit(actions, STABLE_TG, CANARY_TG);
    assert.equal(reading.ok, false);
    assert.match(reading.ok ? '' : reading.problem, message);
  }
});

test('withCanaryPercent: one forward rewritten with the new weights; order, stickiness and other actions kept', () => {
  const auth: Action = { Type: 'authenticate-oidc', Order: 1 };
  const actions = [auth, forward([[STABLE_TG, 100], [CANARY_TG, 0]], { Order: 2 })];
  const shifted = withCanaryPercent(actions, STABLE_TG, CANARY_TG, 25);
  assert.deepEqual(shifted, [
    auth,
    { Type: 'forward', Order: 2, ForwardConfig: { TargetGroups: [{ TargetGroupArn: STABLE_TG, Weight: 75 }, { TargetGroupArn: CANARY_TG, Weight: 25 }], TargetGroupStickinessConfig: { Enabled: false } } },
  ]);
  assert.equal(showsPercent(shifted, STABLE_TG, CANARY_TG, 25), true);
  assert.equal(showsPercent(shifted, STABLE_TG, CANARY_TG, 20), false);
  assert.equal(showsPercent(actions, STABLE_TG, CANARY_TG, 0), true);
});

test('CloudWatch dimensions and target groups from ARNs', () => {
  assert.equal(targetGroupDimension(CANARY_TG), 'targetgroup/web-canary/fedcba9876543210');
  assert.equal(loadBalancerDimension({ kind: 'rule', arn: RULE }), 'app/web/50dc6c495c0c9188');
  assert.equal(loadBalancerDimension({ kind: 'listener', arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2' }), 'app/web/50dc6c495c0c9188');
  const lbs = [{ targetGroupArn: OTHER_TG }, { targetGroupArn: STABLE_TG }];
  assert.equal(routedTargetGroup(lbs, [forward([[STABLE_TG, 100], [CANARY_TG, 0]])]), STABLE_TG);
  assert.equal(routedTargetGroup([{ targetGroupArn: OTHER_TG }], [forward([[STABLE_TG, 100], [CANARY_TG, 0]])]), undefined);
});

test('status words: the phase, the step, the weight and what it waits for; whether a deploy runs it', () => {
  const words = (change: Partial<CanaryState>, weight?: number): string => canarySummary({ ...STATE, ...change }, 'web-canary', weight);
  assert.equal(words({}), 'canary of web on web-canary at step 3/7, weight 25%, waiting for promote');
  assert.equal(words({ waiting: 'pause', until: T0 + 90_000 }, 20), 'canary of web on web-canary at step 3/7, weight 20%, pausing until 12:01:30');
  assert.equal(words({ waiting: 'analysis' }), 'canary of web on web-canary at step 3/7, weight 25%, running an analysis');
  assert.equal(words({ waiting: undefined }), 'canary of web on web-canary at step 3/7, weight 25%');
  assert.equal(words({ phase: 'starting', step: 0, weight: 0 }), 'canary of web on web-canary starting: web-canary is taking web:12; weight 0%');
  assert.match(words({ phase: 'promoting' }), /promoting after step 3\/7: web is taking web:12; canary weight 25% until it is done/);
  assert.match(words({ phase: 'rolling-back' }), /rolling back from step 3\/7/);
  assert.equal(livenessNote(STATE, T0 + 10_000), 'an ecs-rollout deploy started by alice@ci is running it (last heard 12:00:00)');
  assert.equal(livenessNote(STATE, T0 + 600_000), 'no ecs-rollout deploy has reported since 12:00:00 (it was started by alice@ci): rerun the same deploy to resume from step 3, or run ecs-rollout abort to revert');
});
