import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentLifecycleHookDetail, ServiceDeployment } from '@aws-sdk/client-ecs';
import { deploy, type DeployRequest } from '../../src/engine/deploy.js';
import type { RolloutEvent } from '../../src/engine/events.js';
import { RolloutError } from '../../src/spec/errors.js';
import type { StrategyConfig } from '../../src/spec/strategy.js';
import { ACCOUNT, FakeEcs, FakeGateChecks, fakeClock, fakePorts, REPO_URI, T0 } from './engine-fakes.js';
import { FakeMetrics } from './analysis-fakes.js';

const SD = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/prod/web/abc123`;
const BLUE_REV = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-revision/prod/web/1`;
const GREEN_REV = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-revision/prod/web/2`;
const TG_BLUE = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/blue/1`;
const TG_GREEN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/green/2`;
const PROD_RULE = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener-rule/app/lb/1/2/prod`;
const TEST_RULE = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener-rule/app/lb/1/3/test`;
const ELB_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecs-elb`;

interface Look {
  status?: ServiceDeployment['status'];
  stage?: string;
  prod?: number;
  test?: number;
  hooks?: DeploymentLifecycleHookDetail[];
  fields?: Partial<ServiceDeployment>;
}

/** The service deployment as one DescribeServiceDeployments would show it. */
function look(l: Look, strategy: 'BLUE_GREEN' | 'CANARY' | 'LINEAR' = 'BLUE_GREEN'): ServiceDeployment {
  const prod = l.prod ?? 0;
  const test = l.test ?? 0;
  return {
    serviceDeploymentArn: SD,
    status: l.status ?? 'IN_PROGRESS',
    // The SDK's enum lacks PRE_PRODUCTION_TRAFFIC_SHIFT though ECS documents it as a stage.
    lifecycleStage: l.stage as ServiceDeployment['lifecycleStage'],
    targetServiceRevision: { arn: GREEN_REV, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0, requestedProductionTrafficWeight: prod, requestedTestTrafficWeight: test },
    sourceServiceRevisions: [{ arn: BLUE_REV, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0, requestedProductionTrafficWeight: 100 - prod, requestedTestTrafficWeight: 100 - test }],
    lifecycleHookDetails: l.hooks ?? [],
    deploymentConfiguration: {
      strategy,
      bakeTimeInMinutes: 2,
      ...(strategy === 'CANARY' ? { canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 } } : {}),
      ...(strategy === 'LINEAR' ? { linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 } } : {}),
    },
    ...l.fields,
  };
}

