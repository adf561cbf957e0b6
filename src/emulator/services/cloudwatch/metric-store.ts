import type { StandardUnit } from '@aws-sdk/client-cloudwatch';
import { scopeKey } from '../../request-context.js';
import { aggregateOfStatistics, aggregateOfValues, copyAggregate, mergeInto, type Aggregate } from './aggregate.js';
import type { Scope } from './alarm-store.js';
import { normalizeDimensions, seriesKey, type StoredDimension } from './dimensions.js';
import type { MetricPlane, MetricPoint } from './metric-plane.js';

export interface MetricStoreLimits {
  /** How long data is kept, in virtual ms. Default three hours: what alarms, gates and ListMetrics' RecentlyActive look at. */
  retentionMs: number;
  /**
   * Distinct sample values one metric keeps across all its slots. Past it
   * the oldest slots are dropped first, so a load test that publishes every
   * request's latency cannot grow memory without bound. Default 50,000.
   */
  maxValuesPerMetric: number;
  /** Distinct values one slot keeps exactly before it is compacted to ~1% bins (see ValueDistribution). Default 256. */
  maxDistinctValuesPerSlot: number;
}

export const DEFAULT_METRIC_LIMITS: MetricStoreLimits = {
  retentionMs: 3 * 60 * 60 * 1000,
  maxValuesPerMetric: 50_000,
  maxDistinctValuesPerSlot: 256,
};

const MINUTE_MS = 60_000;
const SECOND_MS = 1_000;

/** One sample to store: a point already validated, as PutMetricData or a publisher gives it. */
export interface Sample {
  namespace: string;
  metricName: string;
  dimensions: readonly StoredDimension[];
  /** Virtual epoch ms. */
  timestamp: number;
  unit: StandardUnit;
  /** StorageResolution 1: kept per second instead of per minute. */
  highResolution: boolean;
  aggregate: Aggregate;
}

/** One metric's data in one storage slot (a minute, or a second for high-resolution data) and one unit. */
interface Slot {
  start: number;
  unit: StandardUnit;
  aggregate: Aggregate;
}

/** A metric: namespace, name and exact dimensions, with its slots. */
export interface StoredMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly StoredDimension[];
  /** Virtual ms of the newest data point. */
  readonly lastTimestamp: number;
}

class Series implements StoredMetric {
  readonly slots = new Map<string, Slot>();
  lastTimestamp = Number.NEGATIVE_INFINITY;
  distinctValues = 0;

  constructor(readonly namespace: string, readonly metricName: string, readonly dimensions: readonly StoredDimension[]) {}
}

/** The query window of one aggregation: periods of `periodMs` from `startMs`, up to (not including) `endMs`. */
export interface Window {
  startMs: number;
  endMs: number;
  periodMs: number;
  /** Only data published with this unit; all units when absent. */
  unit?: StandardUnit | undefined;
}

/**
 * Metric data per account and Region. Samples are folded into per-minute
 * (or, for StorageResolution 1, per-second) slots as CloudWatch stores them;
 * queries fold slots into periods. Nothing here is persisted: see index.ts.
 */
export class MetricStore implements MetricPlane {
  private readonly scopes = new Map<string, Map<string, Series>>();
  readonly limits: MetricStoreLimits;

  constructor(private readonly clock: { now(): number }, limits: Partial<MetricStoreLimits> = {}) {
    this.limits = { ...DEFAULT_METRIC_LIMITS, ...limits };
  }

  put(scope: Scope, points: readonly MetricPoint[]): void {
    const max = this.limits.maxDistinctValuesPerSlot;
    for (const p of points) {
      const aggregate = p.statistics
        ? aggregateOfStatistics(p.statistics, max)
        : p.values
          ? aggregateOfValues(p.values, p.counts, max)
          : p.value !== undefined
            ? aggregateOfValues([p.value], undefined, max)
            : undefined;
      if (!aggregate || aggregate.count <= 0) continue;
      this.add(scope, {
        namespace: p.namespace,
        metricName: p.metricName,
        dimensions: normalizeDimensions(p.dimensions),
        timestamp: p.timestamp,
        unit: p.unit ?? 'None',
        highResolution: false,
        aggregate,
      });
    }
  }

