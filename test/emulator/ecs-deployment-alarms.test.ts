import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { blueGreenStack, deploy, describe, follow, productionWeights, versionAt } from './ecs-blue-green-stack.js';
import { eventually } from './ecs-fakes.js';

function cloudWatch(t: { after: (fn: () => void) => void }, endpoint: string): CloudWatchClient {
  const client = new CloudWatchClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  t.after(() => client.destroy());
  return client;
}

const alarmInput = (name: string) => ({
  AlarmName: name, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum' as const,
  Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' as const,
  // No data is published: ignore keeps the state SetAlarmState gives (missing would go back to INSUFFICIENT_DATA at the next period).
  TreatMissingData: 'ignore' as const,
});

test('CloudWatch alarms: PutMetricAlarm, DescribeAlarms, SetAlarmState and DeleteAlarms round trip', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const cw = cloudWatch(t, emulator.url);
  const name = uniqueName('alarm');
  await cw.send(new PutMetricAlarmCommand(alarmInput(name)));
  const [created] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? [];
  assert.equal(created?.StateValue, 'INSUFFICIENT_DATA');
  assert.match(created?.AlarmArn ?? '', new RegExp(`^arn:aws:cloudwatch:${TEST_REGION}:\\d{12}:alarm:${name}$`));
  assert.equal(created?.Threshold, 5);
  assert.equal(created?.MetricName, 'HTTPCode_Target_5XX_Count');
  assert.ok(created?.StateUpdatedTimestamp instanceof Date);

  await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'testing' }));
  const inAlarm = (await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }))).MetricAlarms ?? [];
  assert.deepEqual(inAlarm.map((a) => [a.AlarmName, a.StateValue, a.StateReason]), [[name, 'ALARM', 'testing']]);
  assert.equal((await cw.send(new DescribeAlarmsCommand({ StateValue: 'OK' }))).MetricAlarms?.length, 0);

  // Updating the alarm keeps its state.
  await cw.send(new PutMetricAlarmCommand({ ...alarmInput(name), Threshold: 10 }));
  const [updated] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? [];
  assert.deepEqual([updated?.Threshold, updated?.StateValue], [10, 'ALARM']);

  await assert.rejects(
    cw.send(new SetAlarmStateCommand({ AlarmName: `${name}-missing`, StateValue: 'OK', StateReason: 'x' })),
    (err: Error) => err.name === 'ResourceNotFound',
  );
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
  assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.length, 0);
});

test('ECS deployment alarm: an alarm in ALARM during the canary rolls back to v1, naming the alarm', async (t) => {
  const alarm = uniqueName('web-5xx');
  const stack = await blueGreenStack(t, {
    strategy: 'CANARY',
    canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 60 },
    bakeTimeInMinutes: 0,
    alarms: { alarmNames: [alarm], enable: true, rollback: true },
  });
  const cw = cloudWatch(t, stack.endpoint);
  await cw.send(new PutMetricAlarmCommand(alarmInput(alarm)));

  const before = await productionWeights(stack);
  const arn = await deploy(stack);
  const canary = await eventually('the canary step', async () => {
    const d = await describe(stack, arn);
    return d.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && d.targetServiceRevision?.requestedProductionTrafficWeight === 10 ? d : undefined;
  }, 30_000);
  assert.deepEqual(canary.alarms, { status: 'MONITORING', alarmNames: [alarm] });

  await cw.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'too many 5xx' }));
  await follow(stack, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
  const record = await describe(stack, arn);
  assert.deepEqual(record.alarms, { status: 'TRIGGERED', alarmNames: [alarm], triggeredAlarmNames: [alarm] });
  assert.ok(record.rollback?.reason?.includes(alarm), `rollback reason names the alarm: ${record.rollback?.reason}`);
  assert.deepEqual(await productionWeights(stack), before, 'production back on the group v1 runs in');
  assert.ok([...before.values()].includes(100));
  for (let i = 0; i < 5; i += 1) assert.equal(await versionAt(stack.productionUrl), 'v1');
  const svc = (await stack.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  assert.ok(svc?.events?.some((e) => e.message?.includes(`alarm ${alarm} in ALARM state`)), 'a service event names the alarm');
});
