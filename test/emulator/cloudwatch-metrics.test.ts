import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand, type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

const MINUTE = 60_000;

async function setUp(t: Parameters<typeof startTestEmulator>[0] & { after: (fn: () => void) => void }) {
  const { emulator } = await startTestEmulator(t);
  const cw = new CloudWatchClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(() => cw.destroy());
  // Three whole minutes that have already passed on the emulator clock.
  const base = Math.floor(emulator.clock.now() / MINUTE) * MINUTE - 5 * MINUTE;
  return { emulator, cw, base, namespace: uniqueName('App') };
}

const at = (ms: number) => new Date(ms);
/** The SDK names CloudWatch's errors by shape: code InvalidParameterValue is InvalidParameterValueException. */
const rejectsWith = (promise: Promise<unknown>, name: string, message: RegExp) => assert.rejects(promise, (err: Error) => {
  assert.equal(err.name, name, err.message);
  assert.match(err.message, message);
  return true;
});

test('CloudWatch metrics: PutMetricData, then GetMetricData with Sum, Average, p99 and a ratio expression', async (t) => {
  const { cw, base, namespace } = await setUp(t);
  const service = [{ Name: 'Service', Value: 'web' }];
  const data: MetricDatum[] = [];
  for (let minute = 0; minute < 3; minute++) {
    const timestamp = at(base + minute * MINUTE + 5_000);
    data.push({ MetricName: 'Requests', Dimensions: service, Timestamp: timestamp, Value: 100, Unit: 'Count' });
    data.push({ MetricName: 'Errors', Dimensions: service, Timestamp: timestamp, Value: minute * 5, Unit: 'Count' });
    // 1..100 ms, every value once: p99 is 99.
    data.push({ MetricName: 'Latency', Dimensions: service, Timestamp: timestamp, Values: Array.from({ length: 100 }, (_, i) => i + 1 + minute), Unit: 'Milliseconds' });
  }
  await cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));

  const metric = (name: string) => ({ Namespace: namespace, MetricName: name, Dimensions: service });
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: at(base),
    EndTime: at(base + 3 * MINUTE),
    MetricDataQueries: [
      { Id: 'requests', MetricStat: { Metric: metric('Requests'), Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'errors', MetricStat: { Metric: metric('Errors'), Period: 60, Stat: 'Sum' } },
      { Id: 'latency_avg', MetricStat: { Metric: metric('Latency'), Period: 60, Stat: 'Average' } },
      { Id: 'latency_p99', MetricStat: { Metric: metric('Latency'), Period: 120, Stat: 'p99' }, Label: 'p99 latency' },
      { Id: 'error_rate', Expression: '100 * errors / requests', Label: 'Error rate (%)' },
    ],
  }));
  const byId = new Map(out.MetricDataResults?.map((r) => [r.Id, r]));
  assert.deepEqual([...byId.keys()], ['errors', 'latency_avg', 'latency_p99', 'error_rate'], 'ReturnData false hides requests');
  const errors = byId.get('errors');
  // Newest first, each timestamp the start of its period.
  assert.deepEqual(errors?.Timestamps?.map((d) => d.getTime()), [base + 2 * MINUTE, base + MINUTE, base]);
  assert.deepEqual(errors?.Values, [10, 5, 0]);
  assert.equal(errors?.Label, 'Errors');
  assert.equal(errors?.StatusCode, 'Complete');
  assert.deepEqual(byId.get('latency_avg')?.Values, [52.5, 51.5, 50.5]);
  const p99 = byId.get('latency_p99');
  assert.deepEqual([p99?.Label, p99?.Timestamps?.map((d) => d.getTime()), p99?.Values], ['p99 latency', [base + 2 * MINUTE, base], [101, 100]]);
  assert.deepEqual([byId.get('error_rate')?.Label, byId.get('error_rate')?.Values], ['Error rate (%)', [10, 5, 0]]);

  // Oldest first, two data points a page.
  const page = (NextToken?: string) => cw.send(new GetMetricDataCommand({
    StartTime: at(base), EndTime: at(base + 3 * MINUTE), ScanBy: 'TimestampAscending', MaxDatapoints: 2, NextToken,
    MetricDataQueries: [{ Id: 'errors', MetricStat: { Metric: metric('Errors'), Period: 60, Stat: 'Sum' } }],
  }));
  const first = await page();
  assert.deepEqual([first.MetricDataResults?.[0]?.Values, first.MetricDataResults?.[0]?.StatusCode], [[0, 5], 'PartialData']);
  assert.ok(first.NextToken);
  const second = await page(first.NextToken);
  assert.deepEqual([second.MetricDataResults?.[0]?.Values, second.MetricDataResults?.[0]?.StatusCode, second.NextToken], [[10], 'Complete', undefined]);
});

