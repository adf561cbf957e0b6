import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AwsError } from '../../errors.js';
import { evaluationRangeLength, type ThresholdComparison, type TreatMissingData } from './alarm-evaluation.js';
import type { Scope } from './alarm-store.js';
import { errors } from './catalogue.js';
import { normalizeDimensions } from './dimensions.js';
import { MetricMathError } from './metric-math/parser.js';
import { runQueries, sampleCounts, statSeries, validateQueries, type MetricQuery, type MetricStatQuery } from './metric-queries.js';
import type { MetricStore } from './metric-store.js';
import { parseStatistic, significantSampleCount } from './statistics.js';

/** What an alarm watches, resolved from its stored configuration; undefined for alarms the emulator cannot evaluate. */
export interface AlarmTarget {
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  mOfN: boolean;
  threshold: number;
  comparison: ThresholdComparison;
  treatMissingData: TreatMissingData;
  statistic: string | undefined;
  single?: MetricStatQuery;
  math?: MetricQuery[];
  /** EvaluateLowSampleCountPercentile "ignore": the significant sample count below which the alarm keeps its state. */
  lowSampleFloor: number;
}

const COMPARISONS = new Set(['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']);
const TREATMENTS = new Set(['missing', 'notBreaching', 'breaching', 'ignore']);

/**
 * The alarm's target, or undefined when it has none the emulator evaluates:
 * anomaly-detection bands (ThresholdMetricId and the band comparisons).
 */
export function alarmTarget(alarm: MetricAlarm): AlarmTarget | undefined {
  const comparison = alarm.ComparisonOperator;
  if (!comparison || !COMPARISONS.has(comparison) || alarm.ThresholdMetricId !== undefined || alarm.Threshold === undefined) return undefined;
  const evaluationPeriods = alarm.EvaluationPeriods ?? 1;
  const base = {
    evaluationPeriods,
    datapointsToAlarm: alarm.DatapointsToAlarm ?? evaluationPeriods,
    mOfN: alarm.DatapointsToAlarm !== undefined,
    threshold: alarm.Threshold,
    comparison: comparison as ThresholdComparison,
    // CloudWatch always ignores missing data for DynamoDB metrics, whatever the alarm says.
    treatMissingData: (alarm.Namespace?.startsWith('AWS/DynamoDB') ? 'ignore' : TREATMENTS.has(alarm.TreatMissingData ?? '') ? alarm.TreatMissingData : 'missing') as TreatMissingData,
  };
  if (alarm.Metrics && alarm.Metrics.length > 0) {
    let queries: MetricQuery[];
    try {
      queries = validateQueries(alarm.Metrics, 'Metrics', errors.invalid);
    } catch {
      return undefined;
    }
    const periodSeconds = Math.max(0, ...queries.map((q) => q.metricStat?.periodSeconds ?? q.periodSeconds ?? 0));
    if (periodSeconds <= 0) return undefined;
    return { ...base, periodSeconds, statistic: undefined, math: queries, lowSampleFloor: 0 };
  }
  const stat = alarm.Statistic ?? alarm.ExtendedStatistic;
  const spec = stat === undefined ? undefined : parseStatistic(stat);
  if (!spec || !alarm.Period || !alarm.Namespace || !alarm.MetricName) return undefined;
  return {
    ...base,
    periodSeconds: alarm.Period,
    statistic: stat,
    single: {
      namespace: alarm.Namespace,
      metricName: alarm.MetricName,
      dimensions: normalizeDimensions(alarm.Dimensions),
      stat: stat ?? '',
      spec,
      periodSeconds: alarm.Period,
      unit: alarm.Unit,
    },
    lowSampleFloor: alarm.EvaluateLowSampleCountPercentile === 'ignore' ? significantSampleCount(spec) : 0,
  };
}

export interface AlarmRange {
  /** Oldest period first. */
  points: Array<{ timestamp: number; value: number | undefined; sampleCount?: number | undefined }>;
  /** Some period with data had fewer samples than a percentile alarm with EvaluateLowSampleCountPercentile "ignore" needs. */
  lowSamples: boolean;
}

/**
 * The alarm's evaluation range ending at `endMs` (a period boundary): one
 * entry per period, the statistic or expression value where there is data.
 */
export function readAlarmRange(store: MetricStore, scope: Scope, target: AlarmTarget, endMs: number, nowMs: number): AlarmRange {
  const periodMs = target.periodSeconds * 1000;
  const length = evaluationRangeLength(target.evaluationPeriods);
  const grid = { startMs: endMs - length * periodMs, endMs, periodMs };
  let values = new Map<number, number>();
  let counts = new Map<number, number>();
  if (target.single) {
    values = statSeries(store, scope, target.single, grid);
    counts = sampleCounts(store, scope, target.single, grid);
  } else if (target.math) {
    try {
      const results = runQueries(target.math, { startMs: grid.startMs, endMs, nowMs }, (q, g) => statSeries(store, scope, q, g));
      const watched = results.find((r) => r.query.returnData) ?? results[results.length - 1];
      values = watched?.series[0]?.points ?? new Map();
    } catch (err) {
      // An expression that fails on this data (say, an array where a series is needed) leaves the periods empty.
      if (!(err instanceof MetricMathError)) throw err;
    }
  }
  const points = Array.from({ length }, (_, i) => {
    const timestamp = grid.startMs + i * periodMs;
    return { timestamp, value: values.get(timestamp), sampleCount: counts.get(timestamp) };
  });
  const lowSamples = target.lowSampleFloor > 0 && points.some((p) => p.value !== undefined && (p.sampleCount ?? 0) < target.lowSampleFloor);
  return { points, lowSamples };
}

/** Checks an alarm's Metrics as PutMetricAlarm does: the queries, and exactly one returning data. */
export function validateAlarmMetrics(value: unknown, invalid: (message: string) => AwsError): MetricQuery[] {
  const queries = validateQueries(value, 'Metrics', invalid);
  if (queries.length > 20) throw invalid('The collection Metrics must not have a size greater than 20.');
  if (queries.filter((q) => q.returnData).length !== 1) throw invalid('Exactly one element of the metrics list should return data.');
  const periods = new Set(queries.flatMap((q) => (q.metricStat ? [q.metricStat.periodSeconds] : [])));
  if (periods.size > 1) throw invalid('All metrics in an alarm must use the same period.');
  return queries;
}
