import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { eventually } from './ecs-fakes.js';
import { versionAt } from './ecs-blue-green-stack.js';
import {
  appSpec, codeDeployStack, deployment, ended, eventStatuses, productionWeights, target, taskSetWeights, WAIT_MS, type Stack,
} from './codedeploy-stack.js';

/**
 * A deployment group's CloudWatch alarms over real HTTP: the emulated
 * CodeDeploy reads them while a deployment runs, and one in ALARM stops it.
 */

function cloudWatch(t: { after: (fn: () => void) => void }, stack: Stack): CloudWatchClient {
  const client = new CloudWatchClient({ endpoint: stack.emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(() => client.destroy());
  return client;
}

/** An alarm no metric feeds: it stays in whatever state SetAlarmState gives it. */
const alarmInput = (name: string) => ({
  AlarmName: name, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum' as const,
  Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' as const, TreatMissingData: 'ignore' as const,
});

test('an alarm in ALARM mid-canary stops the deployment and, with DEPLOYMENT_STOP_ON_ALARM, rolls it back in a deployment of its own', async (t) => {
  const alarm = uniqueName('cd-5xx');
  const stack = await codeDeployStack(t, {
    config: 'CodeDeployDefault.ECSCanary10Percent15Minutes', alarms: [alarm], rollbackEvents: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
  });
  const cw = cloudWatch(t, stack);
  await cw.send(new PutMetricAlarmCommand(alarmInput(alarm)));
  await cw.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'healthy' }));
  const id = (await stack.codedeploy.send(new CreateDeploymentCommand({
    applicationName: stack.application, deploymentGroupName: stack.name,
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(stack.td2) } },
  }))).deploymentId ?? '';
  await eventually('the 10% canary', async () => {
    const w = await productionWeights(stack);
    return w.get(stack.tg1) === 90 && w.get(stack.tg2) === 10 ? true : undefined;
  }, WAIT_MS);
  assert.equal((await deployment(stack, id)).status, 'InProgress', 'an alarm in OK lets the deployment run');

  await cw.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: '5xx from the canary' }));
  const done = await ended(stack, id);
  assert.equal(done.status, 'Stopped');
  assert.equal(done.errorInformation?.code, 'ALARM_ACTIVE');
  assert.match(done.errorInformation?.message ?? '', new RegExp(`the alarm ${alarm} is in the ALARM state`));
  assert.deepEqual(await productionWeights(stack), new Map([[stack.tg1, 100], [stack.tg2, 0]]));
  for (let i = 0; i < 4; i += 1) assert.equal(await versionAt(stack.url), 'v1');
  await eventually('the replacement task set gone', async () => {
    const sets = await stack.taskSets();
    return sets.length === 1 && sets[0]?.id === stack.steadyOriginal.id && sets[0]?.status === 'PRIMARY' ? true : undefined;
  }, WAIT_MS);

  const stopped = await target(stack, id);
  assert.equal(stopped.status, 'Failed');
  assert.deepEqual(eventStatuses(stopped).slice(-2), ['AllowTraffic:Failed', 'AfterAllowTraffic:Skipped']);
  assert.equal(stopped.lifecycleEvents?.at(-2)?.diagnostics?.message, done.errorInformation?.message);
  assert.deepEqual(taskSetWeights(stopped).map(([label, , weight]) => [label, weight]), [['Blue', 100], ['Green', 0]]);

  const rollbackId = done.rollbackInfo?.rollbackDeploymentId ?? '';
  assert.match(done.rollbackInfo?.rollbackMessage ?? '', new RegExp(`rolled back by deployment ${rollbackId}`));
  const rollback = await deployment(stack, rollbackId);
  assert.deepEqual(
    [rollback.status, rollback.creator, rollback.rollbackInfo?.rollbackTriggeringDeploymentId, rollback.rollbackInfo?.rollbackDeploymentId],
    ['Succeeded', 'codeDeployRollback', id, undefined],
  );
  const rollbackTarget = await target(stack, rollbackId);
  assert.deepEqual([rollbackTarget.status, eventStatuses(rollbackTarget)], ['Succeeded', ['AllowTraffic:Succeeded']]);
  assert.deepEqual(taskSetWeights(rollbackTarget).map(([label, , weight]) => [label, weight]), [['Blue', 100], ['Green', 0]]);
  const listed = await stack.codedeploy.send(new ListDeploymentsCommand({ applicationName: stack.application, deploymentGroupName: stack.name }));
  assert.deepEqual(listed.deployments, [rollbackId, id]);
  const stoppedOnly = await stack.codedeploy.send(new ListDeploymentsCommand({ includeOnlyStatuses: ['Stopped'] }));
  assert.deepEqual(stoppedOnly.deployments, [id]);
});

test('an alarm that does not exist stops the deployment before anything moves, unless ignorePollAlarmFailure', async (t) => {
  const stack = await codeDeployStack(t);
  const create = (ignorePollAlarmFailure: boolean) => stack.codedeploy.send(new CreateDeploymentCommand({
    applicationName: stack.application, deploymentGroupName: stack.name,
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(stack.td2) } },
    overrideAlarmConfiguration: { enabled: true, ignorePollAlarmFailure, alarms: [{ name: 'no-such-alarm' }] },
  }));
  const strict = (await create(false)).deploymentId ?? '';
  const done = await ended(stack, strict);
  assert.equal(done.status, 'Stopped');
  assert.equal(done.errorInformation?.code, 'ALARM_ACTIVE');
  assert.match(done.errorInformation?.message ?? '', /alarm no-such-alarm could not be retrieved/);
  assert.deepEqual(done.overrideAlarmConfiguration, { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'no-such-alarm' }] });
  assert.equal(done.rollbackInfo, undefined, 'nothing had moved: there is nothing to roll back');
  assert.deepEqual((await stack.taskSets()).map((s) => s.id), [stack.steadyOriginal.id]);

  const lenient = (await create(true)).deploymentId ?? '';
  const passed = await ended(stack, lenient);
  assert.equal(passed.status, 'Succeeded', JSON.stringify(passed.errorInformation));
  assert.equal(await versionAt(stack.url), 'v2');
});