const awaiting = (hookId = 'hook-1'): DeploymentLifecycleHookDetail[] => [{ hookId, targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK', expiresAt: new Date(T0 + 3_600_000) }];

function blueGreenService(): FakeEcs {
  const ecs = new FakeEcs();
  const service = ecs.service;
  if (service) service.loadBalancers = [{ targetGroupArn: TG_BLUE, containerName: 'app', containerPort: 8080 }];
  ecs.serviceDeploymentBriefs = [{ serviceDeploymentArn: SD, status: 'IN_PROGRESS', createdAt: new Date(T0) }];
  return ecs;
}

const SMOKE: StrategyConfig = {
  alternateTargetGroup: TG_GREEN,
  productionListenerRule: PROD_RULE,
  testListenerRule: TEST_RULE,
  loadBalancerRole: ELB_ROLE,
  bake: '90s',
  gates: [{ stage: 'POST_TEST_TRAFFIC_SHIFT', name: 'smoke', http: { url: 'http://127.0.0.1:9/health', retries: 2, interval: '2s', timeout: '1s' } }],
};

function request(fields: Partial<DeployRequest> = {}): DeployRequest {
  return { cluster: 'prod', service: 'web', change: { image: `${REPO_URI}:v4` }, timeoutMs: 600_000, pollIntervalMs: 1000, strategy: 'blue-green', strategyConfig: SMOKE, ...fields };
}

async function run(ports: ReturnType<typeof fakePorts>, req = request()) {
  const events: RolloutEvent[] = [];
  const clock = fakeClock();
  const result = await deploy(ports, req, { clock, onEvent: (e) => events.push(e) });
  return { result, events, types: events.map((e) => e.type), clock };
}

/** Plays ECS: one look per poll; after a ContinueServiceDeployment the next looks follow `after[action]`. */
function script(ecs: FakeEcs, before: ServiceDeployment[], after: Record<'CONTINUE' | 'ROLLBACK', ServiceDeployment[]>): void {
  let queue = [...before];
  ecs.steps = Array.from({ length: 200 }, () => (fake: FakeEcs) => {
    const next = queue.shift();
    if (next) fake.serviceDeployment = next;
  });
  ecs.onContinue = (_fake, _hook, action) => {
    queue = [...after[action]];
  };
}

test('blue/green: one UpdateService carries strategy, PAUSE hook and listener wiring; a passing gate continues; success after bake', async () => {
  const ports = fakePorts(blueGreenService(), undefined, new FakeGateChecks([{ ok: true, summary: 'HTTP 200', lines: ['GET http://127.0.0.1:9/health -> 200', 'ok'] }]));
  script(
    ports.ecs,
    [look({ stage: 'SCALE_UP' }), look({ stage: 'TEST_TRAFFIC_SHIFT', test: 100 }), look({ stage: 'POST_TEST_TRAFFIC_SHIFT', test: 100, hooks: awaiting() })],
    {
      CONTINUE: [
        look({ stage: 'PRODUCTION_TRAFFIC_SHIFT', prod: 100, test: 100 }),
        look({ stage: 'BAKE_TIME', prod: 100, test: 100 }),
        look({ stage: 'BAKE_TIME', prod: 100, test: 100 }),
        look({ stage: 'CLEAN_UP', prod: 100, test: 100 }),
        look({ status: 'SUCCESSFUL', stage: 'CLEAN_UP', prod: 100, test: 100 }),
      ],
      ROLLBACK: [],
    },
  );
  const { result, events, types } = await run(ports);

  assert.equal(result.outcome, 'succeeded');
  assert.equal(result.strategy, 'BLUE_GREEN');
  assert.equal(result.serviceDeploymentArn, SD);
  assert.deepEqual(ports.ecs.writes.map((w) => w.op), ['registerRevision', 'startDeployment', 'continueServiceDeployment']);
  const update = ports.ecs.writes[1];
  assert.ok(update?.op === 'startDeployment');
  assert.deepEqual(update.request.deploymentConfiguration, {
    deploymentCircuitBreaker: { enable: true, rollback: true },
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    strategy: 'BLUE_GREEN',
    bakeTimeInMinutes: 2,
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], hookDetails: { managedBy: 'ecs-rollout' }, timeoutConfiguration: { timeoutInMinutes: 11, action: 'ROLLBACK' } }],
  });
  assert.deepEqual(update.request.loadBalancers, [
    { targetGroupArn: TG_BLUE, containerName: 'app', containerPort: 8080, advancedConfiguration: { alternateTargetGroupArn: TG_GREEN, productionListenerRule: PROD_RULE, testListenerRule: TEST_RULE, roleArn: ELB_ROLE } },
  ]);
  assert.deepEqual(ports.ecs.writes[2], { op: 'continueServiceDeployment', serviceDeploymentArn: SD, hookId: 'hook-1', action: 'CONTINUE' });

  const planned = events.find((e) => e.type === 'strategy-planned');
  assert.ok(planned?.type === 'strategy-planned');
  assert.deepEqual(planned.notes, ['bake 90s rounded up to 2m: ECS takes whole minutes']);
  assert.deepEqual(
    events.flatMap((e) => (e.type === 'stage-changed' ? [e.stage] : [])),
    ['SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP'],
  );
  const gateStart = types.indexOf('gate-started');
  assert.deepEqual(types.slice(gateStart - 1, gateStart + 5), ['hook-state', 'gate-started', 'gate-output', 'gate-output', 'gate-passed', 'hook-continued']);
  const hook = events.find((e) => e.type === 'hook-state');
  assert.ok(hook?.type === 'hook-state' && hook.gated && hook.status === 'AWAITING_ACTION' && hook.stage === 'POST_TEST_TRAFFIC_SHIFT');
  const bakes = events.flatMap((e) => (e.type === 'bake-progress' ? [[e.kind, e.remainingMs]] : []));
  assert.deepEqual(bakes, [['final', 120_000]], 'counted down once a minute, not every poll');
  const weights = events.flatMap((e) => (e.type === 'service-deployment-progress' ? [e.revisions.map((r) => `${r.role}:${r.productionWeight}/${r.testWeight}`).join(' ')] : []));
  assert.ok(weights.includes('target:0/100 source:100/0'));
  assert.ok(weights.includes('target:100/100 source:0/0'));
  assert.equal(types.at(-1), 'deployment-completed');
});