test('CloudWatch metrics: GetMetricStatistics matches dimensions exactly and answers Statistics and ExtendedStatistics', async (t) => {
  const { cw, base, namespace } = await setUp(t);
  const web = [{ Name: 'Service', Value: 'web' }];
  await cw.send(new PutMetricDataCommand({
    Namespace: namespace,
    MetricData: [
      { MetricName: 'Latency', Dimensions: web, Timestamp: at(base + 1_000), Values: [10, 20, 30], Counts: [8, 1, 1], Unit: 'Milliseconds' },
      { MetricName: 'Latency', Dimensions: web, Timestamp: at(base + 2_000), StatisticValues: { SampleCount: 2, Sum: 50, Minimum: 25, Maximum: 25 }, Unit: 'Milliseconds' },
      { MetricName: 'Latency', Dimensions: web, Timestamp: at(base + MINUTE), Value: 7, Unit: 'Milliseconds' },
      { MetricName: 'Latency', Dimensions: [...web, { Name: 'Zone', Value: 'a' }], Timestamp: at(base), Value: 1000, Unit: 'Milliseconds' },
    ],
  }));
  const statistics = await cw.send(new GetMetricStatisticsCommand({
    Namespace: namespace, MetricName: 'Latency', Dimensions: web, StartTime: at(base), EndTime: at(base + 2 * MINUTE), Period: 60,
    Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
  }));
  assert.equal(statistics.Label, 'Latency');
  const points = (statistics.Datapoints ?? []).sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
  assert.deepEqual(points.map((p) => [p.Timestamp?.getTime(), p.SampleCount, p.Sum, p.Average, p.Minimum, p.Maximum, p.Unit]), [
    [base, 12, 180, 15, 10, 30, 'Milliseconds'],
    [base + MINUTE, 1, 7, 7, 7, 7, 'Milliseconds'],
  ]);
  const extended = await cw.send(new GetMetricStatisticsCommand({
    Namespace: namespace, MetricName: 'Latency', Dimensions: web, StartTime: at(base), EndTime: at(base + MINUTE), Period: 60,
    ExtendedStatistics: ['p50', 'p90', 'p99'],
  }));
  assert.deepEqual(extended.Datapoints?.map((p) => p.ExtendedStatistics), [{ p50: 10, p90: 25, p99: 30 }]);
  // No dimensions is another metric, with no data.
  const none = await cw.send(new GetMetricStatisticsCommand({
    Namespace: namespace, MetricName: 'Latency', StartTime: at(base), EndTime: at(base + 2 * MINUTE), Period: 60, Statistics: ['Sum'],
  }));
  assert.deepEqual(none.Datapoints, []);
});

test('CloudWatch metrics: ListMetrics filters by namespace, name, dimensions and RecentlyActive', async (t) => {
  const { cw, emulator, namespace } = await setUp(t);
  const now = emulator.clock.now();
  await cw.send(new PutMetricDataCommand({
    Namespace: namespace,
    MetricData: [
      { MetricName: 'Requests', Dimensions: [{ Name: 'Service', Value: 'web' }, { Name: 'Zone', Value: 'a' }], Value: 1 },
      { MetricName: 'Requests', Dimensions: [{ Name: 'Service', Value: 'api' }], Value: 1 },
      { MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'web' }], Value: 1 },
      { MetricName: 'Old', Timestamp: at(now - 4 * 3_600_000), Value: 1 },
    ],
  }));
  const list = async (input: Omit<ConstructorParameters<typeof ListMetricsCommand>[0], 'Namespace'>) =>
    ((await cw.send(new ListMetricsCommand({ Namespace: namespace, ...input }))).Metrics ?? [])
      .map((m) => `${m.MetricName} ${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',')}`).sort();
  assert.deepEqual(await list({}), ['Errors Service=web', 'Requests Service=api', 'Requests Service=web,Zone=a']);
  assert.deepEqual(await list({ MetricName: 'Requests' }), ['Requests Service=api', 'Requests Service=web,Zone=a']);
  assert.deepEqual(await list({ Dimensions: [{ Name: 'Service', Value: 'web' }] }), ['Errors Service=web', 'Requests Service=web,Zone=a']);
  assert.deepEqual(await list({ Dimensions: [{ Name: 'Zone' }] }), ['Requests Service=web,Zone=a']);
  assert.deepEqual(await list({ RecentlyActive: 'PT3H' }), ['Errors Service=web', 'Requests Service=api', 'Requests Service=web,Zone=a']);
  const other = await cw.send(new ListMetricsCommand({ Namespace: `${namespace}-other` }));
  assert.deepEqual(other.Metrics, []);
});

