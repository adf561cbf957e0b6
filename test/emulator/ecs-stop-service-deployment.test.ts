import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ContinueServiceDeploymentCommand, DescribeServicesCommand, StopServiceDeploymentCommand, type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenStack, current, deploy, describe, follow, productionWeights, versionAt, type Stack } from './ecs-blue-green-stack.js';
import { eventually } from './ecs-fakes.js';

/**
 * StopServiceDeployment on ECS's own BLUE_GREEN, CANARY and LINEAR
 * deployments, caught in one stage each (a PAUSE hook, a canary or linear
 * step's bake).
 *
 * AWS documents ROLLBACK only: "ROLLBACK - This option rolls back the service
 * deployment to the previous service revision" (API reference and the SDK's
 * doc comment, whose stopType says "The valid values are ROLLBACK" while the
 * enum also has ABORT). From PENDING or IN_PROGRESS "the service deployment
 * moves to the ROLLBACK_REQUESTED state, and then the rollback operation
 * starts"; STOPPED, SUCCESSFUL, ROLLBACK_SUCCESSFUL and ROLLBACK_FAILED are
 * "Completed" and not in the list of states a deployment can be stopped in.
 * ABORT's effect is not documented: the emulator stops the deployment where
 * it is (STOP_REQUESTED, then STOPPED), leaving tasks and weights alone.
 *
 * The stack's first deployment put v1 in the alternate ("green") group, so
 * `stack.greenTg` is what serves production before these deployments and
 * `stack.blueTg` is where v2 goes.
 */

const COMPLETED = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

async function testWeights(stack: Stack): Promise<Map<string, number>> {
  const out = await stack.elbv2.send(new DescribeRulesCommand({ RuleArns: [stack.testRule] }));
  const groups = out.Rules?.[0]?.Actions?.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups ?? [];
  return new Map(groups.map((g) => [g.TargetGroupArn ?? '', g.Weight ?? 0]));
}

const stop = (stack: Stack, arn: string, stopType: 'ROLLBACK' | 'ABORT') =>
  stack.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType }));

async function until(stack: Stack, arn: string, what: string, check: (d: ServiceDeployment) => boolean, timeoutMs = 30_000): Promise<ServiceDeployment> {
  return eventually(what, async () => {
    const d = await describe(stack, arn);
    return check(d) ? d : undefined;
  }, timeoutMs);
}

const awaitingHook = (d: ServiceDeployment): boolean => d.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') ?? false;

async function service(stack: Stack) {
  const out = await stack.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }));
  const svc = out.services?.[0];
  assert.ok(svc, `service ${stack.service}`);
  return svc;
}

/** Several requests to production; every answer's version. */
async function productionVersions(stack: Stack, requests = 8): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < requests; i += 1) out.push(await versionAt(stack.productionUrl));
  return out;
}

/** The statuses a stopped-with-ROLLBACK deployment may show, in order, and nothing else. */
function assertRollbackStatuses(seen: Array<{ status: string }>): void {
  const order = ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'];
  const indexes = seen.map((s) => order.indexOf(s.status));
  assert.ok(indexes.every((i, n) => i >= 0 && (n === 0 || i >= (indexes[n - 1] ?? 0))), `rollback statuses in order: ${JSON.stringify(seen)}`);
  assert.equal(seen.at(-1)?.status, 'ROLLBACK_SUCCESSFUL');
}

test('StopServiceDeployment ROLLBACK while a PAUSE hook waits at POST_TEST_TRAFFIC_SHIFT: only the test route had v2; it goes back, production never served v2', async (t) => {
  const stack = await blueGreenStack(t, {
    strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0,
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 60, action: 'CONTINUE' } }],
  });
  const arn = await deploy(stack);
  const paused = await until(stack, arn, 'the PAUSE hook at POST_TEST_TRAFFIC_SHIFT', awaitingHook);
  assert.equal(paused.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
  assert.equal((await testWeights(stack)).get(stack.blueTg), 100, 'the test route serves v2 while paused');
  assert.equal((await productionWeights(stack)).get(stack.greenTg), 100);

  const answer = await stop(stack, arn, 'ROLLBACK');
  assert.equal(answer.serviceDeploymentArn, arn);
  // A second request while the rollback runs is accepted: "ROLLBACK_REQUESTED - The service deployment continues the rollback operation."
  await stop(stack, arn, 'ROLLBACK');
  const seen = await follow(stack, arn, (d) => COMPLETED.includes(d.status ?? ''));
  assertRollbackStatuses(seen);
  assert.ok(seen.every((s) => s.production <= 0), `production never moved: ${JSON.stringify(seen)}`);

  const record = await describe(stack, arn);
  assert.equal(record.targetServiceRevision?.requestedTestTrafficWeight, 0);
  assert.equal(record.lifecycleHookDetails?.[0]?.status, 'FAILED', 'the hook that was waiting is resolved by the rollback');
  assert.match(record.rollback?.reason ?? '', /StopServiceDeployment/);
  assert.ok(record.rollback?.startedAt instanceof Date);
  assert.ok(record.finishedAt instanceof Date);
  const production = await productionWeights(stack);
  assert.deepEqual([production.get(stack.greenTg), production.get(stack.blueTg)], [100, 0]);
  const test = await testWeights(stack);
  assert.deepEqual([test.get(stack.greenTg), test.get(stack.blueTg)], [100, 0], 'the test route is back on v1');
  assert.deepEqual(new Set(await productionVersions(stack)), new Set(['v1']));
  const svc = await service(stack);
  assert.match(svc.taskDefinition ?? '', /:1$/, 'the service runs the first revision again');
  assert.equal(svc.deployments?.length, 1);
  await eventually('the v2 tasks to be gone', async () => ((await service(stack)).runningCount === 2 || undefined), 10_000);
});

