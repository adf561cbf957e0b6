import type { Dimension } from '@aws-sdk/client-cloudwatch';
import type { MetricPoint } from '../../services/cloudwatch/metric-plane.js';
import type { TrafficCounters } from '../load-balancer/traffic-metrics.js';

/**
 * What one minute of load balancer traffic and target health becomes in
 * CloudWatch's AWS/ApplicationELB namespace: metric names, dimensions and
 * units as ALB publishes them. Request and status-code counts are reported
 * only when nonzero (ALB's reporting criterion); health counts whenever
 * health checks ran; TargetResponseTime keeps every response's value so
 * percentiles (p99) can be asked for.
 */

export const ELB_NAMESPACE = 'AWS/ApplicationELB';

/** Counts ALB publishes per load balancer. ELB-generated codes exist only at this level. */
export const LOAD_BALANCER_COUNTS = [
  'RequestCount',
  'HTTPCode_Target_2XX_Count',
  'HTTPCode_Target_3XX_Count',
  'HTTPCode_Target_4XX_Count',
  'HTTPCode_Target_5XX_Count',
  'HTTPCode_ELB_4XX_Count',
  'HTTPCode_ELB_5XX_Count',
  'HTTPCode_ELB_502_Count',
  'HTTPCode_ELB_503_Count',
  'HTTPCode_ELB_504_Count',
  'TargetConnectionErrorCount',
] as const satisfies ReadonlyArray<Exclude<keyof TrafficCounters, 'TargetResponseTime'>>;

/** Counts ALB publishes per target group (with its load balancer). */
export const TARGET_GROUP_COUNTS = [
  'RequestCount',
  'HTTPCode_Target_2XX_Count',
  'HTTPCode_Target_3XX_Count',
  'HTTPCode_Target_4XX_Count',
  'HTTPCode_Target_5XX_Count',
  'TargetConnectionErrorCount',
] as const satisfies ReadonlyArray<(typeof LOAD_BALANCER_COUNTS)[number]>;

export type CountMetric = (typeof LOAD_BALANCER_COUNTS)[number];
export type RequestCounts = Record<CountMetric, number>;

/** Target response times of a minute: the exact count and sum, and the samples the data plane kept. */
export interface ResponseTimes {
  count: number;
  sum: number;
  /** Seconds; fewer than `count` when the data plane's sample buffer overflowed. */
  samples: number[];
}

export interface TrafficTally {
  counts: RequestCounts;
  responseTimes: ResponseTimes;
}

/** Health counts read during one minute for a target group behind one load balancer. */
export interface HealthTally {
  loadBalancerArn: string;
  targetGroupArn: string;
  healthy: number[];
  unhealthy: number[];
}

export interface ElbMinute {
  /** The minute's start, virtual epoch ms: every point's timestamp. */
  start: number;
  loadBalancers: ReadonlyMap<string, TrafficTally>;
  targetGroups: ReadonlyMap<string, TrafficTally & { loadBalancerArn: string }>;
  health: readonly HealthTally[];
}

export interface Scope {
  account: string;
  region: string;
}

export interface ScopedPoints {
  scope: Scope;
  points: MetricPoint[];
}

export function emptyCounts(): RequestCounts {
  return Object.fromEntries(LOAD_BALANCER_COUNTS.map((name) => [name, 0])) as RequestCounts;
}

export function emptyTally(): TrafficTally {
  return { counts: emptyCounts(), responseTimes: { count: 0, sum: 0, samples: [] } };
}

/** What happened between two readings of the data plane's ever-growing counters. */
export function countersDelta(now: TrafficCounters, before: TrafficCounters | undefined): { counts: RequestCounts; count: number; sum: number } {
  const counts = emptyCounts();
  for (const name of LOAD_BALANCER_COUNTS) counts[name] = Math.max(0, now[name] - (before?.[name] ?? 0));
  return {
    counts,
    count: Math.max(0, now.TargetResponseTime.count - (before?.TargetResponseTime.count ?? 0)),
    sum: Math.max(0, now.TargetResponseTime.sum - (before?.TargetResponseTime.sum ?? 0)),
  };
}

/** Adds `delta` into `into` (mutates `into`). */
export function addToTally(into: TrafficTally, delta: { counts: RequestCounts; count: number; sum: number }, samples: readonly number[]): void {
  for (const name of LOAD_BALANCER_COUNTS) into.counts[name] += delta.counts[name];
  into.responseTimes.count += delta.count;
  into.responseTimes.sum += delta.sum;
  into.responseTimes.samples.push(...samples);
}

/** The LoadBalancer dimension: the ARN's resource after "loadbalancer/", e.g. app/web/50dc6c495c0c9188. */
export function loadBalancerDimension(arn: string): string | undefined {
  return /:loadbalancer\/(.+)$/.exec(arn)?.[1];
}

