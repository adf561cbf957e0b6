import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentLifecycleHookDetail, ServiceDeployment } from '@aws-sdk/client-ecs';
import { deploy, type DeployRequest } from '../../src/engine/deploy.js';
import type { RolloutEvent } from '../../src/engine/events.js';
import type { CommandProbe } from '../../src/engine/ports.js';
import { parseConfigText } from '../../src/spec/config-file.js';
import { RolloutError } from '../../src/spec/errors.js';
import { alarm, FakeMetrics, FakeProbes } from './analysis-fakes.js';
import { ACCOUNT, FakeEcs, FakeGateChecks, FakeImages, fakeClock, fakePorts, REPO_URI, T0, TD_ARN } from './engine-fakes.js';

const SD = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/prod/web/an1`;
const BLUE_REV = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-revision/prod/web/1`;
const GREEN_REV = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-revision/prod/web/2`;
const TG_BLUE = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/blue/1`;

/** A canary service deployment as one DescribeServiceDeployments shows it. */
function look(stage: string, prod: number, fields: Partial<ServiceDeployment> = {}, hooks: DeploymentLifecycleHookDetail[] = []): ServiceDeployment {
  return {
    serviceDeploymentArn: SD,
    status: 'IN_PROGRESS',
    lifecycleStage: stage as ServiceDeployment['lifecycleStage'],
    targetServiceRevision: { arn: GREEN_REV, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0, requestedProductionTrafficWeight: prod, requestedTestTrafficWeight: 0 },
    sourceServiceRevisions: [{ arn: BLUE_REV, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0, requestedProductionTrafficWeight: 100 - prod, requestedTestTrafficWeight: 0 }],
    lifecycleHookDetails: hooks,
    deploymentConfiguration: { strategy: 'CANARY', bakeTimeInMinutes: 0, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 } },
    ...fields,
  };
}