test('blue/green: a failing gate is retried at its interval, then answered ROLLBACK; the deploy reports rolled back with the gate reason', async () => {
  const failing = { ok: false, summary: 'GET http://127.0.0.1:9/health answered 503, expected 200', lines: ['GET http://127.0.0.1:9/health -> 503'] };
  const ports = fakePorts(blueGreenService(), undefined, new FakeGateChecks([failing]));
  script(ports.ecs, [look({ stage: 'POST_TEST_TRAFFIC_SHIFT', test: 100, hooks: awaiting() })], {
    CONTINUE: [],
    ROLLBACK: [
      look({ status: 'ROLLBACK_IN_PROGRESS', stage: 'TEST_TRAFFIC_SHIFT', test: 0 }),
      look({ status: 'ROLLBACK_SUCCESSFUL', stage: 'CLEAN_UP', fields: { rollback: { reason: 'ContinueServiceDeployment ROLLBACK', serviceRevisionArn: BLUE_REV } } }),
    ],
  });
  const { result, events, types, clock } = await run(ports);

  assert.equal(result.outcome, 'rolled-back');
  assert.match(result.reason ?? '', /^gate smoke failed after 3 attempts: GET .* answered 503, expected 200$/);
  assert.equal(ports.gates.attempts.length, 3);
  assert.deepEqual(clock.sleeps.slice(0, 2), [2000, 2000], 'retries wait the gate interval on the injected clock');
  assert.deepEqual(ports.ecs.writes.at(-1), { op: 'continueServiceDeployment', serviceDeploymentArn: SD, hookId: 'hook-1', action: 'ROLLBACK' });
  assert.equal(events.filter((e) => e.type === 'gate-attempt-failed').length, 3);
  assert.ok(types.includes('gate-failed'));
  assert.ok(types.includes('service-deployment-rolling-back'));
  assert.equal(types.at(-1), 'deployment-rolled-back');
});

