import type { Dimension, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { Scope } from './alarm-store.js';

/**
 * One data point another emulated service publishes into CloudWatch, as
 * PutMetricData would store it. `values` keeps every sample (with `counts`
 * when samples repeat) so percentiles such as p99 can be computed later;
 * `statistics` is for points already aggregated by the publisher.
 */
export interface MetricPoint {
  namespace: string;
  metricName: string;
  dimensions: readonly Dimension[];
  /** Virtual epoch milliseconds (the emulator clock's now()). */
  timestamp: number;
  unit?: StandardUnit;
  value?: number;
  values?: readonly number[];
  counts?: readonly number[];
  statistics?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
}

/** What other emulated services (the load balancer, ECS) need to publish metrics. */
export interface MetricPlane {
  put(scope: Scope, points: readonly MetricPoint[]): void;
}
