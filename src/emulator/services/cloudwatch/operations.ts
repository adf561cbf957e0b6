import type {
  DeleteAlarmsInput, DescribeAlarmsForMetricOutput, DescribeAlarmsInput, DescribeAlarmsOutput, MetricAlarm, PutMetricAlarmInput,
  SetAlarmStateInput, StateValue,
} from '@aws-sdk/client-cloudwatch';
import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../request-context.js';
import { alarmArn } from './alarm-arns.js';
import { validateAlarmMetrics } from './alarm-datapoints.js';
import type { AlarmStore } from './alarm-store.js';
import { errors, stateReasons } from './catalogue.js';
import { normalizeDimensions, sameDimensions } from './dimensions.js';
import { optionalInteger, optionalString, requiredString } from './input-values.js';
import { validDimensions } from './metric-queries.js';
import { isBasicStatistic, parseStatistic } from './statistics.js';
import { isStandardUnit } from './units.js';

const STATES: readonly StateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const COMPARISONS = [
  'GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold',
];
const STATIC_COMPARISONS = COMPARISONS.slice(0, 4);
const TREATMENTS = ['missing', 'notBreaching', 'breaching', 'ignore'];
const MAX_RECORDS = 100;
const DEFAULT_RECORDS = 50;
const ONE_DAY_SECONDS = 86_400;
const SEVEN_DAYS_SECONDS = 7 * ONE_DAY_SECONDS;

/**
 * The alarm operations. Alarm states change by SetAlarmState and by the
 * AlarmScheduler's evaluations (alarm-scheduler.ts); the next evaluation
 * overrides a state set by hand, as in CloudWatch.
 */