  add(scope: Scope, sample: Sample): void {
    // Samples older than the retention would be pruned at once; all-zero Counts carry no sample.
    if (sample.timestamp < this.clock.now() - this.limits.retentionMs || sample.aggregate.count <= 0) return;
    const metrics = this.metricsOf(scope, true);
    const key = seriesKey(sample.namespace, sample.metricName, sample.dimensions);
    let series = metrics.get(key);
    if (!series) metrics.set(key, (series = new Series(sample.namespace, sample.metricName, sample.dimensions)));
    const resolution = sample.highResolution ? SECOND_MS : MINUTE_MS;
    const start = Math.floor(sample.timestamp / resolution) * resolution;
    const slotKey = `${start}|${sample.unit}`;
    const slot = series.slots.get(slotKey);
    const before = slot?.aggregate.values?.distinct ?? 0;
    if (slot) mergeInto(slot.aggregate, sample.aggregate);
    else series.slots.set(slotKey, { start, unit: sample.unit, aggregate: copyAggregate(sample.aggregate, this.limits.maxDistinctValuesPerSlot) });
    const after = series.slots.get(slotKey)?.aggregate.values?.distinct ?? 0;
    series.distinctValues += after - before;
    series.lastTimestamp = Math.max(series.lastTimestamp, sample.timestamp);
    while (series.distinctValues > this.limits.maxValuesPerMetric && series.slots.size > 1) this.dropOldest(series);
  }

  /** Every metric with data in this account and Region. */
  metrics(scope: Scope): StoredMetric[] {
    const cutoff = this.clock.now() - this.limits.retentionMs;
    return [...(this.metricsOf(scope, false)?.values() ?? [])].filter((s) => s.lastTimestamp >= cutoff);
  }

  find(scope: Scope, namespace: string, metricName: string, dimensions: readonly StoredDimension[]): StoredMetric | undefined {
    return this.metricsOf(scope, false)?.get(seriesKey(namespace, metricName, dimensions));
  }

  /**
   * The metric's data folded into the window's periods, per unit:
   * period start -> unit -> aggregate. Periods with no data are absent.
   */
  periods(metric: StoredMetric, window: Window): Map<number, Map<StandardUnit, Aggregate>> {
    const out = new Map<number, Map<StandardUnit, Aggregate>>();
    if (!(metric instanceof Series) || window.periodMs <= 0) return out;
    const cutoff = this.clock.now() - this.limits.retentionMs;
    for (const slot of metric.slots.values()) {
      if (slot.start < window.startMs || slot.start >= window.endMs || slot.start < cutoff) continue;
      if (window.unit !== undefined && slot.unit !== window.unit) continue;
      const periodStart = window.startMs + Math.floor((slot.start - window.startMs) / window.periodMs) * window.periodMs;
      let units = out.get(periodStart);
      if (!units) out.set(periodStart, (units = new Map()));
      const existing = units.get(slot.unit);
      if (existing) mergeInto(existing, slot.aggregate);
      else units.set(slot.unit, copyAggregate(slot.aggregate, this.limits.maxDistinctValuesPerSlot));
    }
    return out;
  }

  /** Drops data older than the retention, and metrics left with none. */
  prune(): void {
    const cutoff = this.clock.now() - this.limits.retentionMs;
    for (const [key, metrics] of this.scopes) {
      for (const [id, series] of metrics) {
        for (const [slotKey, slot] of series.slots) {
          if (slot.start >= cutoff) continue;
          series.distinctValues -= slot.aggregate.values?.distinct ?? 0;
          series.slots.delete(slotKey);
        }
        if (series.slots.size === 0) metrics.delete(id);
      }
      if (metrics.size === 0) this.scopes.delete(key);
    }
  }

  private dropOldest(series: Series): void {
    let oldest: [string, Slot] | undefined;
    for (const entry of series.slots) if (!oldest || entry[1].start < oldest[1].start) oldest = entry;
    if (!oldest) return;
    series.distinctValues -= oldest[1].aggregate.values?.distinct ?? 0;
    series.slots.delete(oldest[0]);
  }

  private metricsOf(scope: Scope, create: true): Map<string, Series>;
  private metricsOf(scope: Scope, create: false): Map<string, Series> | undefined;
  private metricsOf(scope: Scope, create: boolean): Map<string, Series> | undefined {
    const key = scopeKey(scope);
    let metrics = this.scopes.get(key);
    if (!metrics && create) this.scopes.set(key, (metrics = new Map()));
    return metrics;
  }
}
