import type { CompositeAlarm, MessageData, MetricAlarm, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { CommandProbe, HttpProbe, MetricsPort, ProbePort } from '../../src/engine/ports.js';

/** One scripted answer of a fake: a value, or an error thrown as the SDK would. */
type Scripted<T> = T | Error;

function next<T>(answers: Array<Scripted<T>>, fallback: T): T {
  const answer = answers.length > 1 ? answers.shift() : answers[0];
  if (answer instanceof Error) throw answer;
  return answer ?? fallback;
}

/** CloudWatch as a script: GetMetricData and DescribeAlarms answer in turn; the last answer repeats. Records every call. */
export class FakeMetrics implements MetricsPort {
  readonly metricCalls: Array<{ queries: MetricDataQuery[]; startTime: Date; endTime: Date }> = [];
  readonly alarmCalls: string[][] = [];
  constructor(
    public metricAnswers: Array<Scripted<{ results: MetricDataResult[]; messages?: MessageData[] }>> = [],
    public alarmAnswers: Array<Scripted<Array<MetricAlarm | CompositeAlarm>>> = [],
  ) {}

  async getMetricData(request: { queries: MetricDataQuery[]; startTime: Date; endTime: Date }, signal?: AbortSignal) {
    if (signal?.aborted) throw signal.reason;
    this.metricCalls.push(request);
    const answer = next(this.metricAnswers, { results: [] });
    return { results: answer.results, messages: answer.messages ?? [] };
  }

  async describeAlarms(names: readonly string[], signal?: AbortSignal) {
    if (signal?.aborted) throw signal.reason;
    this.alarmCalls.push([...names]);
    return next(this.alarmAnswers, []).filter((a) => names.includes(a.AlarmName ?? ''));
  }
}

/** HTTP and commands as a script, per URL or command; the last answer repeats. */
export class FakeProbes implements ProbePort {
  readonly calls: string[] = [];
  constructor(
    public http: Record<string, HttpProbe[]> = {},
    public commands: Record<string, CommandProbe[]> = {},
  ) {}

  async httpGet(url: string, _options: { timeoutMs: number; headers: Readonly<Record<string, string>> }, signal?: AbortSignal): Promise<HttpProbe> {
    if (signal?.aborted) throw signal.reason;
    this.calls.push(`GET ${url}`);
    return next(this.http[url] ?? [], { kind: 'failed', reason: `no scripted answer for ${url}` });
  }

  async runCommand(run: string, _options: { timeoutMs: number }, signal?: AbortSignal): Promise<CommandProbe> {
    if (signal?.aborted) throw signal.reason;
    this.calls.push(`run ${run}`);
    return next(this.commands[run] ?? [], { kind: 'failed', reason: `no scripted answer for ${run}`, lines: [] });
  }
}

/** A GetMetricData result with points given newest first. */
export function series(id: string, points: Array<[at: number, value: number]>, status: MetricDataResult['StatusCode'] = 'Complete'): MetricDataResult {
  return { Id: id, Timestamps: points.map(([at]) => new Date(at)), Values: points.map(([, value]) => value), StatusCode: status };
}

export function alarm(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', since = Date.parse('2025-06-01T11:00:00.000Z'), reason = `${state} for testing`): MetricAlarm {
  return { AlarmName: name, StateValue: state, StateReason: reason, StateTransitionedTimestamp: new Date(since), StateUpdatedTimestamp: new Date(since) };
}
