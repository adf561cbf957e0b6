import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deploy, type DeployRequest } from '../../src/engine/deploy.js';
import type { RolloutEvent } from '../../src/engine/events.js';
import { RolloutError } from '../../src/spec/errors.js';
import { deployment, FakeEcs, FakeImages, fakeClock, fakePorts, REPO_URI, T0, TD_ARN, taskDefinition } from './engine-fakes.js';

const OLD = 'ecs-svc/1000000000000000001';
const NEW = 'ecs-svc/2000000000000000002';
const ROLLBACK = 'ecs-svc/3000000000000000003';

function request(fields: Partial<DeployRequest> = {}): DeployRequest {
  return { cluster: 'prod', service: 'web', change: { image: `${REPO_URI}:v4` }, timeoutMs: 60_000, pollIntervalMs: 1000, ...fields };
}

async function run(ports: ReturnType<typeof fakePorts>, req = request()) {
  const events: RolloutEvent[] = [];
  const clock = fakeClock();
  const result = await deploy(ports, req, { clock, onEvent: (e) => events.push(e) });
  return { result, events, types: events.map((e) => e.type), clock };
}

test('a deployment that ECS completes registers one revision, updates the service once, and succeeds', async () => {
  const ports = fakePorts();
  ports.ecs.steps = [
    (ecs) => ecs.setDeployments([deployment(NEW, 'PRIMARY', 4, { pendingCount: 2 }), deployment(OLD, 'ACTIVE', 3, { runningCount: 2 })]),
    (ecs) => {
      ecs.setDeployments([deployment(NEW, 'PRIMARY', 4, { runningCount: 2 }), deployment(OLD, 'ACTIVE', 3, { runningCount: 0, desiredCount: 0 })]);
      ecs.addEvent('(service web) has started 2 tasks: (task a) (task b).', T0 + 1000);
    },
    (ecs) => ecs.setDeployments([deployment(NEW, 'PRIMARY', 4, { runningCount: 2, rolloutState: 'COMPLETED' })]),
  ];
  const { result, types, events } = await run(ports);

  assert.equal(result.outcome, 'succeeded');
  assert.equal(result.taskDefinitionArn, TD_ARN(4));
  assert.equal(result.deploymentId, NEW);
  assert.deepEqual(ports.ecs.writes.map((w) => w.op), ['registerRevision', 'startDeployment']);
  const [register, update] = ports.ecs.writes;
  assert.equal(register?.op, 'registerRevision');
  if (register?.op === 'registerRevision') {
    assert.equal(register.request.containerDefinitions?.[0]?.image, `${REPO_URI}:v4`);
    assert.deepEqual(register.request.tags, [{ key: 'team', value: 'payments' }]);
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy']) {
      assert.equal(field in register.request, false, `${field} must not be sent`);
    }
  }
  assert.deepEqual(update, { op: 'startDeployment', request: { cluster: 'prod', service: 'web', taskDefinitionArn: TD_ARN(4) } });
  assert.deepEqual(types.slice(0, 7), [
    'preflight-passed', 'preflight-passed', 'preflight-passed', 'preflight-passed', 'preflight-passed', 'revision-registered', 'service-updated',
  ]);
  assert.equal(types.at(-1), 'deployment-completed');
  assert.deepEqual(events.filter((e) => e.type === 'service-event').map((e) => e.type === 'service-event' && e.message), ['(service web) has started 2 tasks: (task a) (task b).']);
  assert.ok(types.includes('deployment-progress'));
});

test('--tag swaps only the tag of the current image and --desired-count is sent only when given', async () => {
  const ports = fakePorts();
  ports.ecs.steps = [(ecs) => ecs.setDeployments([deployment(NEW, 'PRIMARY', 4, { runningCount: 5, desiredCount: 5, rolloutState: 'COMPLETED' })])];
  const { result } = await run(ports, request({ change: { tag: 'v9' }, desiredCount: 5 }));
  assert.equal(result.image, `${REPO_URI}:v9`);
  assert.equal(ports.images.lookups[0]?.tag, 'v9');
  assert.deepEqual(ports.ecs.writes[1], { op: 'startDeployment', request: { cluster: 'prod', service: 'web', taskDefinitionArn: TD_ARN(4), desiredCount: 5 } });
});