/** The TargetGroup dimension: the ARN's resource, e.g. targetgroup/web/943f017f100becff. */
export function targetGroupDimension(arn: string): string | undefined {
  return /:(targetgroup\/.+)$/.exec(arn)?.[1];
}

/** The account and Region an ELBv2 ARN belongs to. */
export function scopeOfArn(arn: string): Scope | undefined {
  const [prefix, , service, region, account] = arn.split(':');
  if (prefix !== 'arn' || service !== 'elasticloadbalancing' || !region || !account) return undefined;
  return { account, region };
}

/** The minute's points, grouped by the account and Region they are published in. */
export function elbMetricPoints(minute: ElbMinute): ScopedPoints[] {
  const byScope = new Map<string, ScopedPoints>();
  const add = (arn: string, points: MetricPoint[]): void => {
    const scope = scopeOfArn(arn);
    if (!scope || points.length === 0) return;
    const key = `${scope.account}/${scope.region}`;
    const entry = byScope.get(key) ?? { scope, points: [] };
    byScope.set(key, entry);
    entry.points.push(...points);
  };

  for (const [arn, tally] of minute.loadBalancers) {
    const lb = loadBalancerDimension(arn);
    if (lb === undefined) continue;
    add(arn, trafficPoints(minute.start, [{ Name: 'LoadBalancer', Value: lb }], tally, LOAD_BALANCER_COUNTS));
  }
  for (const [arn, tally] of minute.targetGroups) {
    const dimensions = groupDimensions(arn, tally.loadBalancerArn);
    if (dimensions === undefined) continue;
    add(tally.loadBalancerArn, trafficPoints(minute.start, dimensions, tally, TARGET_GROUP_COUNTS));
  }
  for (const health of minute.health) {
    const dimensions = groupDimensions(health.targetGroupArn, health.loadBalancerArn);
    if (dimensions === undefined) continue;
    add(health.loadBalancerArn, [
      ...gaugePoint(minute.start, 'HealthyHostCount', dimensions, health.healthy),
      ...gaugePoint(minute.start, 'UnHealthyHostCount', dimensions, health.unhealthy),
    ]);
  }
  return [...byScope.values()];
}

function groupDimensions(targetGroupArn: string, loadBalancerArn: string): Dimension[] | undefined {
  const tg = targetGroupDimension(targetGroupArn);
  const lb = loadBalancerDimension(loadBalancerArn);
  if (tg === undefined || lb === undefined) return undefined;
  return [
    { Name: 'TargetGroup', Value: tg },
    { Name: 'LoadBalancer', Value: lb },
  ];
}

function trafficPoints(timestamp: number, dimensions: Dimension[], tally: TrafficTally, names: readonly CountMetric[]): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const metricName of names) {
    const value = tally.counts[metricName];
    if (value > 0) points.push({ namespace: ELB_NAMESPACE, metricName, dimensions, timestamp, unit: 'Count', value });
  }
  const responseTime = responseTimePoint(timestamp, dimensions, tally.responseTimes);
  if (responseTime) points.push(responseTime);
  return points;
}

/**
 * TargetResponseTime as raw values. When the data plane kept fewer samples
 * than there were responses, the kept ones stand for all of them (each
 * weighted so the SampleCount stays exact); with none kept, only the count
 * and sum are known, and the average stands in for minimum and maximum.
 */
export function responseTimePoint(timestamp: number, dimensions: Dimension[], times: ResponseTimes): MetricPoint | undefined {
  if (times.count === 0) return undefined;
  const base = { namespace: ELB_NAMESPACE, metricName: 'TargetResponseTime', dimensions, timestamp, unit: 'Seconds' } as const;
  if (times.samples.length >= times.count) return { ...base, values: times.samples.slice(0, times.count) };
  if (times.samples.length > 0) {
    const weight = times.count / times.samples.length;
    return { ...base, values: [...times.samples], counts: times.samples.map(() => weight) };
  }
  const average = times.sum / times.count;
  return { ...base, statistics: { SampleCount: times.count, Sum: times.sum, Minimum: average, Maximum: average } };
}

/** A count read several times in the minute, as Minimum/Maximum/Average over the readings. */
function gaugePoint(timestamp: number, metricName: string, dimensions: Dimension[], readings: readonly number[]): MetricPoint[] {
  if (readings.length === 0) return [];
  return [
    {
      namespace: ELB_NAMESPACE,
      metricName,
      dimensions,
      timestamp,
      unit: 'Count',
      statistics: {
        SampleCount: readings.length,
        Sum: readings.reduce((a, b) => a + b, 0),
        Minimum: Math.min(...readings),
        Maximum: Math.max(...readings),
      },
    },
  ];
}
