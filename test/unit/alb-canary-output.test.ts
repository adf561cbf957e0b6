import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlbCanaryEvent } from '../../src/engine/alb-canary/events.js';
import type { RolloutEvent } from '../../src/engine/events.js';
import { canaryViewLine, describeCanaryEvent, isCanaryEvent, nextCanaryView, NO_CANARY_VIEW } from '../../src/cli/output/alb-canary-text.js';
import { describeEvent } from '../../src/cli/output/describe.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:12';
const at = '2025-06-01T12:00:00.000Z';

test('canary events read as one line each, through the shared describeEvent', () => {
  const cases: Array<[AlbCanaryEvent, string]> = [
    [{ type: 'canary-planned', stableService: 'web', canaryService: 'web-canary', route: 'arn:rule', canaryCount: 2, steps: ['setWeight 10', 'pause 2m'], notes: [] }, 'planned: canary on web-canary (2 tasks) beside web; steps: setWeight 10, pause 2m'],
    [{ type: 'canary-resumed', run: 'x', step: 3, totalSteps: 7, phase: 'step', weight: 25, startedAt: at }, `resuming the canary started ${at} at step 3/7, canary weight 25%`],
    [{ type: 'canary-resumed', run: 'x', step: 7, totalSteps: 7, phase: 'promoting', weight: 50, startedAt: at }, `resuming the canary started ${at} (promoting) after step 7/7, canary weight 50%`],
    [{ type: 'weights-changed', route: 'arn:rule', stable: 75, canary: 25, confirmed: true }, 'weights: stable 75 / canary 25 (confirmed on the load balancer)'],
    [{ type: 'step-started', step: 2, totalSteps: 7, description: 'pause 2m' }, 'step 2/7: pause 2m'],
    [{ type: 'pause-started', step: 2, durationMs: 120_000, until: '2025-06-01T12:02:00.000Z' }, 'pausing 2m, until 12:02:00 (ecs-rollout promote ends it early)'],
    [{ type: 'promoting', service: 'web', taskDefinitionArn: TD, deploymentId: 'ecs-svc/1' }, 'promoting: service web takes web:12 (deployment ecs-svc/1); the canary keeps its share until it is done'],
    [{ type: 'rolling-back', reason: 'analysis error-rate Failed: 12%', aborted: false }, 'ROLLING BACK: analysis error-rate Failed: 12%; all traffic goes back to stable'],
    [{ type: 'rolled-back', reason: 'x', aborted: true, stable: 100, canary: 0 }, 'aborted: weights stable 100 / canary 0 confirmed, canary scaled to 0'],
  ];
  for (const [event, line] of cases) {
    const stamped = { ...event, at } as RolloutEvent;
    assert.equal(isCanaryEvent(stamped), true);
    assert.equal(describeCanaryEvent(event), line);
    assert.equal(describeEvent(stamped), line);
  }
  assert.equal(isCanaryEvent({ type: 'gate-passed', gate: 'g', attempt: 1, at }), false);
});

test('the live view keeps one canary line: step, weights, what it waits for', () => {
  const events: AlbCanaryEvent[] = [
    { type: 'canary-planned', stableService: 'web', canaryService: 'web-canary', route: 'arn:rule', canaryCount: 1, steps: [], notes: [] },
    { type: 'step-started', step: 1, totalSteps: 3, description: 'setWeight 20' },
    { type: 'weights-changed', route: 'arn:rule', stable: 80, canary: 20, confirmed: true },
    { type: 'step-started', step: 2, totalSteps: 3, description: 'pause (until promote)' },
    { type: 'waiting-for-promote', step: 2, totalSteps: 3, reason: 'pause: {}' },
  ];
  const view = events.reduce(nextCanaryView, NO_CANARY_VIEW);
  assert.equal(canaryViewLine(view), 'step 2/3  stable 80 / canary 20  waiting for ecs-rollout promote');
  assert.equal(canaryViewLine(NO_CANARY_VIEW), undefined);
});
