import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContinueDeploymentCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { eventually } from './ecs-fakes.js';
import { versionAt } from './ecs-blue-green-stack.js';
import {
  codeDeployStack, deploy, deployment, ended, eventStatuses, productionWeights, rejects, target, taskSetWeights, WAIT_MS, type Stack,
} from './codedeploy-stack.js';

/**
 * The waits ContinueDeployment ends, over real HTTP: deploymentReadyOption
 * STOP_DEPLOYMENT holds a deployment Ready with test traffic on the
 * replacement and production untouched, and the termination wait holds the
 * original task set after production has moved.
 */

const MINUTE_MS = 60_000;

const continueDeployment = (stack: Stack, id: string, wait?: 'READY_WAIT' | 'TERMINATION_WAIT') =>
  stack.codedeploy.send(new ContinueDeploymentCommand({ deploymentId: id, ...(wait ? { deploymentWaitType: wait } : {}) }));

const ready = (stack: Stack, id: string) => eventually(`deployment ${id} Ready`, async () => {
  const info = await deployment(stack, id);
  assert.ok(!['Succeeded', 'Failed', 'Stopped'].includes(info.status ?? ''), `deployment ended ${info.status}: ${JSON.stringify(info.errorInformation)}`);
  return info.status === 'Ready' ? info : undefined;
}, WAIT_MS);

test('STOP_DEPLOYMENT: Ready with test traffic on the replacement and production untouched until ContinueDeployment, then production moves', async (t) => {
  const stack = await codeDeployStack(t, { readyWaitMinutes: 60 });
  const id = await deploy(stack, stack.td2);
  await rejects(continueDeployment(stack, id), 'DeploymentIsNotInReadyStateException', new RegExp(`${id} has a status of (Created|InProgress)`));

  const info = await ready(stack, id);
  assert.deepEqual(info.deploymentOverview, { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 1 });
  assert.equal(await versionAt(stack.testUrl), 'v2');
  for (let i = 0; i < 4; i += 1) assert.equal(await versionAt(stack.url), 'v1');
  assert.equal((await productionWeights(stack)).get(stack.tg2) ?? 0, 0);
  const waiting = await target(stack, id);
  assert.equal(waiting.status, 'Ready');
  assert.deepEqual(eventStatuses(waiting), [
    'BeforeInstall:Succeeded', 'Install:Succeeded', 'AfterInstall:Succeeded', 'AllowTestTraffic:Succeeded', 'AfterAllowTestTraffic:Succeeded',
    'BeforeAllowTraffic:Pending', 'AllowTraffic:Pending', 'AfterAllowTraffic:Pending',
  ]);
  assert.deepEqual(taskSetWeights(waiting), [['Blue', 'PRIMARY', 100, `${stack.name}-1`], ['Green', 'ACTIVE', 0, `${stack.name}-2`]]);
  const listed = await stack.codedeploy.send(new ListDeploymentsCommand({ applicationName: stack.application, deploymentGroupName: stack.name, includeOnlyStatuses: ['Ready'] }));
  assert.deepEqual(listed.deployments, [id]);

  // Still Ready five runner ticks later: only ContinueDeployment moves it.
  const later = stack.emulator.clock.now() + 10_000;
  await eventually('ten virtual seconds', async () => (stack.emulator.clock.now() >= later ? true : undefined));
  assert.equal((await deployment(stack, id)).status, 'Ready');
  assert.equal(await versionAt(stack.url), 'v1');

  await rejects(continueDeployment(stack, id, 'TERMINATION_WAIT'), 'InvalidDeploymentWaitTypeException', /ready wait/);
  await rejects(continueDeployment(stack, id, 'SOON' as 'READY_WAIT'), 'InvalidDeploymentWaitTypeException', /SOON is invalid/);
  assert.deepEqual(await continueDeployment(stack, id, 'READY_WAIT').then((out) => Object.keys(out).filter((k) => k !== '$metadata')), []);
  const done = await ended(stack, id);
  assert.equal(done.status, 'Succeeded', JSON.stringify(done.errorInformation));
  for (let i = 0; i < 4; i += 1) assert.equal(await versionAt(stack.url), 'v2');
  assert.deepEqual(eventStatuses(await target(stack, id)).map((e) => e.split(':')[1]), Array(8).fill('Succeeded'));
  await rejects(continueDeployment(stack, id), 'DeploymentAlreadyCompletedException', new RegExp(id));
});

