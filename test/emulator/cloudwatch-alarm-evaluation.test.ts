import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CloudWatchClient, DescribeAlarmsCommand, DescribeAlarmsForMetricCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand,
  type MetricAlarm, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { pollUntil } from '../support/poll.js';

const MINUTE = 60_000;
/** A virtual minute is half a real second: an alarm with Period 60 is evaluated twice a second. */
const SPEED = 120;

async function setUp(t: Parameters<typeof startTestEmulator>[0] & { after: (fn: () => void) => void }) {
  const { emulator } = await startTestEmulator(t, { speed: SPEED });
  const cw = new CloudWatchClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(() => cw.destroy());
  const namespace = uniqueName('App');
  const dimensions = [{ Name: 'Service', Value: 'web' }];
  const alarm = (name: string, extra: Partial<PutMetricAlarmCommandInput> = {}) => cw.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: namespace, MetricName: 'Errors', Dimensions: dimensions, Statistic: 'Sum',
    Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', ...extra,
  }));
  /**
   * Publishes [metric, value, minutesAgo] points in one call, timed from one
   * reading of the emulator clock (0: this minute), so an evaluation sees all or none of them.
   */
  const publish = (...points: Array<[string, number, number]>) => {
    const now = emulator.clock.now();
    return cw.send(new PutMetricDataCommand({
      Namespace: namespace,
      MetricData: points.map(([metricName, value, minutesAgo]) => ({
        MetricName: metricName, Dimensions: dimensions, Value: value, Timestamp: new Date(now - minutesAgo * MINUTE),
      })),
    }));
  };
  const describe = async (name: string): Promise<MetricAlarm> => {
    const [found] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? [];
    assert.ok(found, `alarm ${name}`);
    return found;
  };
  const reaches = (name: string, state: string) => pollUntil(`${name} to be ${state}`, 15_000, async () => {
    const a = await describe(name);
    return a.StateValue === state ? a : undefined;
  }, 50);
  return { emulator, cw, namespace, dimensions, alarm, publish, describe, reaches };
}

test('alarm evaluation: published data puts an alarm in ALARM and back to OK; SetAlarmState lasts until the next evaluation', async (t) => {
  const { cw, alarm, publish, reaches, describe } = await setUp(t);
  const name = uniqueName('errors-high');
  await alarm(name);
  assert.equal((await describe(name)).StateValue, 'INSUFFICIENT_DATA');

  await publish(['Errors', 12, 1]);
  const alarmed = await reaches(name, 'ALARM');
  assert.match(alarmed.StateReason ?? '', /^Threshold Crossed: 1 datapoint \[12\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\)\] was greater than the threshold \(5\.0\)\.$/);
  const data = JSON.parse(alarmed.StateReasonData ?? '{}') as { statistic?: string; period?: number; threshold?: number; evaluatedDatapoints?: Array<{ value?: number }> };
  assert.deepEqual([data.statistic, data.period, data.threshold, data.evaluatedDatapoints?.map((p) => p.value)], ['Sum', 60, 5, [12]]);
  assert.ok(alarmed.StateTransitionedTimestamp instanceof Date && alarmed.StateUpdatedTimestamp instanceof Date);

  await publish(['Errors', 1, 0]);
  const recovered = await reaches(name, 'OK');
  assert.match(recovered.StateReason ?? '', /^Threshold Crossed: 1 datapoint \[1\.0 \(.+\)\] was not greater than the threshold \(5\.0\)\.$/);
  assert.ok((recovered.StateTransitionedTimestamp?.getTime() ?? 0) > (alarmed.StateTransitionedTimestamp?.getTime() ?? 0));

  await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'testing the pager' }));
  assert.equal((await describe(name)).StateReason, 'testing the pager');
  const overridden = await reaches(name, 'OK');
  assert.match(overridden.StateReason ?? '', /^Threshold Crossed: /);
});

test('alarm evaluation: M out of N, and a metric math alarm on a ratio', async (t) => {
  const { alarm, publish, reaches, describe, namespace, dimensions } = await setUp(t);
  const twoOfThree = uniqueName('two-of-three');
  const threeOfThree = uniqueName('three-of-three');
  const ratio = uniqueName('error-rate');
  await alarm(twoOfThree, { EvaluationPeriods: 3, DatapointsToAlarm: 2 });
  await alarm(threeOfThree, { EvaluationPeriods: 3 });
  const metric = (id: string, name: string) => ({
    Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: dimensions }, Period: 60, Stat: 'Sum' },
  });
  await alarm(ratio, {
    Namespace: undefined, MetricName: undefined, Dimensions: undefined, Statistic: undefined, Period: undefined, Threshold: 10,
    Metrics: [metric('errors', 'Errors'), metric('requests', 'Requests'), { Id: 'rate', Expression: '100 * errors / requests', ReturnData: true }],
  });
  await publish(['Errors', 12, 3], ['Errors', 1, 2], ['Errors', 12, 1], ['Requests', 20, 3], ['Requests', 20, 2], ['Requests', 20, 1]);

  const alarmed = await reaches(twoOfThree, 'ALARM');
  assert.match(
    alarmed.StateReason ?? '',
    /^Threshold Crossed: 2 out of the last 3 datapoints \[12\.0 \(.+\), 12\.0 \(.+\)\] were greater than the threshold \(5\.0\) \(minimum 2 datapoints for OK -> ALARM transition\)\.$/,
  );
  const ok = await reaches(threeOfThree, 'OK');
  assert.match(ok.StateReason ?? '', /^Threshold Crossed: 1 datapoint \[1\.0 \(.+\)\] was not greater than the threshold \(5\.0\)\.$/);
  // 12 of 20 requests failed: 60 % > 10 %.
  const rate = await reaches(ratio, 'ALARM');
  assert.match(rate.StateReason ?? '', /^Threshold Crossed: 1 datapoint \[60\.0 \(.+\)\] was greater than the threshold \(10\.0\)\.$/);
  assert.equal((await describe(ratio)).Metrics?.length, 3);
});