export function cloudWatchOperations(store: AlarmStore, clock: Clock) {
  const scopeOf = (ctx: RequestContext) => ({ account: ctx.account, region: ctx.region });
  return {
    PutMetricAlarm(input: PutMetricAlarmInput, ctx: RequestContext): Record<string, never> {
      const name = alarmName(input.AlarmName, 'AlarmName');
      if (input.ComparisonOperator === undefined) throw errors.missing('ComparisonOperator');
      if (!COMPARISONS.includes(input.ComparisonOperator)) throw errors.invalid(`Invalid value for ComparisonOperator: ${String(input.ComparisonOperator)}`);
      if (input.EvaluationPeriods === undefined) throw errors.missing('EvaluationPeriods');
      if (!Number.isInteger(input.EvaluationPeriods) || input.EvaluationPeriods < 1) throw errors.invalid('EvaluationPeriods must be at least 1.');
      if (input.Metrics === undefined && (input.MetricName === undefined || input.Namespace === undefined)) {
        throw errors.invalid('Either MetricName and Namespace, or Metrics, must be specified.');
      }
      if (input.Metrics !== undefined && input.MetricName !== undefined) {
        throw errors.invalid('Metrics and MetricName cannot both be specified.');
      }
      checkAlarmTarget(input);
      const scope = scopeOf(ctx);
      const alarms = store.alarms(scope);
      const now = new Date(clock.now());
      const previous = alarms.get(name);
      // Updating an alarm replaces its configuration and keeps its state.
      const state = previous ?? {
        StateValue: 'INSUFFICIENT_DATA' as const,
        StateReason: stateReasons.created,
        StateUpdatedTimestamp: now,
        StateTransitionedTimestamp: now,
      };
      const alarm: MetricAlarm = {
        AlarmName: name,
        AlarmArn: alarmArn(scope, name),
        AlarmDescription: input.AlarmDescription,
        AlarmConfigurationUpdatedTimestamp: now,
        ActionsEnabled: input.ActionsEnabled ?? true,
        OKActions: input.OKActions ?? [],
        AlarmActions: input.AlarmActions ?? [],
        InsufficientDataActions: input.InsufficientDataActions ?? [],
        StateValue: state.StateValue,
        StateReason: state.StateReason,
        StateReasonData: state.StateReasonData,
        StateUpdatedTimestamp: state.StateUpdatedTimestamp,
        StateTransitionedTimestamp: state.StateTransitionedTimestamp,
        MetricName: input.MetricName,
        Namespace: input.Namespace,
        Statistic: input.Statistic,
        ExtendedStatistic: input.ExtendedStatistic,
        Dimensions: input.Dimensions ?? [],
        Period: input.Period,
        Unit: input.Unit,
        EvaluationPeriods: input.EvaluationPeriods,
        DatapointsToAlarm: input.DatapointsToAlarm,
        Threshold: input.Threshold,
        ComparisonOperator: input.ComparisonOperator,
        TreatMissingData: input.TreatMissingData,
        EvaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile,
        Metrics: input.Metrics,
        ThresholdMetricId: input.ThresholdMetricId,
      };
      alarms.set(name, alarm);
      return {};
    },

    DescribeAlarms(input: DescribeAlarmsInput, ctx: RequestContext): DescribeAlarmsOutput {
      if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined) {
        throw errors.invalid('AlarmNames and AlarmNamePrefix cannot be specified together.');
      }
      if (input.StateValue !== undefined && !STATES.includes(input.StateValue)) throw errors.invalid(`Invalid value for StateValue: ${String(input.StateValue)}`);
      const max = input.MaxRecords ?? DEFAULT_RECORDS;
      if (!Number.isInteger(max) || max < 1 || max > MAX_RECORDS) throw errors.invalid(`MaxRecords must be between 1 and ${MAX_RECORDS}.`);
      const wantsMetric = input.AlarmTypes === undefined || input.AlarmTypes.includes('MetricAlarm');
      const names = input.AlarmNames ? new Set(input.AlarmNames) : undefined;
      const matching = wantsMetric
        ? [...store.alarms(scopeOf(ctx)).values()]
          .filter((a) => !names || names.has(a.AlarmName ?? ''))
          .filter((a) => input.AlarmNamePrefix === undefined || (a.AlarmName ?? '').startsWith(input.AlarmNamePrefix))
          .filter((a) => input.StateValue === undefined || a.StateValue === input.StateValue)
          .sort((a, b) => (a.AlarmName ?? '').localeCompare(b.AlarmName ?? ''))
        : [];
      const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
      if (!Number.isInteger(start) || start < 0 || start > matching.length) throw errors.invalidToken();
      const page = matching.slice(start, start + max);
      const next = start + max < matching.length ? String(start + max) : undefined;
      return { MetricAlarms: page, CompositeAlarms: [], ...(next ? { NextToken: next } : {}) };
    },

    SetAlarmState(input: SetAlarmStateInput, ctx: RequestContext): Record<string, never> {
      const name = alarmName(input.AlarmName, 'AlarmName');
      if (input.StateValue === undefined) throw errors.missing('StateValue');
      if (!STATES.includes(input.StateValue)) throw errors.invalid(`Invalid value for StateValue: ${String(input.StateValue)}`);
      if (typeof input.StateReason !== 'string') throw errors.missing('StateReason');
      if (input.StateReason.length > 1023) throw errors.invalid('StateReason must be at most 1023 characters.');
      if (input.StateReasonData !== undefined) {
        try {
          JSON.parse(input.StateReasonData);
        } catch {
          throw errors.invalidFormat('StateReasonData must be valid JSON.');
        }
      }
      const alarm = store.alarms(scopeOf(ctx)).get(name);
      if (!alarm) throw errors.alarmNotFound(name);
      const now = new Date(clock.now());
      if (alarm.StateValue !== input.StateValue) alarm.StateTransitionedTimestamp = now;
      alarm.StateValue = input.StateValue;
      alarm.StateReason = input.StateReason;
      alarm.StateReasonData = input.StateReasonData;
      alarm.StateUpdatedTimestamp = now;
      return {};
    },

    DeleteAlarms(input: DeleteAlarmsInput, ctx: RequestContext): Record<string, never> {
      if (!Array.isArray(input.AlarmNames)) throw errors.missing('AlarmNames');
      if (input.AlarmNames.length > MAX_RECORDS) throw errors.invalid(`AlarmNames can hold at most ${MAX_RECORDS} names.`);
      const alarms = store.alarms(scopeOf(ctx));
      // One missing name deletes nothing, as CloudWatch does.
      const missing = input.AlarmNames.filter((n) => !alarms.has(n));
      if (missing.length > 0) throw errors.alarmsNotFound(missing);
      for (const n of input.AlarmNames) alarms.delete(n);
      return {};
    },

    DescribeAlarmsForMetric(input: Record<string, unknown>, ctx: RequestContext): DescribeAlarmsForMetricOutput {
      const statistic = optionalString(input.Statistic, 'Statistic');
      if (statistic !== undefined && !isBasicStatistic(statistic)) throw errors.invalid(`Invalid value for Statistic: ${statistic}`);
      const unit = optionalString(input.Unit, 'Unit');
      if (unit !== undefined && !isStandardUnit(unit)) throw errors.invalid(`Invalid value for Unit: ${unit}`);
      const wanted: WatchedMetric = {
        namespace: requiredString(input.Namespace, 'Namespace'),
        metricName: requiredString(input.MetricName, 'MetricName'),
        // A metric is its exact dimension set: leaving Dimensions out asks for the metric without any.
        dimensions: validDimensions(input.Dimensions, 'Dimensions'),
        stat: statistic ?? optionalString(input.ExtendedStatistic, 'ExtendedStatistic'),
        period: optionalInteger(input.Period, 'Period'),
        unit,
      };
      const alarms = [...store.alarms(scopeOf(ctx)).values()].filter((alarm) => watchedMetrics(alarm).some((m) => watches(m, wanted)));
      return { MetricAlarms: alarms.sort((a, b) => (a.AlarmName ?? '').localeCompare(b.AlarmName ?? '')) };
    },
  };
}