test('CloudWatch metrics: validation errors carry CloudWatch codes', async (t) => {
  const { cw, base, namespace } = await setUp(t);
  const put = (input: Partial<ConstructorParameters<typeof PutMetricDataCommand>[0]>) =>
    cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: [{ MetricName: 'M', Value: 1 }], ...input }));
  await rejectsWith(put({ Namespace: 'AWS/ECS' }), 'InvalidParameterValueException', /AWS\/ECS for parameter Namespace/);
  await rejectsWith(put({ MetricData: [{ MetricName: 'M', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] }),
    'InvalidParameterCombinationException', /MetricData\.member\.1\.Value and MetricData\.member\.1\.StatisticValues are mutually exclusive/);
  await rejectsWith(put({ MetricData: [{ MetricName: 'M', Values: [1, 2], Counts: [1] }] }), 'InvalidParameterValueException', /same size/);
  await rejectsWith(put({ MetricData: Array.from({ length: 1001 }, () => ({ MetricName: 'M', Value: 1 })) }), 'InvalidParameterValueException', /greater than 1000/);
  await rejectsWith(put({ MetricData: [{ MetricName: 'M', Value: 1, Timestamp: at(base - 15 * 86_400_000) }] }), 'InvalidParameterValueException', /past two weeks/);
  await rejectsWith(put({ MetricData: [{ MetricName: 'M', Value: 1, Unit: 'Furlongs' as 'Count' }] }), 'InvalidParameterValueException', /Furlongs/);
  await rejectsWith(put({ MetricData: [{ MetricName: undefined, Value: 1 }] }), 'MissingRequiredParameterException', /MetricData\.member\.1\.MetricName/);

  const stats = (input: Partial<ConstructorParameters<typeof GetMetricStatisticsCommand>[0]>) => cw.send(new GetMetricStatisticsCommand({
    Namespace: namespace, MetricName: 'M', StartTime: at(base), EndTime: at(base + MINUTE), Period: 60, ...input,
  }));
  await rejectsWith(stats({ Statistics: ['Sum'], ExtendedStatistics: ['p99'] }), 'InvalidParameterCombinationException', /either Statistics or ExtendedStatistics/);
  await rejectsWith(stats({ Statistics: ['Sum'], Period: 45 }), 'InvalidParameterValueException', /multiple of 60/);
  await rejectsWith(stats({ Statistics: ['Sum'], StartTime: at(base - 2 * 86_400_000) }), 'InvalidParameterCombinationException', /exceeds the limit of 1,440/);
  await rejectsWith(stats({ Statistics: ['Sum'], EndTime: at(base) }), 'InvalidParameterValueException', /StartTime must be less than/);

  const query = (Expression: string) => cw.send(new GetMetricDataCommand({
    StartTime: at(base), EndTime: at(base + MINUTE), MetricDataQueries: [{ Id: 'e1', Expression }],
  }));
  await rejectsWith(query('m1 * 2'), 'ValidationException', /Unrecognized identifier m1/);
  await rejectsWith(query('SUM(('), 'ValidationException', /Error in expression 'e1'/);
  await rejectsWith(cw.send(new GetMetricDataCommand({
    StartTime: at(base), EndTime: at(base + MINUTE),
    MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: namespace, MetricName: 'M' }, Period: 60, Stat: 'Median' } }],
  })), 'ValidationException', /Median for parameter MetricDataQueries\.member\.1\.MetricStat\.Stat is not a valid statistic/);
  await rejectsWith(cw.send(new ListMetricsCommand({ RecentlyActive: 'PT1H' as 'PT3H' })), 'InvalidParameterValueException', /PT3H is the only valid value/);
  await rejectsWith(cw.send(new ListMetricsCommand({ NextToken: 'not-a-token' })), 'InvalidNextToken', /next token/);
});
