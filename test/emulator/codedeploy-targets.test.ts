import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchGetDeploymentTargetsCommand, GetDeploymentTargetCommand, ListDeploymentTargetsCommand } from '@aws-sdk/client-codedeploy';
import { eventually } from './ecs-fakes.js';
import { codeDeployStack, deploy, ended, eventStatuses, productionWeights, rejects, target, taskSetWeights, WAIT_MS } from './codedeploy-stack.js';

/**
 * An ECS deployment's one target — the service, "<cluster>:<service>" — over
 * real HTTP: its lifecycle events as the deployment moves, and its two task
 * sets with the production traffic each carries.
 */

test('deployment targets during a canary: lifecycle events recorded as they run, and each task set\'s traffic weight', async (t) => {
  const stack = await codeDeployStack(t, { config: 'CodeDeployDefault.ECSCanary10Percent5Minutes' });
  const id = await deploy(stack, stack.td2);
  const targetId = `${stack.name}:${stack.name}`;
  await eventually('the 10% canary', async () => {
    const w = await productionWeights(stack);
    return w.get(stack.tg1) === 90 && w.get(stack.tg2) === 10 ? true : undefined;
  }, WAIT_MS);

  const listed = await stack.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id }));
  assert.deepEqual(listed.targetIds, [targetId]);
  assert.equal(listed.nextToken, undefined);
  const canary = await target(stack, id);
  assert.equal(canary.deploymentId, id);
  assert.equal(canary.targetId, targetId);
  assert.equal(canary.targetArn, stack.service?.serviceArn);
  assert.equal(canary.status, 'InProgress');
  assert.deepEqual(eventStatuses(canary), [
    'BeforeInstall:Succeeded', 'Install:Succeeded', 'AfterInstall:Succeeded', 'AllowTestTraffic:Succeeded', 'AfterAllowTestTraffic:Succeeded',
    'BeforeAllowTraffic:Succeeded', 'AllowTraffic:InProgress', 'AfterAllowTraffic:Pending',
  ]);
  const [beforeInstall, install] = canary.lifecycleEvents ?? [];
  assert.ok(install?.startTime && install.endTime && install.endTime > install.startTime, 'Install lasted until the replacement was steady');
  assert.ok(beforeInstall?.endTime && install.startTime >= beforeInstall.endTime);
  const allowTraffic = canary.lifecycleEvents?.[6];
  assert.ok(allowTraffic?.startTime && allowTraffic.endTime === undefined);
  assert.ok(canary.lastUpdatedAt && canary.lastUpdatedAt >= allowTraffic.startTime);
  assert.deepEqual(taskSetWeights(canary), [['Blue', 'PRIMARY', 90, `${stack.name}-1`], ['Green', 'ACTIVE', 10, `${stack.name}-2`]]);
  const green = canary.taskSetsInfo?.[1];
  assert.deepEqual([green?.desiredCount, green?.runningCount, green?.pendingCount], [2, 2, 0]);
  assert.deepEqual(new Set(canary.taskSetsInfo?.map((ts) => ts.identifer)), new Set((await stack.taskSets()).map((ts) => ts.id)));

  const batch = await stack.codedeploy.send(new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [targetId] }));
  assert.deepEqual(batch.deploymentTargets?.map((d) => [d.deploymentTargetType, d.ecsTarget?.targetId]), [['ECSTarget', targetId]]);
  const inProgress = await stack.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id, targetFilters: { TargetStatus: ['InProgress'] } }));
  assert.deepEqual(inProgress.targetIds, [targetId]);
  const failedOnly = await stack.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id, targetFilters: { TargetStatus: ['Failed'] } }));
  assert.deepEqual(failedOnly.targetIds, []);

  const done = await ended(stack, id);
  assert.equal(done.status, 'Succeeded');
  const after = await target(stack, id);
  assert.equal(after.status, 'Succeeded');
  assert.deepEqual(eventStatuses(after).map((e) => e.split(':')[1]), Array(8).fill('Succeeded'));
  assert.deepEqual(taskSetWeights(after), [['Blue', 'DRAINING', 0, `${stack.name}-1`], ['Green', 'PRIMARY', 100, `${stack.name}-2`]]);
  // The canary held its five minutes of virtual time.
  const shift = after.lifecycleEvents?.[6];
  assert.ok(shift?.startTime && shift.endTime && shift.endTime.getTime() - shift.startTime.getTime() >= 5 * 60_000);
  // Once the original task set is gone from ECS, the ended deployment's target still shows both.
  await eventually('the original task set gone', async () => ((await stack.taskSets()).length === 1 ? true : undefined), WAIT_MS);
  assert.deepEqual(taskSetWeights(await target(stack, id)), taskSetWeights(after));
});

test('deployment targets: the errors for targets that are missing, malformed or too many', async (t) => {
  const stack = await codeDeployStack(t);
  const id = await deploy(stack, stack.td2);
  const get = (targetId?: string) => stack.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId }));
  await eventually('the deployment started', async () => ((await stack.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id }))).targetIds?.length
    ? true
    : undefined), WAIT_MS);
  await rejects(get(), 'DeploymentTargetIdRequiredException', /not provided/);
  await rejects(get('not a target'), 'InvalidDeploymentTargetIdException', /not a target/);
  await rejects(get(`${stack.name}:other-service`), 'DeploymentTargetDoesNotExistException', new RegExp(`other-service does not belong to the deployment ${id}`));
  await rejects(stack.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: 'd-AAAAAAAAA', targetId: `${stack.name}:${stack.name}` })),
    'DeploymentDoesNotExistException', /d-AAAAAAAAA/);
  await rejects(stack.codedeploy.send(new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [] })), 'DeploymentTargetIdRequiredException', /not provided/);
  await rejects(stack.codedeploy.send(new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [`${stack.name}:${stack.name}`, 'a:b'] })),
    'DeploymentTargetListSizeExceededException', /exactly one item/);
  await rejects(stack.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id, targetFilters: { TargetStatus: ['Sleeping'] } })),
    'InvalidInstanceStatusException', /Sleeping/);
  await rejects(stack.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id, nextToken: 'more' })), 'InvalidNextTokenException', /next token/);
  await rejects(stack.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: undefined })), 'DeploymentIdRequiredException', /deployment ID/);
  assert.equal((await ended(stack, id)).status, 'Succeeded');
});