/** One metric an alarm reads, with the statistic, period and unit it reads it with. */
interface WatchedMetric {
  namespace: string | undefined;
  metricName: string | undefined;
  dimensions: MetricAlarm['Dimensions'];
  stat: string | undefined;
  period: number | undefined;
  unit: string | undefined;
}

function watchedMetrics(alarm: MetricAlarm): WatchedMetric[] {
  if (alarm.MetricName !== undefined) {
    return [{
      namespace: alarm.Namespace, metricName: alarm.MetricName, dimensions: alarm.Dimensions,
      stat: alarm.Statistic ?? alarm.ExtendedStatistic, period: alarm.Period, unit: alarm.Unit,
    }];
  }
  return (alarm.Metrics ?? []).flatMap((q) => (q.MetricStat ? [{
    namespace: q.MetricStat.Metric?.Namespace, metricName: q.MetricStat.Metric?.MetricName, dimensions: q.MetricStat.Metric?.Dimensions,
    stat: q.MetricStat.Stat, period: q.MetricStat.Period, unit: q.MetricStat.Unit,
  }] : []));
}

/** DescribeAlarmsForMetric's match: same metric and dimensions; statistic, period and unit only when asked for. */
function watches(m: WatchedMetric, wanted: WatchedMetric): boolean {
  return m.namespace === wanted.namespace && m.metricName === wanted.metricName
    && sameDimensions(normalizeDimensions(m.dimensions), normalizeDimensions(wanted.dimensions))
    && (wanted.stat === undefined || m.stat === wanted.stat)
    && (wanted.period === undefined || m.period === wanted.period)
    && (wanted.unit === undefined || m.unit === wanted.unit);
}

/**
 * What PutMetricAlarm checks beyond names: a metric alarm needs a statistic
 * and a period CloudWatch can evaluate; a math alarm, queries with one
 * result; a static threshold, a Threshold.
 */
