import type {
  Datapoint, GetMetricDataOutput, GetMetricStatisticsOutput, ListMetricsOutput, MetricDataResult, StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../request-context.js';
import type { Scope } from './alarm-store.js';
import { errors } from './catalogue.js';
import { matchesDimensionFilters, normalizeDimensions } from './dimensions.js';
import {
  optionalInteger, optionalList, optionalString, requiredRecord, requiredString, requiredTimestamp,
} from './input-values.js';
import { samplesOfPutMetricData } from './metric-data-input.js';
import { MetricMathError } from './metric-math/parser.js';
import {
  isValidPeriod, mergeUnits, roundStart, runQueries, statSeries, validateQueries, validDimensions,
} from './metric-queries.js';
import type { MetricStore } from './metric-store.js';
import { computeStatistic, isBasicStatistic, parseStatistic, type StatisticSpec } from './statistics.js';
import { isStandardUnit } from './units.js';

const DEFAULT_MAX_DATAPOINTS = 100_800;
const MAX_QUERIES = 500;
const MAX_STATISTICS_DATAPOINTS = 1440;
const LIST_PAGE = 500;
const RECENTLY_ACTIVE_MS = 3 * 3_600_000;

const scopeOf = (ctx: RequestContext): Scope => ({ account: ctx.account, region: ctx.region });

/** Offsets travel in an opaque token, as CloudWatch's do. */
const encodeToken = (offset: number): string => Buffer.from(JSON.stringify({ offset })).toString('base64url');
function decodeToken(token: unknown): number {
  if (token === undefined || token === null) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // falls through to the error below
  }
  throw errors.invalidToken();
}

function optionalUnit(value: unknown, member: string, invalid: (m: string) => Error): StandardUnit | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isStandardUnit(value)) throw invalid(`The value ${String(value)} for parameter ${member} is not a valid unit.`);
  return value;
}

