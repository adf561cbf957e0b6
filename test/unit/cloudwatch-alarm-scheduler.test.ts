import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { Clock } from '../../src/emulator/clock.js';
import { createCloudWatch } from '../../src/emulator/services/cloudwatch/index.js';

/** A clock that moves only when told, running the timers it passes. */
function manualClock(start: number) {
  let now = start;
  const timers = new Set<{ at: number; fn: () => void }>();
  const clock: Clock = {
    speed: 1,
    now: () => now,
    toReal: (ms) => ms,
    realTimeAt: (ms) => ms,
    sleep: () => Promise.reject(new Error('not used')),
    after(ms, fn) {
      const timer = { at: now + ms, fn };
      timers.add(timer);
      return () => timers.delete(timer);
    },
  };
  return {
    clock,
    pending: () => timers.size,
    advance(ms: number) {
      const target = now + ms;
      for (;;) {
        const next = [...timers].filter((x) => x.at <= target).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers.delete(next);
        now = next.at;
        next.fn();
      }
      now = target;
    },
  };
}

const ctx = { account: '123456789012', region: 'eu-west-1', requestId: 'r' };
const scope = { account: ctx.account, region: ctx.region };

test('alarm scheduler: metrics published through MetricPlane move the state ECS reads through AlarmPlane, once per period', async () => {
  const start = Date.UTC(2026, 0, 1, 12, 0, 30);
  const time = manualClock(start);
  let saves = 0;
  const cw = createCloudWatch({ clock: time.clock, markDirty: () => { saves += 1; } });
  await cw.service.invoke('PutMetricAlarm', {
    AlarmName: 'web-5xx', Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum',
    Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/1' }], Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold',
  }, ctx);
  assert.equal(cw.alarms.stateOf(scope, 'web-5xx'), 'INSUFFICIENT_DATA');

  // Six 5xx in this minute, published as the load balancer does, in two points.
  const point = (value: number) => ({
    namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/1' }],
    timestamp: time.clock.now(), unit: 'Count' as const, value,
  });
  cw.metrics.put(scope, [point(2), point(4)]);
  time.advance(20_000); // 12:00:50: the minute is not over, nothing to evaluate yet
  assert.equal(cw.alarms.stateOf(scope, 'web-5xx'), 'INSUFFICIENT_DATA');
  time.advance(20_000); // 12:01:10: the 12:00 period is complete and was evaluated at 12:01:00
  assert.equal(cw.alarms.stateOf(scope, 'web-5xx'), 'ALARM');
  assert.equal(saves, 1, 'the state change is saved');

  const [described] = ((await cw.service.invoke('DescribeAlarms', { AlarmNames: ['web-5xx'] }, ctx)) as { MetricAlarms: MetricAlarm[] }).MetricAlarms;
  assert.equal(described?.StateReason, 'Threshold Crossed: 1 datapoint [6.0 (01/01/26 12:00:00)] was greater than the threshold (5.0).');
  assert.equal(described?.StateTransitionedTimestamp?.getTime(), Date.UTC(2026, 0, 1, 12, 1, 0));

  // Still in the range (three periods), nothing new: the state and its reason stay.
  time.advance(60_000);
  assert.equal(cw.alarms.stateOf(scope, 'web-5xx'), 'ALARM');
  assert.equal(saves, 1);
  // Once the point leaves the evaluation range, missing data makes it INSUFFICIENT_DATA.
  time.advance(3 * 60_000);
  assert.equal(cw.alarms.stateOf(scope, 'web-5xx'), 'INSUFFICIENT_DATA');

  cw.close();
  assert.equal(time.pending(), 0, 'closing cancels the evaluation timer');
});

test('alarm scheduler: alarms in another account or Region never see these metrics', async () => {
  const time = manualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const cw = createCloudWatch({ clock: time.clock });
  const other = { ...ctx, region: 'us-east-1' };
  await cw.service.invoke('PutMetricAlarm', {
    AlarmName: 'a', Namespace: 'App', MetricName: 'Errors', Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }, other);
  cw.metrics.put(scope, [{ namespace: 'App', metricName: 'Errors', dimensions: [], timestamp: time.clock.now(), value: 9 }]);
  time.advance(70_000);
  assert.equal(cw.alarms.stateOf({ account: other.account, region: other.region }, 'a'), 'OK');
  cw.close();
});