function checkAlarmTarget(input: PutMetricAlarmInput): void {
  const evaluationPeriods = input.EvaluationPeriods ?? 1;
  if (input.DatapointsToAlarm !== undefined) {
    const m = input.DatapointsToAlarm;
    if (!Number.isInteger(m) || m < 1 || m > evaluationPeriods) throw errors.invalid('DatapointsToAlarm must be between 1 and EvaluationPeriods.');
  }
  if (input.TreatMissingData !== undefined && !TREATMENTS.includes(input.TreatMissingData)) {
    throw errors.invalid(`Invalid value for TreatMissingData: ${String(input.TreatMissingData)}. Valid values are: ${TREATMENTS.join(', ')}.`);
  }
  if (input.EvaluateLowSampleCountPercentile !== undefined && !['evaluate', 'ignore'].includes(input.EvaluateLowSampleCountPercentile)) {
    throw errors.invalid(`Invalid value for EvaluateLowSampleCountPercentile: ${String(input.EvaluateLowSampleCountPercentile)}. Valid values are: evaluate, ignore.`);
  }
  if (input.Unit !== undefined && !isStandardUnit(input.Unit)) throw errors.invalid(`Invalid value for Unit: ${String(input.Unit)}`);
  if (input.ThresholdMetricId === undefined) {
    if (!STATIC_COMPARISONS.includes(input.ComparisonOperator ?? '')) {
      throw errors.invalid(`Comparison operator ${String(input.ComparisonOperator)} requires ThresholdMetricId (an anomaly detection band).`);
    }
    if (input.Threshold === undefined) throw errors.missing('Threshold');
  }
  let periodSeconds: number;
  if (input.Metrics !== undefined) {
    const queries = validateAlarmMetrics(input.Metrics, errors.invalid);
    if (input.Statistic !== undefined || input.ExtendedStatistic !== undefined || input.Period !== undefined || input.Namespace !== undefined) {
      throw errors.invalidCombination('Metrics cannot be specified together with Namespace, Statistic, ExtendedStatistic or Period.');
    }
    periodSeconds = Math.max(0, ...queries.map((q) => q.metricStat?.periodSeconds ?? q.periodSeconds ?? 0));
  } else {
    if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined) {
      throw errors.invalidCombination('Statistic and ExtendedStatistic cannot both be specified.');
    }
    if (input.Statistic === undefined && input.ExtendedStatistic === undefined) throw errors.missing('Statistic or ExtendedStatistic');
    if (input.Statistic !== undefined && !isBasicStatistic(input.Statistic)) throw errors.invalid(`Invalid value for Statistic: ${String(input.Statistic)}`);
    if (input.ExtendedStatistic !== undefined && (isBasicStatistic(input.ExtendedStatistic) || !parseStatistic(input.ExtendedStatistic))) {
      throw errors.invalid(`Invalid value for ExtendedStatistic: ${input.ExtendedStatistic}`);
    }
    if (input.Period === undefined) throw errors.missing('Period');
    periodSeconds = input.Period;
    if (!Number.isInteger(periodSeconds) || !(periodSeconds === 10 || periodSeconds === 30 || (periodSeconds >= 60 && periodSeconds % 60 === 0))) {
      throw errors.invalid('Period must be 10, 30 or a multiple of 60.');
    }
    validDimensions(input.Dimensions, 'Dimensions');
  }
  // CloudWatch caps the window an alarm looks at: a day, or seven days for periods of an hour or more.
  const limit = periodSeconds >= 3600 ? SEVEN_DAYS_SECONDS : ONE_DAY_SECONDS;
  if (periodSeconds * evaluationPeriods > limit) throw errors.invalid(`The product of EvaluationPeriods and Period must not exceed ${limit}.`);
}

function alarmName(value: unknown, member: string): string {
  if (value === undefined || value === null) throw errors.missing(member);
  if (typeof value !== 'string' || value.length < 1 || value.length > 255) throw errors.invalid(`${member} must be 1 to 255 characters.`);
  return value;
}
