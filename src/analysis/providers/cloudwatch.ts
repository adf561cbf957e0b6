import type { MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { MetricsPort } from '../../engine/ports.js';
import { formatDuration } from '../../spec/duration.js';
import type { CloudWatchQueryConfig, MetricProvider } from '../../spec/analysis.js';
import { formatNumber } from '../condition-evaluate.js';
import { describeCause } from '../../spec/errors.js';
import { decided, rethrowAbort, type Reading } from './reading.js';

type CloudWatchProvider = Extract<MetricProvider, { kind: 'cloudwatch' }>;

/**
 * One GetMetricData over [at - window, at], starting no earlier than the
 * first whole period after `since` (when the analysis began): a period that
 * began before it mixes in another step's or another canary's traffic, which
 * is no evidence about this one. The result is the newest value of the query
 * that returns data.
 * No datapoints is Inconclusive ("no data"), never Failed: a canary that
 * got no traffic has not proven anything bad.
 */
export async function measureCloudWatch(
  provider: CloudWatchProvider, metrics: MetricsPort, at: number, signal: AbortSignal | undefined, since = Number.NEGATIVE_INFINITY,
): Promise<Reading> {
  const queries = provider.queries.map((q) => toSdkQuery(q, provider.periodSeconds));
  const resultId = provider.queries.find((q) => q.returnData !== false)?.id ?? '';
  const periodMs = Math.max(provider.periodSeconds, ...queries.map((q) => q.MetricStat?.Period ?? q.Period ?? 0)) * 1000;
  const firstWholePeriod = Math.ceil(since / periodMs) * periodMs;
  const startTime = new Date(Math.max(at - provider.windowMs, Math.min(firstWholePeriod, at)));
  const endTime = new Date(at);
  const window = `${formatDuration(at - startTime.getTime())} before ${endTime.toISOString()}`;
  let results: MetricDataResult[];
  let messages: string[];
  try {
    const out = await metrics.getMetricData({ queries, startTime, endTime }, signal);
    results = out.results;
    messages = out.messages.map((m) => `${m.Code ?? 'message'}: ${m.Value ?? ''}`);
  } catch (err) {
    rethrowAbort(signal);
    return decided('Error', `GetMetricData failed: ${describeCause(err)}`);
  }
  const result = results.find((r) => r.Id === resultId);
  const notes = [...messages, ...(result?.Messages ?? []).map((m) => `${m.Code ?? 'message'}: ${m.Value ?? ''}`)];
  if (!result) return decided('Error', `GetMetricData returned no result for query ${resultId}${notes.length ? ` (${notes.join('; ')})` : ''}`, notes);
  if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
    return decided('Error', `GetMetricData answered ${result.StatusCode} for query ${resultId}${notes.length ? `: ${notes.join('; ')}` : ''}`, notes);
  }
  const newest = newestPoint(result);
  if (!newest) return decided('Inconclusive', `no data for query ${resultId} in the ${window}${notes.length ? ` (${notes.join('; ')})` : ''}`, notes);
  const count = result.Values?.length ?? 0;
  const partial = result.StatusCode === 'PartialData' ? ', partial data' : '';
  return { kind: 'value', value: newest.value, detail: `${resultId} = ${formatNumber(newest.value)} at ${newest.at.toISOString()}, newest of ${count} datapoint${count === 1 ? '' : 's'} in the ${window}${partial}`, lines: notes };
}

/** The query as GetMetricData takes it: the file's camelCase fields in the SDK's PascalCase. */
export function toSdkQuery(q: CloudWatchQueryConfig, defaultPeriodSeconds: number): MetricDataQuery {
  const stat = q.metricStat;
  return {
    Id: q.id,
    ...(q.expression !== undefined ? { Expression: q.expression } : {}),
    ...(stat
      ? {
          MetricStat: {
            Metric: {
              Namespace: stat.metric.namespace,
              MetricName: stat.metric.metricName,
              ...(stat.metric.dimensions ? { Dimensions: stat.metric.dimensions.map((d) => ({ Name: d.name, Value: d.value })) } : {}),
            },
            Period: stat.period ?? defaultPeriodSeconds,
            Stat: stat.stat,
            ...(stat.unit !== undefined ? { Unit: stat.unit } : {}),
          },
        }
      : {}),
    ...(q.label !== undefined ? { Label: q.label } : {}),
    ...(q.returnData !== undefined ? { ReturnData: q.returnData } : {}),
    ...(q.period !== undefined ? { Period: q.period } : {}),
    ...(q.accountId !== undefined ? { AccountId: q.accountId } : {}),
  };
}

/** The datapoint with the latest timestamp, whatever order the pages came in. */
export function newestPoint(result: MetricDataResult): { value: number; at: Date } | undefined {
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  let best: { value: number; at: Date } | undefined;
  for (let i = 0; i < Math.min(timestamps.length, values.length); i += 1) {
    const at = timestamps[i];
    const value = values[i];
    if (at === undefined || value === undefined) continue;
    if (!best || at.getTime() > best.at.getTime()) best = { value, at };
  }
  return best;
}
