import type { StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { AwsError } from '../../errors.js';
import { copyAggregate, mergeInto, type Aggregate } from './aggregate.js';
import type { Scope } from './alarm-store.js';
import { errors } from './catalogue.js';
import { normalizeDimensions, type StoredDimension } from './dimensions.js';
import { optionalBoolean, optionalInteger, optionalList, optionalRecord, optionalString, requiredRecord, requiredString } from './input-values.js';
import { asSeriesList, evaluateExpression, type Grid, type MathValue, type TimeSeries } from './metric-math/evaluate.js';
import { callsFunction, MetricMathError, parseExpression, referencedIds, type MathNode } from './metric-math/parser.js';
import type { MetricStore } from './metric-store.js';
import { computeStatistic, parseStatistic, type StatisticSpec } from './statistics.js';
import { isStandardUnit } from './units.js';

/** One metric and statistic to read: GetMetricData's MetricStat, or a single-metric alarm. */
export interface MetricStatQuery {
  namespace: string;
  metricName: string;
  dimensions: StoredDimension[];
  stat: string;
  spec: StatisticSpec;
  periodSeconds: number;
  unit?: StandardUnit | undefined;
}

/** A validated MetricDataQuery. */
export interface MetricQuery {
  id: string;
  /** 1-based position, for CloudWatch's `MetricDataQueries.member.N` in messages. */
  position: number;
  label: string | undefined;
  returnData: boolean;
  periodSeconds: number | undefined;
  metricStat?: MetricStatQuery;
  expression?: { text: string; node: MathNode };
}

/** One query's answer: its series (several for an expression that returns an array), or why it failed. */
export interface QueryResult {
  query: MetricQuery;
  series: TimeSeries[];
}

const ID = /^[a-z][a-zA-Z0-9_]*$/;
const HIGH_RESOLUTION_PERIODS = new Set([1, 5, 10, 20, 30]);

export function isValidPeriod(seconds: number): boolean {
  return Number.isInteger(seconds) && (HIGH_RESOLUTION_PERIODS.has(seconds) || (seconds >= 60 && seconds % 60 === 0));
}

/**
 * Validates MetricDataQueries. `invalid` makes the error for a bad value:
 * GetMetricData answers ValidationError, PutMetricAlarm InvalidParameterValue.
 */
export function validateQueries(value: unknown, member: string, invalid: (message: string) => AwsError): MetricQuery[] {
  const list = optionalList(value, member);
  if (list === undefined || list.length === 0) throw errors.missing(member);
  const queries = list.map((raw, i) => validateQuery(raw, `${member}.member.${i + 1}`, i + 1, invalid));
  const seen = new Set<string>();
  for (const q of queries) {
    if (seen.has(q.id)) throw invalid(`The values for parameter id in ${member} are not unique.`);
    seen.add(q.id);
  }
  const ids = new Set(queries.map((q) => q.id));
  for (const q of queries) {
    if (!q.expression) continue;
    for (const ref of referencedIds(q.expression.node)) {
      if (!ids.has(ref)) throw invalid(`Error in expression '${q.id}': Unrecognized identifier ${ref}; no query in ${member} has that id.`);
    }
  }
  findCycle(queries, invalid);
  return queries;
}

function validateQuery(raw: unknown, path: string, position: number, invalid: (message: string) => AwsError): MetricQuery {
  const q = requiredRecord(raw, path);
  const id = requiredString(q.Id, `${path}.Id`);
  if (!ID.test(id) || id.length > 255) {
    throw invalid(`The value ${id} for parameter ${path}.Id is invalid: it must start with a lower case letter and hold only letters, digits and underscores.`);
  }
  const label = optionalString(q.Label, `${path}.Label`);
  const returnData = optionalBoolean(q.ReturnData, `${path}.ReturnData`) ?? true;
  const period = optionalInteger(q.Period, `${path}.Period`);
  if (period !== undefined && !isValidPeriod(period)) throw invalid(`The parameter ${path}.Period must be 1, 5, 10, 20, 30 or a multiple of 60.`);
  const stat = optionalRecord(q.MetricStat, `${path}.MetricStat`);
  const expression = optionalString(q.Expression, `${path}.Expression`);
  if ((stat === undefined) === (expression === undefined)) {
    throw invalid(`Exactly one of ${path}.MetricStat and ${path}.Expression must be specified.`);
  }
  const base = { id, position, label, returnData, periodSeconds: period };
  if (stat) return { ...base, metricStat: validateMetricStat(stat, `${path}.MetricStat`, invalid) };
  const text = expression ?? '';
  try {
    return { ...base, expression: { text, node: parseExpression(text) } };
  } catch (err) {
    if (err instanceof MetricMathError) throw invalid(`Error in expression '${id}': ${err.message}`);
    throw err;
  }
}

function validateMetricStat(stat: Record<string, unknown>, path: string, invalid: (message: string) => AwsError): MetricStatQuery {
  const metric = requiredRecord(stat.Metric, `${path}.Metric`);
  const namespace = requiredString(metric.Namespace, `${path}.Metric.Namespace`);
  const metricName = requiredString(metric.MetricName, `${path}.Metric.MetricName`);
  const dimensions = normalizeDimensions(validDimensions(metric.Dimensions, `${path}.Metric.Dimensions`));
  const period = optionalInteger(stat.Period, `${path}.Period`);
  if (period === undefined) throw errors.missing(`${path}.Period`);
  if (!isValidPeriod(period)) throw invalid(`The parameter ${path}.Period must be 1, 5, 10, 20, 30 or a multiple of 60.`);
  const statName = requiredString(stat.Stat, `${path}.Stat`);
  const spec = parseStatistic(statName);
  if (!spec) throw invalid(`The value ${statName} for parameter ${path}.Stat is not a valid statistic.`);
  const unit = stat.Unit;
  if (unit !== undefined && unit !== null && !isStandardUnit(unit)) throw invalid(`The value ${String(unit)} for parameter ${path}.Unit is not a valid unit.`);
  return { namespace, metricName, dimensions, stat: statName, spec, periodSeconds: period, unit: unit ?? undefined };
}

/** Dimension lists as CloudWatch checks them: at most 30, each with a name and a value. */
export function validDimensions(value: unknown, member: string): Array<{ Name: string; Value: string }> {
  const list = optionalList(value, member) ?? [];
  if (list.length > 30) throw errors.invalid(`The collection ${member} must not have a size greater than 30.`);
  return list.map((raw, i) => {
    const d = requiredRecord(raw, `${member}.member.${i + 1}`);
    const name = requiredString(d.Name, `${member}.member.${i + 1}.Name`);
    const dimensionValue = requiredString(d.Value, `${member}.member.${i + 1}.Value`);
    if (name.length < 1 || name.length > 255 || name.startsWith(':') || name.trim() === '') {
      throw errors.invalid(`The value ${name} for parameter ${member}.member.${i + 1}.Name is invalid.`);
    }
    if (dimensionValue.length < 1 || dimensionValue.length > 1024 || dimensionValue.trim() === '') {
      throw errors.invalid(`The value ${dimensionValue} for parameter ${member}.member.${i + 1}.Value is invalid.`);
    }
    return { Name: name, Value: dimensionValue };
  });
}

function findCycle(queries: MetricQuery[], invalid: (message: string) => AwsError): void {
  const byId = new Map(queries.map((q) => [q.id, q]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (q: MetricQuery): void => {
    if (state.get(q.id) === 'done') return;
    if (state.get(q.id) === 'visiting') throw invalid(`Error in expression '${q.id}': circular reference between queries.`);
    state.set(q.id, 'visiting');
    for (const ref of q.expression ? referencedIds(q.expression.node) : []) {
      const next = byId.get(ref);
      if (next) visit(next);
    }
    state.set(q.id, 'done');
  };
  queries.forEach(visit);
}

/** The period an expression runs at when it names none: the longest of the metrics it could read. */
export function defaultPeriodSeconds(queries: readonly MetricQuery[]): number {
  return Math.max(60, ...queries.map((q) => q.metricStat?.periodSeconds ?? q.periodSeconds ?? 0));
}

/**
 * CloudWatch rounds a query's start down: to the period for 1-30 second
 * periods, else to the minute (5 minutes past 15 days, an hour past 63).
 */
export function roundStart(startMs: number, periodSeconds: number, nowMs: number): number {
  const age = nowMs - startMs;
  const day = 86_400_000;
  const unit = age > 63 * day ? 3_600_000 : age > 15 * day ? 300_000 : periodSeconds < 60 ? periodSeconds * 1000 : 60_000;
  return Math.floor(startMs / unit) * unit;
}

/** The statistic of one metric for each period of the grid that has data. */
export function statSeries(store: MetricStore, scope: Scope, q: MetricStatQuery, grid: Grid): Map<number, number> {
  const out = new Map<number, number>();
  const metric = store.find(scope, q.namespace, q.metricName, q.dimensions);
  if (!metric) return out;
  const periods = store.periods(metric, { ...grid, unit: q.unit });
  for (const [start, units] of periods) {
    const total = mergeUnits(units, store.limits.maxDistinctValuesPerSlot);
    const value = total && computeStatistic(q.spec, total);
    if (value !== undefined && Number.isFinite(value)) out.set(start, value);
  }
  return out;
}

/** Sample counts per period, for percentile alarms that skip periods with too few samples. */
export function sampleCounts(store: MetricStore, scope: Scope, q: MetricStatQuery, grid: Grid): Map<number, number> {
  const counts = new Map<number, number>();
  const metric = store.find(scope, q.namespace, q.metricName, q.dimensions);
  if (!metric) return counts;
  for (const [start, units] of store.periods(metric, { ...grid, unit: q.unit })) {
    counts.set(start, [...units.values()].reduce((n, a) => n + a.count, 0));
  }
  return counts;
}

export function mergeUnits(units: Map<StandardUnit, Aggregate>, maxDistinct: number): Aggregate | undefined {
  let total: Aggregate | undefined;
  for (const a of units.values()) {
    if (!total) total = copyAggregate(a, maxDistinct);
    else mergeInto(total, a);
  }
  return total;
}

/**
 * Runs the queries over [startMs, endMs): metric queries read the store,
 * expressions are evaluated after the queries they read. A failing
 * expression throws MetricMathError naming the query.
 */
export function runQueries(
  queries: readonly MetricQuery[],
  range: { startMs: number; endMs: number; nowMs: number },
  read: (q: MetricStatQuery, grid: Grid) => Map<number, number>,
): QueryResult[] {
  const byId = new Map(queries.map((q) => [q.id, q]));
  const fallbackPeriod = defaultPeriodSeconds(queries);
  const values = new Map<string, MathValue>();
  const gridOf = (q: MetricQuery): Grid => {
    const periodSeconds = q.metricStat?.periodSeconds ?? q.periodSeconds ?? fallbackPeriod;
    return { startMs: roundStart(range.startMs, periodSeconds, range.nowMs), endMs: range.endMs, periodMs: periodSeconds * 1000 };
  };
  const labelOf = (q: MetricQuery): string => q.label ?? q.metricStat?.metricName ?? q.id;

  const valueOf = (q: MetricQuery): MathValue => {
    const known = values.get(q.id);
    if (known) return known;
    let value: MathValue;
    if (q.metricStat) {
      value = { kind: 'series', series: { label: labelOf(q), points: read(q.metricStat, gridOf(q)) } };
    } else {
      const node = q.expression?.node as MathNode;
      try {
        value = evaluateExpression(node, {
          grid: gridOf(q),
          lookup: (id) => {
            const other = byId.get(id);
            return other ? valueOf(other) : undefined;
          },
          allMetrics: () => queries.filter((m) => m.metricStat).map((m) => {
            const v = valueOf(m);
            return v.kind === 'series' ? v.series : { label: labelOf(m), points: new Map() };
          }),
        });
      } catch (err) {
        if (err instanceof MetricMathError && !err.message.startsWith('Error in expression')) {
          throw new MetricMathError(`Error in expression '${q.id}': ${err.message}`);
        }
        throw err;
      }
    }
    values.set(q.id, value);
    return value;
  };

  return queries.map((q) => {
    const value = valueOf(q);
    const list = asSeriesList(value, gridOf(q));
    const single = list.length === 1 && !(q.expression && callsFunction(q.expression.node, 'METRICS'));
    // One series takes the query's label; each series of an array keeps its own.
    return { query: q, series: list.map((s) => ({ label: single || !s.label ? labelOf(q) : s.label, points: s.points })) };
  });
}