const paused = (prod: number): ServiceDeployment =>
  look('PRE_PRODUCTION_TRAFFIC_SHIFT', prod, {}, [{ hookId: 'hook-1', targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK', expiresAt: new Date(T0 + 3_600_000) }]);

/** ECS for a canary with one gated stop at 0%: after CONTINUE it finishes, after ROLLBACK it rolls back; `idle` looks replay while nobody answers. */
function canaryEcs(): FakeEcs {
  const ecs = new FakeEcs();
  if (ecs.service) ecs.service.loadBalancers = [{ targetGroupArn: TG_BLUE, containerName: 'app', containerPort: 8080 }];
  ecs.serviceDeploymentBriefs = [{ serviceDeploymentArn: SD, status: 'IN_PROGRESS', createdAt: new Date(T0) }];
  ecs.serviceRevisions = [
    { serviceRevisionArn: BLUE_REV, taskDefinition: TD_ARN(3) },
    { serviceRevisionArn: GREEN_REV, taskDefinition: TD_ARN(4) },
  ];
  let queue: ServiceDeployment[] = [look('SCALE_UP', 0), paused(0)];
  ecs.steps = Array.from({ length: 60 }, () => (fake: FakeEcs) => {
    const next = queue.shift();
    if (next) fake.serviceDeployment = next;
  });
  ecs.onContinue = (_fake, _hook, action) => {
    queue = action === 'CONTINUE'
      ? [look('PRODUCTION_TRAFFIC_SHIFT', 100), look('CLEAN_UP', 100, { status: 'SUCCESSFUL' })]
      : [look('CLEAN_UP', 0, { status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'ROLLBACK at a lifecycle hook' } })];
  };
  return ecs;
}

function request(yaml: string): DeployRequest {
  const config = parseConfigText(
    [
      'strategy:',
      '  alternateTargetGroup: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2',
      '  productionListenerRule: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/lb/1/2/prod',
      '  loadBalancerRole: arn:aws:iam::123456789012:role/ecs-elb',
      '  canary: { percent: 10, bake: 1m }',
      '  bake: 0s',
      '  gates:',
      '    - { stage: PRE_PRODUCTION_TRAFFIC_SHIFT, name: metrics, analysis: checks }',
      'analysis:',
      '  checks:',
      yaml,
    ].join('\n'),
    'ecs-rollout.yaml',
  );
  return {
    cluster: 'prod', service: 'web', change: { image: `${REPO_URI}:v4` }, timeoutMs: 600_000, pollIntervalMs: 1000,
    strategy: 'canary', strategyConfig: config.strategy, analysisConfig: config.analysis,
  };
}

async function run(yaml: string, options: { commands?: Record<string, CommandProbe[]>; metrics?: FakeMetrics; ecs?: FakeEcs } = {}) {
  const ports = fakePorts(options.ecs ?? canaryEcs(), new FakeImages(), new FakeGateChecks(), options.metrics ?? new FakeMetrics(), new FakeProbes({}, options.commands ?? {}));
  const events: RolloutEvent[] = [];
  const result = await deploy(ports, request(yaml), { clock: fakeClock(), onEvent: (e) => events.push(e) });
  return { result, events, types: events.map((e) => e.type), ports };
}

const printed = (stdout: string): CommandProbe[] => [{ kind: 'exited', exitCode: 0, stdout, lines: [stdout] }];

test('native gate with an analysis: Successful continues the hook; the command sees the stop as variables', async () => {
  const run1 = 'check {{stage}} {{canary.weight}} {{step}} {{canary.taskDefinition}} {{stable.taskDefinition}} {{cluster}}/{{service}}';
  const expanded = `check PRE_PRODUCTION_TRAFFIC_SHIFT 0 1 ${TD_ARN(4)} ${TD_ARN(3)} prod/web`;
  const { result, types, ports, events } = await run(`    metrics:\n      - { name: rate, failureCondition: result > 5, command: { run: "${run1}" } }`, { commands: { [expanded]: printed('0.4') } });
  assert.equal(result.outcome, 'succeeded', result.message);
  assert.deepEqual(ports.probes.calls, [`run ${expanded}`]);
  assert.deepEqual(ports.ecs.writes.map((w) => (w.op === 'continueServiceDeployment' ? `${w.op}:${w.action}` : w.op)), ['registerRevision', 'startDeployment', 'continueServiceDeployment:CONTINUE']);
  const gate = types.indexOf('gate-started');
  assert.deepEqual(types.slice(gate, gate + 6), ['gate-started', 'analysis-started', 'analysis-measurement', 'analysis-finished', 'gate-passed', 'hook-continued']);
  const started = events.find((e) => e.type === 'gate-started');
  assert.ok(started?.type === 'gate-started' && started.kind === 'analysis');
  const update = ports.ecs.writes[1];
  assert.ok(update?.op === 'startDeployment');
  // The PAUSE hook outlasts the analysis: 1 x 30s + 2 x 5 x (30s + 10s) = 430s -> 8m, plus the 10m margin.
  assert.deepEqual(update.request.deploymentConfiguration?.lifecycleHooks?.[0]?.timeoutConfiguration, { timeoutInMinutes: 18, action: 'ROLLBACK' });
});

test('native gate with an analysis: Failed with onFailure rollback answers ROLLBACK; exit is rolled back with the measurement', async () => {
  const { result, events, ports } = await run(`    metrics:\n      - { name: script, failureCondition: result > 5, command: { run: ./check.sh } }`, { commands: { './check.sh': printed('7') } });
  assert.equal(result.outcome, 'rolled-back', result.message);
  assert.deepEqual(ports.ecs.writes.at(-1), { op: 'continueServiceDeployment', serviceDeploymentArn: SD, hookId: 'hook-1', action: 'ROLLBACK' });
  const measurement = events.find((e) => e.type === 'analysis-measurement');
  assert.ok(measurement?.type === 'analysis-measurement');
  assert.deepEqual([measurement.metric, measurement.value, measurement.phase, measurement.metricPhase], ['script', 7, 'Failed', 'Failed']);
  const failed = events.find((e) => e.type === 'gate-failed');
  assert.ok(failed?.type === 'gate-failed');
  assert.equal(failed.reason, "gate metrics: analysis checks Failed: metric script Failed: failed 1 > failureLimit 0; last measurement: result = 7: failureCondition 'result > 5' holds (output of './check.sh')");
  assert.match(result.reason ?? '', /^gate metrics: analysis checks Failed: metric script Failed/);
});

test('native gate with an analysis: onFailure pause leaves the hook for a person and says so', async () => {
  const { result, events, ports } = await run(`    onFailure: pause\n    metrics:\n      - { name: script, failureCondition: result > 5, command: { run: ./check.sh } }`, { commands: { './check.sh': printed('9') } });
  // Nobody answered: the deploy followed until its timeout with the hook still waiting.
  assert.equal(result.outcome, 'timed-out');
  assert.deepEqual(ports.ecs.writes.map((w) => w.op), ['registerRevision', 'startDeployment']);
  const waiting = events.find((e) => e.type === 'analysis-waiting-for-operator');
  assert.ok(waiting?.type === 'analysis-waiting-for-operator');
  assert.deepEqual([waiting.analysis, waiting.phase, waiting.stage, waiting.expiresAt], ['checks', 'Failed', 'PRE_PRODUCTION_TRAFFIC_SHIFT', new Date(T0 + 3_600_000).toISOString()]);
  assert.equal(events.filter((e) => e.type === 'analysis-started').length, 1, 'the analysis ran once for this stop');
  assert.equal(events.some((e) => e.type === 'gate-failed'), false);
});

test('native gate with an analysis: onFailure report continues with a warning', async () => {
  const { result, events, ports } = await run(`    onFailure: report\n    metrics:\n      - { name: script, failureCondition: result > 5, command: { run: ./check.sh } }`, { commands: { './check.sh': printed('9') } });
  assert.equal(result.outcome, 'succeeded');
  assert.deepEqual(ports.ecs.writes.at(-1), { op: 'continueServiceDeployment', serviceDeploymentArn: SD, hookId: 'hook-1', action: 'CONTINUE' });
  const warning = events.find((e) => e.type === 'analysis-failure-reported');
  assert.ok(warning?.type === 'analysis-failure-reported');
  assert.equal(warning.phase, 'Failed');
});

test('an alarm already in ALARM stops the deploy before anything changes (exit 2), naming the alarm', async () => {
  const metrics = new FakeMetrics([], [[alarm('web-5xx', 'ALARM', T0 - 60_000, 'Threshold Crossed')]]);
  const ports = fakePorts(canaryEcs(), new FakeImages(), new FakeGateChecks(), metrics, new FakeProbes());
  const events: RolloutEvent[] = [];
  await assert.rejects(
    deploy(ports, request(`    metrics:\n      - { name: slo, alarm: { names: [web-5xx] } }`), { clock: fakeClock(), onEvent: (e) => events.push(e) }),
    (err: unknown) => err instanceof RolloutError && err.kind === 'user' && err.code === 'PreflightFailed' && /alarm web-5xx \(analysis checks\) is already in ALARM/.test(err.message),
  );
  assert.deepEqual(ports.ecs.writes, []);
  assert.ok(events.some((e) => e.type === 'alarm-already-firing' && e.alarm === 'web-5xx' && e.action === 'stop'));
});

test('preexistingAlarm: proceed deploys with a warning; the old ALARM is not counted against the new version', async () => {
  const firing = alarm('web-5xx', 'ALARM', T0 - 60_000, 'Threshold Crossed');
  const { result, events } = await run(`    preexistingAlarm: proceed\n    metrics:\n      - { name: slo, alarm: { names: [web-5xx] } }`, { metrics: new FakeMetrics([], [[firing]]) });
  assert.equal(result.outcome, 'succeeded', result.message);
  assert.ok(events.some((e) => e.type === 'alarm-already-firing' && e.action === 'proceed'));
  const measurement = events.find((e) => e.type === 'analysis-measurement');
  assert.ok(measurement?.type === 'analysis-measurement');
  assert.equal(measurement.phase, 'Successful');
  assert.match(measurement.output.join('\n'), /web-5xx ALARM since before the deployment; not counted against the new version/);
});

test('gates are ignored with rolling, and so are their alarms', async () => {
  const ecs = canaryEcs();
  const metrics = new FakeMetrics([], [[alarm('web-5xx', 'ALARM')]]);
  const ports = fakePorts(ecs, new FakeImages(), new FakeGateChecks(), metrics, new FakeProbes());
  ecs.steps = [];
  const req = { ...request(`    metrics:\n      - { name: slo, alarm: { names: [web-5xx] } }`), strategy: 'rolling' as const, timeoutMs: 5000 };
  const { outcome } = await deploy(ports, req, { clock: fakeClock() });
  assert.notEqual(outcome, 'planned');
  assert.deepEqual(metrics.alarmCalls, []);
});