test('StopServiceDeployment ROLLBACK during a CANARY step: production goes from 90/10 back to 100% on the original group, then the canary tasks go', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 30 }, bakeTimeInMinutes: 0 });
  const arn = await deploy(stack);
  await until(stack, arn, 'the canary step', (d) => d.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && d.targetServiceRevision?.requestedProductionTrafficWeight === 10);
  const atCanary = await productionWeights(stack);
  assert.deepEqual([atCanary.get(stack.greenTg), atCanary.get(stack.blueTg)], [90, 10]);

  await stop(stack, arn, 'ROLLBACK');
  const seen = await follow(stack, arn, (d) => COMPLETED.includes(d.status ?? ''));
  assertRollbackStatuses(seen);
  assert.ok(seen.every((s) => s.production === 10 || s.production === 0), `production goes straight back, no further step: ${JSON.stringify(seen)}`);
  const productionBack = seen.findIndex((s) => s.production === 0);
  const testBack = seen.findIndex((s) => s.test === 0);
  assert.ok(productionBack >= 0 && testBack >= productionBack, `production back before test: ${JSON.stringify(seen)}`);

  const production = await productionWeights(stack);
  assert.deepEqual([production.get(stack.greenTg), production.get(stack.blueTg)], [100, 0]);
  assert.deepEqual(new Set(await productionVersions(stack)), new Set(['v1']));
  const record = await describe(stack, arn);
  assert.equal(record.targetServiceRevision?.requestedProductionTrafficWeight, 0);
  assert.equal(record.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight, 100);
  assert.match(record.rollback?.reason ?? '', /StopServiceDeployment/);
  assert.match((await service(stack)).taskDefinition ?? '', /:1$/);
});

test('StopServiceDeployment ROLLBACK during a LINEAR step at 50%: production goes back to the original group in one move, not step by step', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 3 }, bakeTimeInMinutes: 0 });
  // Three minutes per step are 3.6 s of real time at speed 50: time enough to catch the 50% step.
  const arn = await deploy(stack);
  await until(stack, arn, 'the 50% step', (d) => d.targetServiceRevision?.requestedProductionTrafficWeight === 50);
  const at50 = await productionWeights(stack);
  assert.deepEqual([at50.get(stack.greenTg), at50.get(stack.blueTg)], [50, 50]);

  await stop(stack, arn, 'ROLLBACK');
  const seen = await follow(stack, arn, (d) => COMPLETED.includes(d.status ?? ''));
  assertRollbackStatuses(seen);
  assert.ok(seen.every((s) => s.production === 50 || s.production === 0), `no step up or down after the stop: ${JSON.stringify(seen)}`);
  const production = await productionWeights(stack);
  assert.deepEqual([production.get(stack.greenTg), production.get(stack.blueTg)], [100, 0]);
  assert.deepEqual(new Set(await productionVersions(stack)), new Set(['v1']));
});

test('StopServiceDeployment ABORT at POST_SCALE_UP: STOPPED where it is; v2 tasks stay up, production and test routes stay on v1, the waiting hook ends FAILED and can no longer be continued', async (t) => {
  const stack = await blueGreenStack(t, {
    strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0,
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 60, action: 'CONTINUE' } }],
  });
  const arn = await deploy(stack);
  const paused = await until(stack, arn, 'the PAUSE hook at POST_SCALE_UP', awaitingHook);
  assert.equal(paused.lifecycleStage, 'POST_SCALE_UP');
  const hookId = paused.lifecycleHookDetails?.[0]?.hookId;

  assert.equal((await stop(stack, arn, 'ABORT')).serviceDeploymentArn, arn);
  const seen = await follow(stack, arn, (d) => COMPLETED.includes(d.status ?? ''));
  assert.ok(seen.every((s) => s.status === 'STOP_REQUESTED' || s.status === 'STOPPED'), `no rollback: ${JSON.stringify(seen)}`);
  const record = await describe(stack, arn);
  assert.equal(record.status, 'STOPPED');
  assert.ok(record.stoppedAt instanceof Date);
  assert.equal(record.rollback, undefined, 'ABORT is not a rollback');
  assert.equal(record.lifecycleStage, 'POST_SCALE_UP', 'stopped in the stage it was in');
  assert.deepEqual([record.targetServiceRevision?.requestedProductionTrafficWeight, record.targetServiceRevision?.requestedTestTrafficWeight], [0, 0]);

  // Stopped for good: still there a while later, while an IN_PROGRESS deployment would have moved the test route on by now.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const later = await describe(stack, arn);
  assert.deepEqual([later.status, later.lifecycleStage], ['STOPPED', 'POST_SCALE_UP']);
  const production = await productionWeights(stack);
  assert.deepEqual([production.get(stack.greenTg), production.get(stack.blueTg)], [100, 0]);
  const test = await testWeights(stack);
  assert.deepEqual([test.get(stack.greenTg), test.get(stack.blueTg)], [100, 0]);
  assert.deepEqual(new Set(await productionVersions(stack)), new Set(['v1']));
  const svc = await service(stack);
  assert.equal(svc.deployments?.length, 2, 'both revisions stay deployed');
  assert.equal(svc.runningCount, 4, 'two v1 tasks and the two v2 tasks SCALE_UP started');
  // The hook that was waiting shows what ContinueServiceDeployment then says: it waits for nothing any more.
  assert.equal(later.lifecycleHookDetails?.[0]?.status, 'FAILED');
  await assert.rejects(
    stack.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: 'CONTINUE' })),
    (err: Error) => err.name === 'InvalidParameterException' && err.message === `The lifecycle hook ${hookId} is not awaiting action.`,
  );
  await assert.rejects(stop(stack, arn, 'ROLLBACK'), (err: Error) => err.name === 'ConflictException', 'STOPPED is completed');
});

