import {
  DescribeAlarmsCommand, GetMetricDataCommand, type CloudWatchClient, type CompositeAlarm, type MessageData, type MetricAlarm, type MetricDataQuery, type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { MetricsPort } from '../engine/ports.js';

/** DescribeAlarms takes at most this many names per call. */
const DESCRIBE_ALARMS_BATCH = 100;
/** A metric query's pages; more than this means a window far wider than analysis needs. */
const MAX_PAGES = 20;

/** Analysis reads from Amazon CloudWatch: metric data and alarm states. */
export class CloudWatchMetrics implements MetricsPort {
  constructor(private readonly cloudWatch: CloudWatchClient) {}

  async getMetricData(request: { queries: MetricDataQuery[]; startTime: Date; endTime: Date }, signal?: AbortSignal): Promise<{ results: MetricDataResult[]; messages: MessageData[] }> {
    const byId = new Map<string, MetricDataResult>();
    const messages: MessageData[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await this.cloudWatch.send(
        new GetMetricDataCommand({ MetricDataQueries: request.queries, StartTime: request.startTime, EndTime: request.endTime, ScanBy: 'TimestampDescending', NextToken: nextToken }),
        { abortSignal: signal },
      );
      messages.push(...(out.Messages ?? []));
      // A later page continues the same queries: their points are appended, their status is the last page's.
      for (const result of out.MetricDataResults ?? []) {
        const id = result.Id ?? '';
        const seen = byId.get(id);
        byId.set(id, seen ? { ...result, Timestamps: [...(seen.Timestamps ?? []), ...(result.Timestamps ?? [])], Values: [...(seen.Values ?? []), ...(result.Values ?? [])], Messages: [...(seen.Messages ?? []), ...(result.Messages ?? [])] } : result);
      }
      nextToken = out.NextToken;
      pages += 1;
    } while (nextToken && pages < MAX_PAGES);
    return { results: [...byId.values()], messages };
  }

  async describeAlarms(names: readonly string[], signal?: AbortSignal): Promise<Array<MetricAlarm | CompositeAlarm>> {
    const alarms: Array<MetricAlarm | CompositeAlarm> = [];
    for (let i = 0; i < names.length; i += DESCRIBE_ALARMS_BATCH) {
      const batch = names.slice(i, i + DESCRIBE_ALARMS_BATCH);
      let nextToken: string | undefined;
      do {
        const out = await this.cloudWatch.send(
          new DescribeAlarmsCommand({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: DESCRIBE_ALARMS_BATCH, NextToken: nextToken }),
          { abortSignal: signal },
        );
        alarms.push(...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? []));
        nextToken = out.NextToken;
      } while (nextToken);
    }
    return alarms;
  }
}
