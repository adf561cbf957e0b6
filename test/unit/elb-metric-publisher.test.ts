import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClock } from '../../src/emulator/clock.js';
import { TrafficMetrics, emptyCounters } from '../../src/emulator/runtime/load-balancer/traffic-metrics.js';
import { ElbMetricPublisher, type ElbMetricSource } from '../../src/emulator/runtime/metrics/elb-metric-publisher.js';
import {
  countersDelta, elbMetricPoints, emptyCounts, emptyTally, loadBalancerDimension, responseTimePoint, scopeOfArn, targetGroupDimension,
  type ElbMinute, type RequestCounts,
} from '../../src/emulator/runtime/metrics/elb-metric-points.js';
import { METRIC_PERIOD_MS, periodOfReading, periodStart } from '../../src/emulator/runtime/metrics/metric-period.js';
import type { MetricPlane, MetricPoint } from '../../src/emulator/services/cloudwatch/metric-plane.js';
import { pollUntil } from '../support/poll.js';

const LB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/943f017f100becff';
const OTHER_LB = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/api/0123456789abcdef';
const START = Date.UTC(2025, 0, 1, 12, 0, 0);

const LB_DIMS = [{ Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' }];
const TG_DIMS = [
  { Name: 'TargetGroup', Value: 'targetgroup/web-blue/943f017f100becff' },
  { Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' },
];

function counts(values: Partial<RequestCounts>): RequestCounts {
  return { ...emptyCounts(), ...values };
}

/** name -> the point's value (or its statistics / values), for compact assertions. */
function byName(points: MetricPoint[], dimensions: MetricPoint['dimensions']): Map<string, MetricPoint> {
  const key = JSON.stringify(dimensions);
  return new Map(points.filter((p) => JSON.stringify(p.dimensions) === key).map((p) => [p.metricName, p]));
}

test('ELB metrics: dimensions and scope come from the ARNs as ALB names them', () => {
  assert.equal(loadBalancerDimension(LB), 'app/web/50dc6c495c0c9188');
  assert.equal(targetGroupDimension(TG), 'targetgroup/web-blue/943f017f100becff');
  assert.deepEqual(scopeOfArn(LB), { account: '123456789012', region: 'eu-west-1' });
  assert.equal(loadBalancerDimension('not-an-arn'), undefined);
  assert.equal(scopeOfArn('arn:aws:ecs:us-east-1:000000000000:service/x'), undefined);
});

test('ELB metrics: a minute of traffic becomes AWS/ApplicationELB counts per load balancer and per target group', () => {
  const minute: ElbMinute = {
    start: START,
    loadBalancers: new Map([
      [LB, {
        counts: counts({ RequestCount: 12, HTTPCode_Target_2XX_Count: 7, HTTPCode_Target_5XX_Count: 3, HTTPCode_ELB_5XX_Count: 2, HTTPCode_ELB_503_Count: 2, TargetConnectionErrorCount: 1 }),
        responseTimes: { count: 10, sum: 1, samples: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] },
      }],
    ]),
    targetGroups: new Map([
      [TG, {
        loadBalancerArn: LB,
        counts: counts({ RequestCount: 12, HTTPCode_Target_2XX_Count: 7, HTTPCode_Target_5XX_Count: 3, HTTPCode_ELB_5XX_Count: 2, HTTPCode_ELB_503_Count: 2 }),
        responseTimes: { count: 10, sum: 1, samples: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] },
      }],
    ]),
    health: [],
  };
  const [only, ...rest] = elbMetricPoints(minute);
  assert.equal(rest.length, 0);
  assert.deepEqual(only?.scope, { account: '123456789012', region: 'eu-west-1' });
  const points = only?.points ?? [];
  assert.ok(points.every((p) => p.namespace === 'AWS/ApplicationELB' && p.timestamp === START));

  const lb = byName(points, LB_DIMS);
  assert.deepEqual([...lb.keys()].sort(), [
    'HTTPCode_ELB_503_Count', 'HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_2XX_Count', 'HTTPCode_Target_5XX_Count',
    'RequestCount', 'TargetConnectionErrorCount', 'TargetResponseTime',
  ]);
  assert.equal(lb.get('RequestCount')?.value, 12);
  assert.equal(lb.get('RequestCount')?.unit, 'Count');
  assert.equal(lb.get('HTTPCode_ELB_503_Count')?.value, 2);
  assert.equal(lb.get('TargetResponseTime')?.unit, 'Seconds');
  assert.equal(lb.get('TargetResponseTime')?.values?.length, 10);

  // ELB-generated codes exist only per load balancer; zero counts are not reported at all.
  const tg = byName(points, TG_DIMS);
  assert.deepEqual([...tg.keys()].sort(), ['HTTPCode_Target_2XX_Count', 'HTTPCode_Target_5XX_Count', 'RequestCount', 'TargetResponseTime']);
  assert.equal(tg.get('HTTPCode_Target_5XX_Count')?.value, 3);
  assert.equal(tg.get('RequestCount')?.value, 12);
});

test('ELB metrics: health readings become HealthyHostCount and UnHealthyHostCount statistics, zero included', () => {
  const minute: ElbMinute = {
    start: START,
    loadBalancers: new Map(),
    targetGroups: new Map(),
    health: [{ loadBalancerArn: LB, targetGroupArn: TG, healthy: [2, 1, 2], unhealthy: [0, 1, 0] }],
  };
  const points = elbMetricPoints(minute)[0]?.points ?? [];
  const tg = byName(points, TG_DIMS);
  assert.deepEqual(tg.get('HealthyHostCount')?.statistics, { SampleCount: 3, Sum: 5, Minimum: 1, Maximum: 2 });
  assert.deepEqual(tg.get('UnHealthyHostCount')?.statistics, { SampleCount: 3, Sum: 1, Minimum: 0, Maximum: 1 });
  assert.equal(tg.get('HealthyHostCount')?.unit, 'Count');
  assert.equal(points.length, 2);
});

test('ELB metrics: load balancers of different accounts are published in their own scope', () => {
  const tally = { ...emptyTally(), counts: counts({ RequestCount: 1, HTTPCode_ELB_4XX_Count: 1 }) };
  const out = elbMetricPoints({ start: START, loadBalancers: new Map([[LB, tally], [OTHER_LB, tally]]), targetGroups: new Map(), health: [] });
  assert.deepEqual(out.map((s) => `${s.scope.account}/${s.scope.region}:${s.points.length}`).sort(), ['000000000000/us-east-1:2', '123456789012/eu-west-1:2']);
});

test('ELB metrics: TargetResponseTime keeps raw values; lost samples are weighted, none kept falls back to count and sum', () => {
  assert.deepEqual(responseTimePoint(START, LB_DIMS, { count: 3, sum: 0.6, samples: [0.1, 0.2, 0.3] })?.values, [0.1, 0.2, 0.3]);
  const weighted = responseTimePoint(START, LB_DIMS, { count: 4, sum: 1, samples: [0.2, 0.3] });
  assert.deepEqual(weighted?.values, [0.2, 0.3]);
  assert.deepEqual(weighted?.counts, [2, 2]);
  assert.deepEqual(responseTimePoint(START, LB_DIMS, { count: 4, sum: 1, samples: [] })?.statistics, { SampleCount: 4, Sum: 1, Minimum: 0.25, Maximum: 0.25 });
  assert.equal(responseTimePoint(START, LB_DIMS, { count: 0, sum: 0, samples: [] }), undefined);
});

test('ELB metrics: the difference between two counter readings is what happened in between', () => {
  const before = { ...emptyCounters(), RequestCount: 5, HTTPCode_Target_2XX_Count: 5, TargetResponseTime: { sum: 0.5, count: 5, max: 0.2 } };
  const now = { ...emptyCounters(), RequestCount: 9, HTTPCode_Target_2XX_Count: 6, HTTPCode_Target_5XX_Count: 2, HTTPCode_ELB_503_Count: 1, HTTPCode_ELB_5XX_Count: 1, TargetResponseTime: { sum: 0.8, count: 8, max: 0.2 } };
  const delta = countersDelta(now, before);
  assert.equal(delta.counts.RequestCount, 4);
  assert.equal(delta.counts.HTTPCode_Target_2XX_Count, 1);
  assert.equal(delta.counts.HTTPCode_Target_5XX_Count, 2);
  assert.equal(delta.counts.HTTPCode_ELB_503_Count, 1);
  assert.equal(delta.count, 3);
  assert.ok(Math.abs(delta.sum - 0.3) < 1e-9);
  assert.equal(countersDelta(now, undefined).counts.RequestCount, 9);
});

test('ELB metrics: readings at :00 close the minute before; periods are minute-aligned', () => {
  assert.equal(periodStart(START + 59_999), START);
  assert.equal(periodOfReading(START + METRIC_PERIOD_MS), START);
  assert.equal(periodOfReading(START + 20_000), START);
});

function recordingPlane(): MetricPlane & { puts: Array<{ scope: { account: string; region: string }; points: readonly MetricPoint[] }> } {
  const puts: Array<{ scope: { account: string; region: string }; points: readonly MetricPoint[] }> = [];
  return { puts, put: (scope, points) => void puts.push({ scope, points }) };
}

const sum = (plane: ReturnType<typeof recordingPlane>, metricName: string, dimensions: MetricPoint['dimensions']): number =>
  plane.puts
    .flatMap((p) => p.points)
    .filter((p) => p.metricName === metricName && JSON.stringify(p.dimensions) === JSON.stringify(dimensions))
    .reduce((total, p) => total + (p.value ?? 0), 0);

test('ELB metric publisher: every request the data plane counted is published once, in minute-aligned points', async (t) => {
  const clock = createClock(1200);
  const traffic = new TrafficMetrics();
  const source: ElbMetricSource = {
    traffic: () => traffic.snapshot(),
    targetGroupHealth: () => [{ loadBalancerArn: LB, targetGroupArn: TG, healthy: 2, unhealthy: 0 }],
    loadBalancerOf: () => LB,
  };
  const plane = recordingPlane();
  const publisher = new ElbMetricPublisher({ clock, source, metrics: plane, log: () => {} });
  publisher.start();
  t.after(() => publisher.close());

  for (let i = 0; i < 7; i++) traffic.record(clock.now(), LB, TG, { kind: 'target', status: i < 2 ? 500 : 200, responseSeconds: 0.01 * (i + 1) });
  traffic.record(clock.now(), LB, TG, { kind: 'elb', status: 503 });
  await pollUntil('the minute published', 5_000, async () => (sum(plane, 'RequestCount', TG_DIMS) > 0 ? true : undefined), 10);
  // A second batch, published by close() if its minute is not over yet.
  for (let i = 0; i < 3; i++) traffic.record(clock.now(), LB, TG, { kind: 'target', status: 500, responseSeconds: 0.02 });
  await publisher.close();

  assert.equal(sum(plane, 'RequestCount', LB_DIMS), 11);
  assert.equal(sum(plane, 'RequestCount', TG_DIMS), 11);
  assert.equal(sum(plane, 'HTTPCode_Target_5XX_Count', TG_DIMS), 5);
  assert.equal(sum(plane, 'HTTPCode_Target_2XX_Count', TG_DIMS), 5);
  assert.equal(sum(plane, 'HTTPCode_ELB_503_Count', LB_DIMS), 1);
  const responseValues = plane.puts.flatMap((p) => p.points).filter((p) => p.metricName === 'TargetResponseTime' && p.dimensions.length === 2);
  assert.equal(responseValues.reduce((n, p) => n + (p.values?.length ?? 0), 0), 10);
  for (const point of plane.puts.flatMap((p) => p.points)) assert.equal(point.timestamp % METRIC_PERIOD_MS, 0);
  assert.ok(plane.puts.every((p) => p.scope.account === '123456789012' && p.scope.region === 'eu-west-1'));
  assert.ok(plane.puts.some((p) => p.points.some((x) => x.metricName === 'HealthyHostCount' && x.statistics?.Maximum === 2)));
});
