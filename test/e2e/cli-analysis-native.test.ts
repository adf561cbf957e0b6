import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { runCli } from '../../examples/lib/sample-stack.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { blueGreenStack, versionAt, type Stack } from '../emulator/ecs-blue-green-stack.js';

type After = { after: (fn: () => Promise<void> | void) => void };

/** Runs the CLI against the stack's emulator with `yaml` as its settings file. */
async function cli(t: After, stack: Stack, argv: string[], yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-analysis-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'ecs-rollout.yaml');
  writeFileSync(config, yaml);
  return runCli([...argv, '--config', config, '--endpoint-url', stack.endpoint], { CI: 'true' });
}

const deployCanary = (stack: Stack, ...extra: string[]) => ['deploy', '--cluster', stack.cluster, '--service', stack.service, '--image', stack.images.get('v2') ?? '', '--strategy', 'canary', ...extra];

/** A canary 10% then 100%, with the analysis gating each production step. */
function canaryWithAnalysis(analysis: string[]): string {
  return [
    'strategy:',
    '  canary: { percent: 10, bake: 1m }',
    '  bake: 0s',
    '  gates:',
    '    - stage: PRE_PRODUCTION_TRAFFIC_SHIFT',
    '      name: metrics',
    '      analysis: canary-health',
    'analysis:',
    '  canary-health:',
    ...analysis.map((line) => `    ${line}`),
  ].join('\n');
}

/**
 * An alarm in `state` that stays there: the emulator evaluates alarms like
 * CloudWatch, and with no data TreatMissingData keeps it OK (notBreaching)
 * or in ALARM (breaching) at every evaluation.
 */
async function alarmIn(t: After, stack: Stack, state: 'OK' | 'ALARM'): Promise<string> {
  const cw = new CloudWatchClient({ endpoint: stack.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  t.after(() => cw.destroy());
  const name = uniqueName('web-5xx');
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum',
    Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: state === 'ALARM' ? 'breaching' : 'notBreaching',
  }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: state === 'ALARM' ? 'Threshold Crossed: 1 datapoint [9.0] was greater than the threshold (5.0).' : 'set by the test' }));
  return name;
}

interface JsonLine { type: string; [field: string]: unknown }
const jsonLines = (stdout: string): JsonLine[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as JsonLine);

test('canary gated by an alarm analysis whose alarm is OK completes (exit 0) and ships v2', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const alarm = await alarmIn(t, stack, 'OK');
  const result = await cli(t, stack, deployCanary(stack, '--output', 'json'), canaryWithAnalysis(['metrics:', `  - { name: slo, alarm: { names: [${alarm}] } }`]));
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const events = jsonLines(result.stdout);
  const verdicts = events.filter((e) => e.type === 'analysis-finished');
  assert.equal(verdicts.length, 2, 'one analysis before each production step (10%, then 100%)');
  assert.ok(verdicts.every((v) => v.phase === 'Successful'), JSON.stringify(verdicts));
  const preflight = events.find((e) => e.type === 'preflight-passed' && e.check === 'alarms');
  assert.equal(preflight?.message, `alarm ${alarm} is not in ALARM`);
  const measurement = events.find((e) => e.type === 'analysis-measurement');
  assert.deepEqual([measurement?.metric, measurement?.value, measurement?.phase], ['slo', 'OK', 'Successful']);
  assert.equal(await versionAt(stack.productionUrl), 'v2');
});

test('an alarm already in ALARM before the deploy stops it (exit 2) before anything changes, naming the alarm', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const alarm = await alarmIn(t, stack, 'ALARM');
  const before = (await stack.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  const revisions = async () => (await stack.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: stack.cluster }))).taskDefinitionArns ?? [];
  const revisionsBefore = await revisions();

  const result = await cli(t, stack, deployCanary(stack), canaryWithAnalysis(['metrics:', `  - { name: slo, alarm: { names: [${alarm}] } }`]));
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stderr, new RegExp(`error: preflight failed: alarm ${alarm} \\(analysis canary-health\\) is already in ALARM since \\S+: Threshold Crossed.*resolve it first, or set preexistingAlarm: proceed`));
  assert.match(result.stdout, new RegExp(`alarm ${alarm} \\(analysis canary-health\\) was already in ALARM before the deploy`));

  const after = (await stack.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  assert.equal(after?.taskDefinition, before?.taskDefinition);
  assert.equal(after?.currentServiceDeployment, before?.currentServiceDeployment);
  assert.deepEqual(await revisions(), revisionsBefore, 'no task definition was registered');
  assert.equal(await versionAt(stack.productionUrl), 'v1');
});

test('a command metric whose figure crosses failureCondition rolls the canary back (exit 3); the measurement is in the JSON output', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const result = await cli(t, stack, deployCanary(stack, '--output', 'json'), canaryWithAnalysis([
    'metrics:',
    '  - name: error-rate',
    '    failureCondition: result > 5',
    '    command: { run: "echo measuring {{stage}} at {{canary.weight}}%; echo 7.5" }',
  ]));
  assert.equal(result.code, 3, result.stdout + result.stderr);
  const events = jsonLines(result.stdout);
  const measurement = events.find((e) => e.type === 'analysis-measurement');
  assert.ok(measurement, result.stdout);
  assert.deepEqual(
    [measurement.analysis, measurement.metric, measurement.index, measurement.value, measurement.phase, measurement.metricPhase],
    ['canary-health', 'error-rate', 1, 7.5, 'Failed', 'Failed'],
  );
  assert.deepEqual(measurement.output, ['measuring PRE_PRODUCTION_TRAFFIC_SHIFT at 0%', '7.5']);
  assert.match(String(measurement.message), /^result = 7\.5: failureCondition 'result > 5' holds/);
  const finished = events.find((e) => e.type === 'analysis-finished');
  assert.deepEqual([finished?.phase, finished?.onFailure], ['Failed', 'rollback']);
  assert.ok(events.some((e) => e.type === 'hook-continued' && e.action === 'ROLLBACK'));
  const last = events.at(-1);
  assert.equal(last?.type, 'result');
  assert.equal(last?.outcome, 'rolled-back');
  assert.match(String(last?.reason), /analysis canary-health Failed: metric error-rate Failed/);
  assert.equal(await versionAt(stack.productionUrl), 'v1');
});