test('canary: an alarm rollback is rolled back (3), not aborted, even when ECS passes through ROLLBACK_REQUESTED', async () => {
  // The alarm exists and is OK when the deploy starts (the preflight reads it), then fires during the canary.
  const ports = fakePorts(blueGreenService(), undefined, undefined, new FakeMetrics([], [[{ AlarmName: 'web-5xx', StateValue: 'OK' }]]));
  const alarm = { alarms: { status: 'TRIGGERED' as const, alarmNames: ['web-5xx'], triggeredAlarmNames: ['web-5xx'] } };
  script(
    ports.ecs,
    [
      look({ stage: 'PRODUCTION_TRAFFIC_SHIFT', prod: 10 }, 'CANARY'),
      look({ status: 'ROLLBACK_REQUESTED', stage: 'PRODUCTION_TRAFFIC_SHIFT', prod: 10, fields: alarm }, 'CANARY'),
      look({ status: 'ROLLBACK_SUCCESSFUL', stage: 'CLEAN_UP', fields: { ...alarm, rollback: { reason: 'alarm web-5xx in ALARM' } } }, 'CANARY'),
    ],
    { CONTINUE: [], ROLLBACK: [] },
  );
  const { result, events } = await run(ports, request({ strategy: 'canary', strategyConfig: { ...SMOKE, gates: [], canary: { percent: 10, bake: '3m' }, alarms: { names: ['web-5xx'] } } }));
  assert.equal(result.outcome, 'rolled-back');
  assert.equal(result.reason, 'alarm web-5xx in ALARM');
  const update = ports.ecs.writes[1];
  assert.ok(update?.op === 'startDeployment');
  assert.deepEqual(update.request.deploymentConfiguration?.canaryConfiguration, { canaryPercent: 10, canaryBakeTimeInMinutes: 3 });
  assert.deepEqual(update.request.deploymentConfiguration?.alarms, { alarmNames: ['web-5xx'], enable: true, rollback: true });
  assert.ok(events.some((e) => e.type === 'bake-progress' && e.kind === 'step' && e.remainingMs === 180_000), 'the canary step bake is counted down');
});

test('an operator abort (StopServiceDeployment ROLLBACK) ends the deploy aborted, rolled back', async () => {
  const ports = fakePorts(blueGreenService());
  script(
    ports.ecs,
    [
      look({ stage: 'BAKE_TIME', prod: 100, test: 100 }),
      look({ status: 'ROLLBACK_REQUESTED', stage: 'BAKE_TIME', prod: 100, test: 100 }),
      look({ status: 'ROLLBACK_IN_PROGRESS', stage: 'PRODUCTION_TRAFFIC_SHIFT', prod: 0, test: 100 }),
      look({ status: 'ROLLBACK_SUCCESSFUL', stage: 'CLEAN_UP', fields: { statusReason: 'Service deployment rolled back by StopServiceDeployment.' } }),
    ],
    { CONTINUE: [], ROLLBACK: [] },
  );
  const { result, types } = await run(ports, request({ strategyConfig: { ...SMOKE, gates: [] } }));
  assert.equal(result.outcome, 'aborted');
  assert.match(result.message, /was aborted and rolled back to web:3: Service deployment rolled back by StopServiceDeployment\./);
  assert.equal(types.at(-1), 'deployment-aborted');
  assert.deepEqual(ports.ecs.writes.map((w) => w.op), ['registerRevision', 'startDeployment']);
});

test('an abort seen only in the reason (ROLLBACK_REQUESTED came and went between two looks) is still aborted', async () => {
  const ports = fakePorts(blueGreenService());
  script(
    ports.ecs,
    [look({ stage: 'SCALE_UP' }), look({ status: 'ROLLBACK_SUCCESSFUL', stage: 'CLEAN_UP', fields: { statusReason: 'Service deployment rolled back because of a StopServiceDeployment request.' } })],
    { CONTINUE: [], ROLLBACK: [] },
  );
  const { result } = await run(ports, request({ strategyConfig: { ...SMOKE, gates: [] } }));
  assert.equal(result.outcome, 'aborted');
});

test('STOPPED after STOP_REQUESTED is aborted without rollback; ROLLBACK_FAILED is failed; STOPPED alone is failed', async (t) => {
  const cases: Array<{ name: string; looks: ServiceDeployment[]; outcome: string; message: RegExp }> = [
    { name: 'abort', looks: [look({ status: 'STOP_REQUESTED', stage: 'SCALE_UP' }), look({ status: 'STOPPED', stage: 'SCALE_UP' })], outcome: 'aborted', message: /aborted and left where it stopped/ },
    { name: 'rollback failed', looks: [look({ status: 'ROLLBACK_IN_PROGRESS' }), look({ status: 'ROLLBACK_FAILED', fields: { statusReason: 'tasks failed to start' } })], outcome: 'failed', message: /tasks failed to start; the rollback failed too/ },
    { name: 'stopped', looks: [look({ status: 'STOPPED', fields: { statusReason: 'superseded' } })], outcome: 'failed', message: /not rolled back: superseded/ },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const ports = fakePorts(blueGreenService());
      script(ports.ecs, c.looks, { CONTINUE: [], ROLLBACK: [] });
      const { result } = await run(ports, request({ strategyConfig: { ...SMOKE, gates: [] } }));
      assert.equal(result.outcome, c.outcome);
      assert.match(result.message, c.message);
    });
  }
});