test('a circuit-breaker rollback is followed to its end: rolled back, with events and stopped tasks', async () => {
  const ports = fakePorts();
  const stopped = {
    taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/aaaa',
    startedBy: NEW,
    taskDefinitionArn: TD_ARN(4),
    lastStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited' as const,
    stoppedReason: 'Essential container in task exited',
    containers: [{ name: 'app', exitCode: 1 }],
  };
  ports.ecs.steps = [
    (ecs) => {
      ecs.setDeployments([deployment(NEW, 'PRIMARY', 4, { pendingCount: 1, failedTasks: 1 }), deployment(OLD, 'ACTIVE', 3, { runningCount: 2 })]);
      ecs.stoppedTasks = [stopped];
    },
    (ecs) => {
      ecs.setDeployments([
        deployment(ROLLBACK, 'PRIMARY', 3, { runningCount: 2 }),
        deployment(NEW, 'ACTIVE', 4, { failedTasks: 3, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }),
      ]);
      ecs.addEvent('(service web) (deployment ecs-svc/2000000000000000002) deployment failed: tasks failed to start.', T0 + 2000);
    },
    (ecs) => ecs.setDeployments([deployment(ROLLBACK, 'PRIMARY', 3, { runningCount: 2, rolloutState: 'COMPLETED' })]),
  ];
  const { result, types } = await run(ports);
  assert.equal(result.outcome, 'rolled-back');
  assert.equal(result.rollbackDeploymentId, ROLLBACK);
  assert.equal(result.reason, 'ECS deployment circuit breaker: tasks failed to start.');
  assert.deepEqual(result.stoppedTasks.map((t) => [t.stopCode, t.containers[0]?.exitCode]), [['EssentialContainerExited', 1]]);
  assert.equal(result.serviceEvents.length, 1);
  const failedAt = types.indexOf('deployment-failed');
  assert.deepEqual(types.slice(failedAt, failedAt + 2), ['deployment-failed', 'rollback-started']);
  assert.equal(types.at(-1), 'deployment-rolled-back');
  assert.deepEqual(ports.ecs.writes.map((w) => w.op), ['registerRevision', 'startDeployment'], 'the engine itself never writes during a rollback');
});

test('a failed deployment without rollback ends as failed, not rolled back', async () => {
  const ports = fakePorts();
  const service = ports.ecs.service;
  if (service) service.deploymentConfiguration = { deploymentCircuitBreaker: { enable: true, rollback: false } };
  ports.ecs.steps = [
    (ecs) => ecs.setDeployments([deployment(NEW, 'PRIMARY', 4, { failedTasks: 3, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }), deployment(OLD, 'ACTIVE', 3, { runningCount: 2 })]),
  ];
  const { result, types } = await run(ports);
  assert.equal(result.outcome, 'failed');
  assert.match(result.message, /not rolled back: ECS deployment circuit breaker/);
  assert.equal(types.at(-1), 'deployment-failed');
});

test('a deployment that does not finish times out at the deadline, polling at the interval', async () => {
  const ports = fakePorts();
  const { result, types, clock } = await run(ports, request({ timeoutMs: 10_000, pollIntervalMs: 3000 }));
  assert.equal(result.outcome, 'timed-out');
  assert.match(result.message, /keeps going in ECS/);
  assert.deepEqual(clock.sleeps, [3000, 3000, 3000, 1000]);
  assert.equal(types.at(-1), 'deployment-timed-out');
});

test('tasks are described only when task counts change', async () => {
  const ports = fakePorts();
  const same = (ecs: FakeEcs): void => ecs.setDeployments([deployment(NEW, 'PRIMARY', 4, { pendingCount: 1 }), deployment(OLD, 'ACTIVE', 3, { runningCount: 2 })]);
  ports.ecs.steps = [same, same, same, same, (ecs) => ecs.setDeployments([deployment(NEW, 'PRIMARY', 4, { runningCount: 2, rolloutState: 'COMPLETED' })])];
  await run(ports);
  const afterUpdate = ports.ecs.reads.slice(ports.ecs.reads.indexOf('readTaskDefinition') + 1);
  assert.equal(afterUpdate.filter((r) => r === 'findService').length, 5);
  // The update response state, the steady state, and the completed state: three distinct counts.
  assert.equal(afterUpdate.filter((r) => r === 'findRunningTasks').length, 2);
});