test('alarm evaluation: how each TreatMissingData setting treats a metric with no data', async (t) => {
  const { cw, alarm, reaches, describe } = await setUp(t);
  const names = {
    breaching: uniqueName('missing-breaching'),
    notBreaching: uniqueName('missing-not-breaching'),
    missing: uniqueName('missing-missing'),
    ignore: uniqueName('missing-ignore'),
  };
  for (const [treat, name] of Object.entries(names)) await alarm(name, { TreatMissingData: treat });

  const breaching = await reaches(names.breaching, 'ALARM');
  assert.equal(breaching.StateReason, 'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].');
  const notBreaching = await reaches(names.notBreaching, 'OK');
  assert.equal(notBreaching.StateReason, 'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].');

  // missing: back to INSUFFICIENT_DATA at the next evaluation; ignore: the state set stays.
  for (const name of [names.missing, names.ignore]) await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'set by hand' }));
  const missing = await reaches(names.missing, 'INSUFFICIENT_DATA');
  assert.equal(missing.StateReason, 'Insufficient Data: 1 datapoint was unknown.');
  const ignored = await describe(names.ignore);
  assert.deepEqual([ignored.StateValue, ignored.StateReason], ['ALARM', 'set by hand']);
});

test('DescribeAlarmsForMetric: the alarms on one metric, filtered by statistic and period, dimensions exact', async (t) => {
  const { cw, alarm, namespace, dimensions } = await setUp(t);
  const sum = uniqueName('sum');
  const p99 = uniqueName('p99');
  const other = uniqueName('other-metric');
  const math = uniqueName('math');
  await alarm(sum);
  await alarm(p99, { Statistic: undefined, ExtendedStatistic: 'p99', Period: 300 });
  await alarm(other, { MetricName: 'Requests' });
  await alarm(math, {
    Namespace: undefined, MetricName: undefined, Dimensions: undefined, Statistic: undefined, Period: undefined,
    Metrics: [
      { Id: 'e', ReturnData: false, MetricStat: { Metric: { Namespace: namespace, MetricName: 'Errors', Dimensions: dimensions }, Period: 60, Stat: 'Sum' } },
      { Id: 'doubled', Expression: 'e * 2', ReturnData: true },
    ],
  });
  const names = async (input: Partial<ConstructorParameters<typeof DescribeAlarmsForMetricCommand>[0]>) =>
    ((await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: namespace, MetricName: 'Errors', Dimensions: dimensions, ...input }))).MetricAlarms ?? [])
      .map((a) => a.AlarmName).sort();
  assert.deepEqual(await names({}), [math, p99, sum].sort());
  assert.deepEqual(await names({ Statistic: 'Sum' }), [math, sum].sort());
  assert.deepEqual(await names({ ExtendedStatistic: 'p99' }), [p99]);
  assert.deepEqual(await names({ Period: 300 }), [p99]);
  assert.deepEqual(await names({ Dimensions: [] }), []);
  assert.deepEqual(await names({ MetricName: 'Requests' }), [other]);
});

test('PutMetricAlarm: statistic, period, M of N and Metrics are checked', async (t) => {
  const { alarm } = await setUp(t);
  const rejects = (extra: Partial<PutMetricAlarmCommandInput>, name: string, message: RegExp) => assert.rejects(alarm(uniqueName('bad'), extra), (err: Error) => {
    assert.equal(err.name, name, err.message);
    assert.match(err.message, message);
    return true;
  });
  await rejects({ Period: 45 }, 'InvalidParameterValueException', /Period must be 10, 30 or a multiple of 60/);
  await rejects({ ExtendedStatistic: 'p99' }, 'InvalidParameterCombinationException', /Statistic and ExtendedStatistic/);
  await rejects({ Statistic: 'Median' as 'Sum' }, 'InvalidParameterValueException', /Statistic: Median/);
  await rejects({ EvaluationPeriods: 2, DatapointsToAlarm: 3 }, 'InvalidParameterValueException', /DatapointsToAlarm/);
  await rejects({ TreatMissingData: 'sometimes' }, 'InvalidParameterValueException', /TreatMissingData/);
  await rejects({ Period: 3600, EvaluationPeriods: 200 }, 'InvalidParameterValueException', /must not exceed 604800/);
  await rejects({
    Namespace: undefined, MetricName: undefined, Dimensions: undefined, Statistic: undefined, Period: undefined,
    Metrics: [{ Id: 'a', Expression: '1' }, { Id: 'b', Expression: '2' }],
  }, 'InvalidParameterValueException', /Exactly one element of the metrics list should return data/);
});