test('linear: a PRE_PRODUCTION_TRAFFIC_SHIFT gate runs before every step, each stop answered once', async () => {
  const ports = fakePorts(blueGreenService());
  const pre = (prod: number): ServiceDeployment => look({ stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', prod, hooks: awaiting() }, 'LINEAR');
  let step = 0;
  const steps = [pre(0), pre(0), pre(50), pre(50)];
  ports.ecs.steps = Array.from({ length: 50 }, () => (fake: FakeEcs) => {
    const next = steps.shift();
    if (next) fake.serviceDeployment = next;
  });
  ports.ecs.onContinue = (fake) => {
    step += 1;
    if (step === 1) fake.serviceDeployment = look({ stage: 'PRODUCTION_TRAFFIC_SHIFT', prod: 50 }, 'LINEAR');
    else steps.push(look({ stage: 'BAKE_TIME', prod: 100 }, 'LINEAR'), look({ status: 'SUCCESSFUL', stage: 'CLEAN_UP', prod: 100 }, 'LINEAR'));
  };
  const gate: StrategyConfig = { ...SMOKE, gates: [{ stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', name: 'step-check', command: { run: 'true' } }] };
  const { result } = await run(ports, request({ strategy: 'linear', strategyConfig: { ...gate, linear: { stepPercent: 50, stepBake: '1m' } } }));
  assert.equal(result.outcome, 'succeeded');
  assert.equal(ports.gates.attempts.length, 2, 'once at 0%, once at 50%');
  assert.deepEqual(ports.ecs.writes.filter((w) => w.op === 'continueServiceDeployment').map((w) => w.op === 'continueServiceDeployment' && w.action), ['CONTINUE', 'CONTINUE']);
});

test('a PAUSE hook without a tool gate waits for promote or abort and is left alone', async () => {
  const ports = fakePorts(blueGreenService());
  script(ports.ecs, [look({ stage: 'POST_SCALE_UP', hooks: awaiting('user-hook') })], { CONTINUE: [], ROLLBACK: [] });
  const { result, events } = await run(ports, request({ timeoutMs: 5000 }));
  assert.equal(result.outcome, 'timed-out');
  const hooks = events.filter((e) => e.type === 'hook-state');
  assert.equal(hooks.length, 1, 'reported once, not every poll');
  assert.ok(hooks[0]?.type === 'hook-state' && !hooks[0].gated);
  assert.equal(ports.ecs.writes.some((w) => w.op === 'continueServiceDeployment'), false);
});

test('strategy preflight: a service without advancedConfiguration and no rules in the file fails naming the fields; nothing is written', async () => {
  const ports = fakePorts(blueGreenService());
  await assert.rejects(run(ports, request({ strategyConfig: { testListenerRule: TEST_RULE } })), (err: unknown) => {
    assert.ok(err instanceof RolloutError && err.code === 'PreflightFailed');
    assert.match(err.message, /blue-green needs strategy\.alternateTargetGroup, strategy\.productionListenerRule and strategy\.loadBalancerRole in ecs-rollout\.yaml/);
    return true;
  });
  assert.deepEqual(ports.ecs.writes, []);
});

test('listener rules come from the service when present; the user\'s own hooks stay and old tool hooks are replaced', async () => {
  const ecs = blueGreenService();
  const service = ecs.service;
  assert.ok(service);
  service.loadBalancers = [{ targetGroupArn: TG_BLUE, containerName: 'app', containerPort: 8080, advancedConfiguration: { alternateTargetGroupArn: TG_GREEN, productionListenerRule: PROD_RULE, roleArn: 'arn:aws:iam::1:role/elb' } }];
  service.deploymentConfiguration = {
    strategy: 'BLUE_GREEN',
    bakeTimeInMinutes: 7,
    lifecycleHooks: [
      { targetType: 'AWS_LAMBDA', hookTargetArn: 'arn:aws:lambda:us-east-1:1:function:warm', lifecycleStages: ['POST_SCALE_UP'] },
      { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], hookDetails: { managedBy: 'ecs-rollout' } },
    ],
  };
  const ports = fakePorts(ecs);
  script(ecs, [look({ status: 'SUCCESSFUL' })], { CONTINUE: [], ROLLBACK: [] });
  await run(ports, request({ strategyConfig: {} }));
  const update = ports.ecs.writes[1];
  assert.ok(update?.op === 'startDeployment');
  assert.equal(update.request.loadBalancers, undefined, 'unchanged load balancers are not sent');
  assert.equal(update.request.deploymentConfiguration?.bakeTimeInMinutes, 7);
  assert.deepEqual(update.request.deploymentConfiguration?.lifecycleHooks, [{ targetType: 'AWS_LAMBDA', hookTargetArn: 'arn:aws:lambda:us-east-1:1:function:warm', lifecycleStages: ['POST_SCALE_UP'] }]);
});

test('no --strategy, or rolling on a rolling service, sends no deployment configuration (rolling as before)', async () => {
  for (const strategy of [undefined, 'rolling' as const]) {
    const ports = fakePorts();
    ports.ecs.steps = [(fake) => fake.setDeployments([{ id: fake.newDeploymentId, status: 'PRIMARY', taskDefinition: fake.service?.taskDefinition, rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2, pendingCount: 0, failedTasks: 0 }])];
    const { result } = await run(ports, request({ strategy, strategyConfig: undefined }));
    assert.equal(result.outcome, 'succeeded');
    const update = ports.ecs.writes[1];
    assert.ok(update?.op === 'startDeployment');
    assert.deepEqual(Object.keys(update.request).sort(), ['cluster', 'service', 'taskDefinitionArn']);
  }
});

test('canary and linear need a load balancer', async () => {
  const ports = fakePorts();
  await assert.rejects(run(ports, request({ strategy: 'canary' })), /canary needs a load balancer: service web has none/);
  assert.deepEqual(ports.ecs.writes, []);
});

// A hook that timed out with ROLLBACK, or a Lambda hook that answered FAILED: ECS rolls back on its own, through ROLLBACK_REQUESTED.
const HOOK_ROLLBACKS = [
  { what: 'a hook that timed out with ROLLBACK', stage: 'POST_SCALE_UP', hook: { hookId: 'h', targetType: 'PAUSE' as const, status: 'TIMED_OUT' as const, timeoutAction: 'ROLLBACK' as const }, why: 'timed out' },
  { what: 'a Lambda hook that FAILED', stage: 'POST_TEST_TRAFFIC_SHIFT', hook: { hookId: 'h', targetType: 'AWS_LAMBDA' as const, status: 'FAILED' as const }, why: 'failed' },
];

for (const { what, stage, hook, why } of HOOK_ROLLBACKS) {
  test(`${what} passes through ROLLBACK_REQUESTED but is a rollback (3), not an abort`, async () => {
    const ports = fakePorts(blueGreenService());
    const reason = `Service deployment rolled back because lifecycle hook h ${why}.`;
    script(
      ports.ecs,
      [look({ status: 'ROLLBACK_REQUESTED', stage, hooks: [hook] }), look({ status: 'ROLLBACK_SUCCESSFUL', stage: 'CLEAN_UP', hooks: [hook], fields: { statusReason: reason } })],
      { CONTINUE: [], ROLLBACK: [] },
    );
    const { result } = await run(ports, request({ strategyConfig: { ...SMOKE, gates: [] } }));
    assert.equal(result.outcome, 'rolled-back');
    assert.equal(result.reason, reason);
  });
}

test('--strategy rolling on a blue/green service switches it back and drops its hooks (ECS refuses hooks with ROLLING)', async () => {
  const ports = fakePorts();
  const service = ports.ecs.service;
  assert.ok(service);
  service.deploymentConfiguration = { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'], hookDetails: { managedBy: 'ecs-rollout' } }] };
  ports.ecs.steps = [(fake) => fake.setDeployments([{ id: fake.newDeploymentId, status: 'PRIMARY', taskDefinition: fake.service?.taskDefinition, rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2, pendingCount: 0, failedTasks: 0 }])];
  const { result } = await run(ports, request({ strategy: 'rolling', strategyConfig: undefined }));
  assert.equal(result.outcome, 'succeeded');
  assert.equal(result.strategy, 'ROLLING');
  const update = ports.ecs.writes[1];
  assert.ok(update?.op === 'startDeployment');
  assert.deepEqual(update.request.deploymentConfiguration, { strategy: 'ROLLING', bakeTimeInMinutes: 5, lifecycleHooks: [] });
  assert.equal(update.request.loadBalancers, undefined);
});

test('a strategy block without a type configures the strategy the service already has', async () => {
  const ecs = blueGreenService();
  const service = ecs.service;
  assert.ok(service);
  service.deploymentConfiguration = { strategy: 'LINEAR', linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 1 } };
  const ports = fakePorts(ecs);
  script(ecs, [look({ status: 'SUCCESSFUL' }, 'LINEAR')], { CONTINUE: [], ROLLBACK: [] });
  const { result, events } = await run(ports, request({ strategy: undefined, strategyConfig: { ...SMOKE, gates: [], bake: '1m' } }));
  assert.equal(result.outcome, 'succeeded');
  assert.equal(result.strategy, 'LINEAR');
  const update = ports.ecs.writes[1];
  assert.ok(update?.op === 'startDeployment');
  assert.deepEqual(update.request.deploymentConfiguration?.linearConfiguration, { stepPercent: 20, stepBakeTimeInMinutes: 1 });
  assert.ok(events.some((e) => e.type === 'preflight-passed' && e.check === 'strategy' && e.message === 'service web can run linear (its current strategy)'));
});

test('promotableBake: ECS bakes 0 and a PAUSE hook at POST_PRODUCTION_TRAFFIC_SHIFT times out into CONTINUE after the bake; gates never answer it', async () => {
  const ecs = blueGreenService();
  const ports = fakePorts(ecs);
  const config: StrategyConfig = { ...SMOKE, bake: '20m', promotableBake: true, gates: [{ stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', name: 'smoke', command: { run: 'true' } }] };
  const bakeHold: DeploymentLifecycleHookDetail = { hookId: 'bake', targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'CONTINUE', expiresAt: new Date(T0 + 1_200_000) };
  const gateHold: DeploymentLifecycleHookDetail = { hookId: 'gate', targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK', expiresAt: new Date(T0 + 3_600_000) };
  const withHooks = (hooks: DeploymentLifecycleHookDetail[], status?: ServiceDeployment['status']): ServiceDeployment => {
    const base = look({ stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', prod: 100, test: 100, hooks, ...(status ? { status } : {}) });
    return { ...base, deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'], hookDetails: { managedBy: 'ecs-rollout', purpose: 'bake' }, timeoutConfiguration: { timeoutInMinutes: 20, action: 'CONTINUE' } }] } };
  };
  // ECS shows both hooks waiting; after the gate's CONTINUE only the bake holds, until its timeout lets the deployment finish.
  script(ecs, [withHooks([gateHold, bakeHold])], { CONTINUE: [withHooks([bakeHold]), withHooks([bakeHold]), withHooks([], 'SUCCESSFUL')], ROLLBACK: [] });
  const { result, events } = await run(ports, request({ strategyConfig: config }));
  const update = ports.ecs.writes[1];
  assert.ok(update?.op === 'startDeployment');
  assert.equal(update.request.deploymentConfiguration?.bakeTimeInMinutes, 0);
  assert.deepEqual(update.request.deploymentConfiguration?.lifecycleHooks?.at(-1), {
    targetType: 'PAUSE', lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'], hookDetails: { managedBy: 'ecs-rollout', purpose: 'bake' }, timeoutConfiguration: { timeoutInMinutes: 20, action: 'CONTINUE' },
  });
  const continued = ports.ecs.writes.filter((w) => w.op === 'continueServiceDeployment');
  assert.deepEqual(continued.map((w) => w.op === 'continueServiceDeployment' && w.hookId), ['gate'], 'the gate answered its own hook; the bake hook was left to ECS');
  const bake = events.find((e) => e.type === 'bake-progress');
  assert.ok(bake?.type === 'bake-progress');
  assert.equal(bake.endsAt, new Date(T0 + 1_200_000).toISOString(), 'the bake ends when ECS said the hook expires');
  assert.equal(result.outcome, 'succeeded');
});

test('promotableBake without bake is a config error naming both fields; nothing is written', async () => {
  const ports = fakePorts(blueGreenService());
  await assert.rejects(run(ports, request({ strategyConfig: { ...SMOKE, bake: undefined, promotableBake: true } })), (err: RolloutError) => err.code === 'InvalidConfig' && /strategy\.promotableBake needs strategy\.bake/.test(err.message));
  assert.deepEqual(ports.ecs.writes.filter((w) => w.op === 'startDeployment'), []);
});

test('strategy.hooks replace the service\'s own hooks: Lambda with role, details and timeout, and a PAUSE approval', async () => {
  const ecs = blueGreenService();
  const service = ecs.service;
  assert.ok(service);
  service.deploymentConfiguration = { strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'AWS_LAMBDA', hookTargetArn: 'arn:aws:lambda:us-east-1:1:function:old', lifecycleStages: ['POST_SCALE_UP'] }] };
  const ports = fakePorts(ecs);
  script(ecs, [look({ status: 'SUCCESSFUL' })], { CONTINUE: [], ROLLBACK: [] });
  const config: StrategyConfig = {
    ...SMOKE,
    gates: [],
    hooks: [
      { stages: ['TEST_TRAFFIC_SHIFT'], lambda: 'arn:aws:lambda:us-east-1:1:function:warm', role: 'arn:aws:iam::1:role/hooks', timeout: '90s', onTimeout: 'continue', details: { path: '/warm' } },
      { stages: ['POST_TEST_TRAFFIC_SHIFT'], pause: true, timeout: '2h' },
    ],
  };
  const { events } = await run(ports, request({ strategyConfig: config }));
  const update = ports.ecs.writes[1];
  assert.ok(update?.op === 'startDeployment');
  assert.deepEqual(update.request.deploymentConfiguration?.lifecycleHooks, [
    { targetType: 'AWS_LAMBDA', hookTargetArn: 'arn:aws:lambda:us-east-1:1:function:warm', roleArn: 'arn:aws:iam::1:role/hooks', lifecycleStages: ['TEST_TRAFFIC_SHIFT'], hookDetails: { path: '/warm' }, timeoutConfiguration: { timeoutInMinutes: 2, action: 'CONTINUE' } },
    { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 120 } },
  ]);
  const planned = events.find((e) => e.type === 'strategy-planned');
  assert.ok(planned?.type === 'strategy-planned');
  assert.ok(planned.notes.includes("strategy.hooks replaces the service's 1 lifecycle hook(s)"), planned.notes.join('\n'));
  assert.ok(planned.settings.includes('hook PAUSE (waits for ecs-rollout promote) at POST_TEST_TRAFFIC_SHIFT (times out after 2h: ROLLBACK)'), planned.settings.join('\n'));
});