test('preflight misses change nothing and name the fix', async (t) => {
  const cases: Array<{ name: string; setup: (p: ReturnType<typeof fakePorts>) => void; req?: Partial<DeployRequest>; message: RegExp }> = [
    { name: 'missing cluster', setup: (p) => { p.ecs.clusterStatus = undefined; }, message: /cluster prod does not exist .*MISSING/ },
    { name: 'missing service', setup: (p) => { p.ecs.service = undefined; }, message: /service web does not exist in cluster prod/ },
    { name: 'draining service', setup: (p) => { if (p.ecs.service) p.ecs.service.status = 'DRAINING'; }, message: /is DRAINING, not ACTIVE/ },
    {
      name: 'two containers, none named',
      setup: (p) => p.ecs.taskDefinitions.set(TD_ARN(3), { taskDefinition: taskDefinition(3, [{ name: 'app', image: 'a' }, { name: 'sidecar', image: 'b' }]), tags: [] }),
      message: /has 2 containers \(app, sidecar\); pass --container NAME/,
    },
    { name: 'unknown container', setup: () => {}, req: { container: 'api' }, message: /no container named api; its containers are: app/ },
    {
      name: 'image not in ECR',
      setup: (p) => { p.images = new FakeImages({ 'web:v4': { found: false, missing: 'image' } }); },
      message: /image web:v4 is not in ECR repository web; push it first/,
    },
    {
      name: 'repository not in ECR',
      setup: (p) => { p.images = new FakeImages({ 'web:v4': { found: false, missing: 'repository' } }); },
      message: /ECR repository web does not exist in account 123456789012 region us-east-1/,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const ports = fakePorts();
      c.setup(ports);
      const events: RolloutEvent[] = [];
      await assert.rejects(
        deploy(ports, request(c.req), { clock: fakeClock(), onEvent: (e) => events.push(e) }),
        (err: unknown) => err instanceof RolloutError && err.kind === 'user' && err.code === 'PreflightFailed' && c.message.test(err.message),
      );
      assert.deepEqual(ports.ecs.writes, []);
      assert.equal(events.at(-1)?.type, 'preflight-failed');
    });
  }
});

test('a non-ECR image is reported as not checked', async () => {
  const ports = fakePorts();
  ports.ecs.steps = [(ecs) => ecs.setDeployments([deployment(NEW, 'PRIMARY', 4, { runningCount: 2, rolloutState: 'COMPLETED' })])];
  const { events } = await run(ports, request({ change: { image: 'nginx:1.27' } }));
  const image = events.find((e) => e.type === 'preflight-passed' && e.check === 'image');
  assert.equal(image?.type === 'preflight-passed' && image.message, 'nginx:1.27 is not in ECR, existence not checked');
  assert.equal(ports.images.lookups.length, 0);
});

test('--dry-run runs preflight, plans the revision, and writes nothing', async () => {
  const ports = fakePorts();
  const { result, types } = await run(ports, request({ dryRun: true }));
  assert.equal(result.outcome, 'planned');
  assert.deepEqual(ports.ecs.writes, []);
  assert.equal(types.at(-1), 'revision-planned');
});

test('AWS failures say what was being done', async () => {
  const ports = fakePorts();
  ports.ecs.startDeployment = async () => {
    throw Object.assign(new Error('The container app does not exist in the task definition.'), { name: 'InvalidParameterException' });
  };
  await assert.rejects(deploy(ports, request(), { clock: fakeClock() }), (err: unknown) => {
    assert.ok(err instanceof RolloutError);
    assert.equal(err.kind, 'system');
    assert.equal(err.message, 'failed to update service web in cluster prod: InvalidParameterException: The container app does not exist in the task definition.');
    return true;
  });
});