test('StopServiceDeployment ABORT during a CANARY step: STOPPED at 90/10; the canary bake running out does not move production on', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 2 }, bakeTimeInMinutes: 0 });
  // Two minutes are 2.4 s of real time at speed 50.
  const arn = await deploy(stack);
  await until(stack, arn, 'the canary step', (d) => d.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && d.targetServiceRevision?.requestedProductionTrafficWeight === 10);
  await stop(stack, arn, 'ABORT');
  const stopped = await until(stack, arn, 'the deployment to stop', (d) => COMPLETED.includes(d.status ?? ''), 10_000);
  assert.equal(stopped.status, 'STOPPED');
  assert.ok(stopped.stoppedAt instanceof Date);

  // Past the canary bake: a deployment still running would have gone to 100% by now.
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  const later = await describe(stack, arn);
  assert.deepEqual(
    [later.status, later.lifecycleStage, later.targetServiceRevision?.requestedProductionTrafficWeight, later.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight],
    ['STOPPED', 'PRODUCTION_TRAFFIC_SHIFT', 10, 90],
  );
  const production = await productionWeights(stack);
  assert.deepEqual([production.get(stack.greenTg), production.get(stack.blueTg)], [90, 10], 'ABORT leaves the canary split in place');
  assert.equal((await service(stack)).deployments?.length, 2);
});

test('StopServiceDeployment ABORT at PRE_SCALE_UP: STOPPED before any v2 task started, and none starts afterwards', async (t) => {
  const stack = await blueGreenStack(t, {
    strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0,
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 60, action: 'CONTINUE' } }],
  });
  const arn = await deploy(stack);
  await until(stack, arn, 'the PAUSE hook at PRE_SCALE_UP', awaitingHook);
  assert.equal((await service(stack)).runningCount, 2, 'only v1 runs before SCALE_UP');
  await stop(stack, arn, 'ABORT');
  const stopped = await until(stack, arn, 'the deployment to stop', (d) => COMPLETED.includes(d.status ?? ''), 10_000);
  assert.deepEqual([stopped.status, stopped.lifecycleStage], ['STOPPED', 'PRE_SCALE_UP']);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const svc = await service(stack);
  const v2 = svc.deployments?.find((d) => /:2$/.test(d.taskDefinition ?? ''));
  assert.ok(v2, `the v2 deployment is still listed: ${JSON.stringify(svc.deployments)}`);
  assert.equal(v2.runningCount, 0, 'no v2 task was started after the stop');
  assert.equal(svc.runningCount, 2);
  assert.equal(svc.pendingCount, 0);
});

test('StopServiceDeployment on a finished or unknown service deployment: ConflictException and ServiceDeploymentNotFoundException; the finished one is unchanged', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const finished = await current(stack);
  assert.equal(finished?.status, 'SUCCESSFUL');
  const arn = finished?.serviceDeploymentArn ?? '';
  for (const stopType of ['ROLLBACK', 'ABORT'] as const) {
    await assert.rejects(stop(stack, arn, stopType), (err: Error) => {
      assert.equal(err.name, 'ConflictException');
      assert.equal(err.message, 'The service deployment is SUCCESSFUL and can no longer be stopped.');
      return true;
    });
  }
  const after = await describe(stack, arn);
  assert.deepEqual([after.status, after.stoppedAt, after.rollback], ['SUCCESSFUL', undefined, undefined]);
  assert.deepEqual(new Set(await productionVersions(stack)), new Set(['v1']));
  await assert.rejects(stop(stack, `${arn.slice(0, arn.lastIndexOf('/'))}/0000000000000000000`, 'ROLLBACK'), (err: Error) => err.name === 'ServiceDeploymentNotFoundException');
});
