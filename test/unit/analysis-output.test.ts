import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEvent } from '../../src/cli/output/describe.js';
import type { RolloutEvent } from '../../src/engine/events.js';

const AT = '2025-06-01T12:00:00.000Z';

test('analysis events read as one line each (measurements add up to five output lines)', () => {
  const cases: Array<[RolloutEvent, string]> = [
    [
      { at: AT, type: 'analysis-started', analysis: 'error-rate', metrics: ['rate', 'slo'], purpose: 'at PRE_PRODUCTION_TRAFFIC_SHIFT, step 1, canary at 0%, service web' },
      'analysis error-rate (at PRE_PRODUCTION_TRAFFIC_SHIFT, step 1, canary at 0%, service web): measuring rate, slo',
    ],
    [
      { at: AT, type: 'analysis-measurement', analysis: 'error-rate', metric: 'rate', index: 2, phase: 'Successful', value: 0.4, message: "result = 0.4: successCondition 'result <= 1' holds", output: [], metricPhase: 'Running', nextInMs: 30_000 },
      "analysis error-rate metric rate #2 = 0.4: Successful: result = 0.4: successCondition 'result <= 1' holds; next in 30s",
    ],
    [
      { at: AT, type: 'analysis-measurement', analysis: 'error-rate', metric: 'p99', index: 1, phase: 'Failed', value: 3.2, stable: 1.1, message: "canary = 3.2, stable = 1.1: failureCondition 'canary > stable + 1' holds", output: [], metricPhase: 'Failed', nextInMs: undefined },
      "analysis error-rate metric p99 #1 = 3.2 (stable 1.1): Failed: canary = 3.2, stable = 1.1: failureCondition 'canary > stable + 1' holds; metric Failed",
    ],
    [
      { at: AT, type: 'analysis-measurement', analysis: 'smoke', metric: 'script', index: 1, phase: 'Error', value: undefined, message: "'./check.sh' exited 2", output: ['1', '2', '3', '4', '5', '6'], metricPhase: 'Running', nextInMs: 10_000 },
      "analysis smoke metric script #1: Error: './check.sh' exited 2; next in 10s\n    | 2\n    | 3\n    | 4\n    | 5\n    | 6",
    ],
    [
      { at: AT, type: 'analysis-finished', analysis: 'error-rate', phase: 'Failed', onFailure: 'rollback', summary: 'metric rate Failed: failed 1 > failureLimit 0' },
      'analysis error-rate FAILED: metric rate Failed: failed 1 > failureLimit 0 (onFailure: rollback)',
    ],
    [
      { at: AT, type: 'analysis-finished', analysis: 'error-rate', phase: 'Successful', onFailure: 'rollback', summary: 'metric rate Successful (4 successful)' },
      'analysis error-rate Successful: metric rate Successful (4 successful)',
    ],
    [
      { at: AT, type: 'analysis-failure-reported', analysis: 'latency', phase: 'Inconclusive', summary: 'metric p99 Inconclusive' },
      'warning: analysis latency ended Inconclusive; continuing because its onFailure is report: metric p99 Inconclusive',
    ],
    [
      { at: AT, type: 'analysis-waiting-for-operator', analysis: 'latency', phase: 'Failed', summary: 'metric p99 Failed', stage: 'POST_TEST_TRAFFIC_SHIFT', expiresAt: '2025-06-01T12:30:00.000Z' },
      'analysis latency ended Failed; the deployment waits at POST_TEST_TRAFFIC_SHIFT for ecs-rollout promote or abort (ECS rolls back at 2025-06-01T12:30:00.000Z if nobody decides): metric p99 Failed',
    ],
    [
      { at: AT, type: 'alarm-already-firing', analysis: 'slo', alarm: 'web-5xx', since: '2025-06-01T11:50:00.000Z', reason: 'Threshold Crossed', action: 'stop' },
      'alarm web-5xx (analysis slo) was already in ALARM before the deploy (since 2025-06-01T11:50:00.000Z): Threshold Crossed; stopping before any change',
    ],
    [
      { at: AT, type: 'alarm-already-firing', analysis: 'slo', alarm: 'web-5xx', since: undefined, reason: undefined, action: 'proceed' },
      'warning: alarm web-5xx (analysis slo) was already in ALARM before the deploy; proceeding (preexistingAlarm: proceed), it is not counted against the new version',
    ],
    [
      { at: AT, type: 'gate-started', gate: 'metrics', stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', kind: 'analysis', attempts: 1 },
      'gate metrics (analysis) at PRE_PRODUCTION_TRAFFIC_SHIFT: running',
    ],
  ];
  for (const [event, line] of cases) assert.equal(describeEvent(event), line);
});
