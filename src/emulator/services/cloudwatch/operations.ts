import type {
  DeleteAlarmsInput, DescribeAlarmsInput, DescribeAlarmsOutput, MetricAlarm, PutMetricAlarmInput, SetAlarmStateInput, StateValue,
} from '@aws-sdk/client-cloudwatch';
import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../request-context.js';
import { alarmArn } from './alarm-arns.js';
import type { AlarmStore } from './alarm-store.js';
import { errors, stateReasons } from './catalogue.js';

const STATES: readonly StateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const COMPARISONS = [
  'GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold',
];
const MAX_RECORDS = 100;
const DEFAULT_RECORDS = 50;

/** The alarm operations: alarms are stored and described; only SetAlarmState changes their state (no metric evaluation). */
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
  };
}

function alarmName(value: unknown, member: string): string {
  if (value === undefined || value === null) throw errors.missing(member);
  if (typeof value !== 'string' || value.length < 1 || value.length > 255) throw errors.invalid(`${member} must be 1 to 255 characters.`);
  return value;
}