/** PutMetricData, GetMetricData, GetMetricStatistics and ListMetrics over the metric store. */
export function metricOperations(store: MetricStore, clock: Clock) {
  return {
    PutMetricData(input: Record<string, unknown>, ctx: RequestContext): Record<string, never> {
      const { samples } = samplesOfPutMetricData(input, clock.now());
      const scope = scopeOf(ctx);
      for (const sample of samples) store.add(scope, sample);
      return {};
    },

    GetMetricData(input: Record<string, unknown>, ctx: RequestContext): GetMetricDataOutput {
      const queries = validateQueries(input.MetricDataQueries, 'MetricDataQueries', errors.validation);
      if (queries.length > MAX_QUERIES) throw errors.validation(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
      const startMs = requiredTimestamp(input.StartTime, 'StartTime');
      const endMs = requiredTimestamp(input.EndTime, 'EndTime');
      if (startMs >= endMs) throw errors.validation('The parameter StartTime must be less than the parameter EndTime.');
      const scanBy = optionalString(input.ScanBy, 'ScanBy') ?? 'TimestampDescending';
      if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
        throw errors.validation(`The value ${scanBy} for parameter ScanBy is invalid: use TimestampDescending or TimestampAscending.`);
      }
      const max = optionalInteger(input.MaxDatapoints, 'MaxDatapoints') ?? DEFAULT_MAX_DATAPOINTS;
      if (max < 1) throw errors.validation('The parameter MaxDatapoints must be at least 1.');
      const offset = decodeToken(input.NextToken);
      const scope = scopeOf(ctx);

      let results;
      try {
        results = runQueries(queries, { startMs, endMs, nowMs: clock.now() }, (q, grid) => statSeries(store, scope, q, grid));
      } catch (err) {
        if (err instanceof MetricMathError) throw errors.validation(err.message);
        throw err;
      }
      const direction = scanBy === 'TimestampAscending' ? 1 : -1;
      const rows = results
        .filter((r) => r.query.returnData)
        .flatMap((r) => r.series.map((s) => ({
          id: r.query.id,
          label: s.label,
          points: [...s.points].sort((a, b) => direction * (a[0] - b[0])),
        })));

      // One page holds MaxDatapoints data points across all results, in result order.
      let skip = offset;
      let room = max;
      let truncated = false;
      const page: MetricDataResult[] = rows.map((row) => {
        const from = Math.min(skip, row.points.length);
        skip -= from;
        const take = Math.min(room, row.points.length - from);
        room -= take;
        const slice = row.points.slice(from, from + take);
        const complete = from + take === row.points.length;
        if (!complete) truncated = true;
        return {
          Id: row.id,
          Label: row.label,
          Timestamps: slice.map(([t]) => new Date(t)),
          Values: slice.map(([, v]) => v),
          StatusCode: complete ? 'Complete' : 'PartialData',
          Messages: [],
        };
      });
      return { MetricDataResults: page, Messages: [], ...(truncated ? { NextToken: encodeToken(offset + max) } : {}) };
    },

    GetMetricStatistics(input: Record<string, unknown>, ctx: RequestContext): GetMetricStatisticsOutput {
      const namespace = requiredString(input.Namespace, 'Namespace');
      const metricName = requiredString(input.MetricName, 'MetricName');
      const dimensions = normalizeDimensions(validDimensions(input.Dimensions, 'Dimensions'));
      const startMs = requiredTimestamp(input.StartTime, 'StartTime');
      const endMs = requiredTimestamp(input.EndTime, 'EndTime');
      const period = optionalInteger(input.Period, 'Period');
      if (period === undefined) throw errors.missing('Period');
      if (!isValidPeriod(period)) throw errors.invalid('The parameter Period must be 1, 5, 10, 20, 30 or a multiple of 60.');
      if (startMs >= endMs) throw errors.invalid('The parameter StartTime must be less than the parameter EndTime.');
      const basic = optionalList(input.Statistics, 'Statistics');
      const extended = optionalList(input.ExtendedStatistics, 'ExtendedStatistics');
      if (basic !== undefined && extended !== undefined && basic.length > 0 && extended.length > 0) {
        throw errors.invalidCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
      }
      if (!basic?.length && !extended?.length) throw errors.missing('Statistics or ExtendedStatistics');
      if ((basic?.length ?? 0) > 5) throw errors.invalid('The collection Statistics must not have a size greater than 5.');
      if ((extended?.length ?? 0) > 10) throw errors.invalid('The collection ExtendedStatistics must not have a size greater than 10.');
      const statistics = (basic ?? []).map((s, i) => {
        const name = requiredString(s, `Statistics.member.${i + 1}`);
        if (!isBasicStatistic(name)) throw errors.invalid(`The value ${name} for parameter Statistics.member.${i + 1} is not a valid statistic.`);
        return { name, spec: parseStatistic(name) as StatisticSpec };
      });
      const extendedStatistics = (extended ?? []).map((s, i) => {
        const name = requiredString(s, `ExtendedStatistics.member.${i + 1}`);
        const spec = isBasicStatistic(name) ? undefined : parseStatistic(name);
        if (!spec) throw errors.invalid(`The value ${name} for parameter ExtendedStatistics.member.${i + 1} is not a valid extended statistic.`);
        return { name, spec };
      });
      const unit = optionalUnit(input.Unit, 'Unit', errors.invalid);
      const requested = Math.ceil((endMs - startMs) / (period * 1000));
      if (requested > MAX_STATISTICS_DATAPOINTS) {
        throw errors.invalidCombination(
          `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS.toLocaleString('en-US')}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
        );
      }

      const metric = store.find(scopeOf(ctx), namespace, metricName, dimensions);
      const datapoints: Datapoint[] = [];
      if (metric) {
        const start = roundStart(startMs, period, clock.now());
        const periods = store.periods(metric, { startMs: start, endMs, periodMs: period * 1000, unit });
        for (const [periodStart, units] of [...periods].sort((a, b) => a[0] - b[0])) {
          // Without a Unit filter CloudWatch answers one data point per unit the data was published with.
          const groups = unit === undefined ? [...units] : [[unit, mergeUnits(units, store.limits.maxDistinctValuesPerSlot)] as const];
          for (const [groupUnit, aggregate] of groups) {
            if (!aggregate) continue;
            const point: Datapoint = { Timestamp: new Date(periodStart), Unit: groupUnit };
            for (const s of statistics) {
              const value = computeStatistic(s.spec, aggregate);
              if (value !== undefined) (point as Record<string, unknown>)[s.name] = value;
            }
            if (extendedStatistics.length > 0) {
              const values: Record<string, number> = {};
              for (const s of extendedStatistics) {
                const value = computeStatistic(s.spec, aggregate);
                if (value !== undefined) values[s.name] = value;
              }
              point.ExtendedStatistics = values;
            }
            datapoints.push(point);
          }
        }
      }
      return { Label: metricName, Datapoints: datapoints };
    },

    ListMetrics(input: Record<string, unknown>, ctx: RequestContext): ListMetricsOutput {
      const namespace = optionalString(input.Namespace, 'Namespace');
      const metricName = optionalString(input.MetricName, 'MetricName');
      const filters = (optionalList(input.Dimensions, 'Dimensions') ?? []).map((raw, i) => {
        const f = requiredRecord(raw, `Dimensions.member.${i + 1}`);
        return { Name: requiredString(f.Name, `Dimensions.member.${i + 1}.Name`), Value: optionalString(f.Value, `Dimensions.member.${i + 1}.Value`) };
      });
      if (filters.length > 10) throw errors.invalid('The collection Dimensions must not have a size greater than 10.');
      const recently = optionalString(input.RecentlyActive, 'RecentlyActive');
      if (recently !== undefined && recently !== 'PT3H') throw errors.invalid(`The value ${recently} for parameter RecentlyActive is invalid: PT3H is the only valid value.`);
      const since = recently === undefined ? Number.NEGATIVE_INFINITY : clock.now() - RECENTLY_ACTIVE_MS;
      const matching = store.metrics(scopeOf(ctx))
        .filter((m) => namespace === undefined || m.namespace === namespace)
        .filter((m) => metricName === undefined || m.metricName === metricName)
        .filter((m) => matchesDimensionFilters(m.dimensions, filters))
        .filter((m) => m.lastTimestamp >= since)
        .map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions.map((d) => ({ ...d })) }))
        .sort((a, b) => JSON.stringify([a.Namespace, a.MetricName, a.Dimensions]).localeCompare(JSON.stringify([b.Namespace, b.MetricName, b.Dimensions])));
      const offset = decodeToken(input.NextToken);
      if (offset > matching.length) throw errors.invalidToken();
      const page = matching.slice(offset, offset + LIST_PAGE);
      const next = offset + LIST_PAGE < matching.length ? encodeToken(offset + LIST_PAGE) : undefined;
      return { Metrics: page, ...(next ? { NextToken: next } : {}) };
    },
  };
}