test('STOP_DEPLOYMENT: a ready wait that runs out stops the deployment; production never leaves the original, and the next deployment runs', async (t) => {
  const stack = await codeDeployStack(t, { readyWaitMinutes: 1 });
  const id = await deploy(stack, stack.td2);
  await ready(stack, id);
  const done = await ended(stack, id);
  assert.equal(done.status, 'Stopped');
  assert.equal(done.errorInformation?.code, 'TIMEOUT');
  assert.match(done.errorInformation?.message ?? '', /ready wait of 1 minutes/);
  assert.ok(done.startTime && done.completeTime);
  assert.ok(done.completeTime.getTime() - done.startTime.getTime() >= MINUTE_MS, 'the wait lasted its minute of virtual time');
  for (let i = 0; i < 4; i += 1) assert.equal(await versionAt(stack.url), 'v1');
  assert.equal((await productionWeights(stack)).get(stack.tg2) ?? 0, 0);
  // The group rolls back on DEPLOYMENT_FAILURE: the replacement goes, and a rollback deployment records it.
  await eventually('the replacement task set gone', async () => {
    const sets = await stack.taskSets();
    return sets.length === 1 && sets[0]?.id === stack.steadyOriginal.id ? true : undefined;
  }, WAIT_MS);
  const rollback = await deployment(stack, done.rollbackInfo?.rollbackDeploymentId ?? '');
  assert.deepEqual([rollback.status, rollback.creator, rollback.rollbackInfo?.rollbackTriggeringDeploymentId], ['Succeeded', 'codeDeployRollback', id]);
  const stopped = await target(stack, id);
  assert.equal(stopped.status, 'Failed');
  assert.deepEqual(eventStatuses(stopped).slice(4), ['AfterAllowTestTraffic:Succeeded', 'BeforeAllowTraffic:Skipped', 'AllowTraffic:Skipped', 'AfterAllowTraffic:Skipped']);
  await rejects(continueDeployment(stack, id), 'DeploymentAlreadyCompletedException', new RegExp(id));

  // The rollback leaves both target groups usable: the group deploys again, continued in time.
  const again = await deploy(stack, stack.td2);
  await ready(stack, again);
  await continueDeployment(stack, again);
  assert.equal((await ended(stack, again)).status, 'Succeeded');
  assert.equal(await versionAt(stack.url), 'v2');
});

test('ContinueDeployment TERMINATION_WAIT ends the termination wait at once: the original task set goes and the deployment succeeds', async (t) => {
  const stack = await codeDeployStack(t, { terminationWaitMinutes: 60 });
  const id = await deploy(stack, stack.td2);
  const waiting = await eventually('the termination wait', async () => {
    const info = await deployment(stack, id);
    return info.status === 'InProgress' && info.instanceTerminationWaitTimeStarted ? info : undefined;
  }, WAIT_MS);
  assert.deepEqual(waiting.deploymentOverview, { Pending: 0, InProgress: 0, Succeeded: 1, Failed: 0, Skipped: 0, Ready: 0 });
  const during = await target(stack, id);
  assert.equal(during.status, 'Succeeded', 'the target has succeeded; the deployment waits to terminate the original');
  assert.deepEqual(taskSetWeights(during), [['Blue', 'ACTIVE', 0, `${stack.name}-1`], ['Green', 'PRIMARY', 100, `${stack.name}-2`]]);
  assert.equal((await stack.taskSets()).length, 2);
  assert.equal(await versionAt(stack.url), 'v2');

  await rejects(continueDeployment(stack, id, 'READY_WAIT'), 'InvalidDeploymentWaitTypeException', /termination wait/);
  await continueDeployment(stack, id, 'TERMINATION_WAIT');
  const done = await deployment(stack, id);
  assert.equal(done.status, 'Succeeded');
  assert.ok(done.completeTime && done.completeTime.getTime() - (waiting.startTime?.getTime() ?? 0) < 60 * MINUTE_MS, 'well before the hour was out');
  await eventually('the original task set gone', async () => {
    const sets = await stack.taskSets();
    return sets.length === 1 && sets[0]?.id !== stack.steadyOriginal.id ? true : undefined;
  }, WAIT_MS);
  await rejects(continueDeployment(stack, id, 'TERMINATION_WAIT'), 'DeploymentAlreadyCompletedException', new RegExp(id));
  await rejects(continueDeployment(stack, 'd-AAAAAAAAA'), 'DeploymentDoesNotExistException', /d-AAAAAAAAA/);
  await rejects(continueDeployment(stack, 'nonsense'), 'InvalidDeploymentIdException', /nonsense/);
});
