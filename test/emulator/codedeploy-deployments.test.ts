import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateDeploymentCommand, CreateDeploymentConfigCommand, GetDeploymentCommand, ListDeploymentsCommand, PutLifecycleEventHookExecutionStatusCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateServiceCommand, CreateTaskSetCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { eventually } from './ecs-fakes.js';
import { versionAt } from './ecs-blue-green-stack.js';
import { appSpec, codeDeployStack, deploy, deployment, ended, productionWeights, rejects, target, WAIT_MS, type Stack } from './codedeploy-stack.js';

/**
 * CodeDeploy blue/green deployments of a CODE_DEPLOY ECS service over real
 * HTTP: real task processes in two task sets, two target groups, and a
 * production and a test listener whose forwards CodeDeploy moves.
 */

test('CODE_DEPLOY service: CreateService starts a PRIMARY original task set; task set calls are CodeDeploy\'s', async (t) => {
  const stack = await codeDeployStack(t);
  assert.deepEqual(stack.service?.deploymentController, { type: 'CODE_DEPLOY' });
  assert.equal(stack.service?.deployments, undefined);
  assert.equal(stack.service?.taskSets?.length, 1);
  const original = stack.steadyOriginal;
  assert.equal(original.status, 'PRIMARY');
  assert.equal(original.taskDefinition, stack.td1);
  assert.deepEqual(original.loadBalancers, [{ targetGroupArn: stack.tg1, containerName: 'app', containerPort: 8080 }]);
  assert.equal(original.scale?.value, 100);
  assert.equal(await versionAt(stack.url), 'v1');
  await rejects(stack.ecs.send(new CreateTaskSetCommand({ cluster: stack.name, service: stack.name, taskDefinition: stack.td2 })),
    'InvalidParameterException', /external deployment controllers/);
  await rejects(stack.ecs.send(new CreateServiceCommand({
    cluster: stack.name, serviceName: `${stack.name}-nolb`, taskDefinition: stack.td1, deploymentController: { type: 'CODE_DEPLOY' },
  })), 'InvalidParameterException', /exactly one load balancer/);
});

test('AllAtOnce: the replacement task set takes test then production traffic; the original goes after the termination wait', async (t) => {
  const stack = await codeDeployStack(t, { terminationWaitMinutes: 1 });
  const id = await deploy(stack, stack.td2);
  await rejects(deploy(stack, stack.td2), 'DeploymentLimitExceededException', new RegExp(`already has an active Deployment '${id}'`));
  const first = await deployment(stack, id);
  assert.ok(['Created', 'InProgress'].includes(first.status ?? ''), `status ${first.status}`);
  assert.equal(first.deploymentConfigName, 'CodeDeployDefault.ECSAllAtOnce');
  assert.equal(first.computePlatform, 'ECS');

  // During the termination wait: production on v2, the deployment still running, the original task set still there.
  await eventually('production on v2 while the original waits for termination', async () => {
    const info = await deployment(stack, id);
    const sets = await stack.taskSets();
    return info.status === 'InProgress' && sets.length === 2 && (await versionAt(stack.url)) === 'v2' ? true : undefined;
  }, WAIT_MS);
  assert.equal(await versionAt(stack.testUrl), 'v2');

  const done = await ended(stack, id);
  assert.equal(done.status, 'Succeeded');
  assert.ok(done.startTime && done.completeTime && done.completeTime >= done.startTime);
  const [replacement, ...others] = await eventually('the original task set gone', async () => {
    const sets = await stack.taskSets();
    return sets.length === 1 ? sets : undefined;
  }, WAIT_MS);
  assert.deepEqual(others, []);
  assert.notEqual(replacement?.id, stack.steadyOriginal.id);
  assert.equal(replacement?.status, 'PRIMARY');
  assert.equal(replacement?.externalId, id);
  assert.equal(replacement?.taskDefinition, stack.td2);
  assert.equal(replacement?.loadBalancers?.[0]?.targetGroupArn, stack.tg2);
  assert.deepEqual(await productionWeights(stack), new Map([[stack.tg1, 0], [stack.tg2, 100]]));
  for (let i = 0; i < 4; i += 1) assert.equal(await versionAt(stack.url), 'v2');
  const svc = (await stack.ecs.send(new DescribeServicesCommand({ cluster: stack.name, services: [stack.name] }))).services?.[0];
  assert.equal(svc?.taskDefinition, stack.td2);
  const listed = await stack.codedeploy.send(new ListDeploymentsCommand({ applicationName: stack.application, deploymentGroupName: stack.name }));
  assert.deepEqual(listed.deployments, [id]);
  const failedOnly = await stack.codedeploy.send(new ListDeploymentsCommand({ includeOnlyStatuses: ['Failed'] }));
  assert.deepEqual(failedOnly.deployments, []);

  // The next deployment goes the other way: from tg2 back to tg1.
  const td3 = await stack.definition('v1');
  const back = await deploy(stack, td3);
  assert.equal((await ended(stack, back)).status, 'Succeeded');
  await eventually('v1 back in production on tg1', async () => {
    const sets = await stack.taskSets();
    return sets.length === 1 && sets[0]?.loadBalancers?.[0]?.targetGroupArn === stack.tg1 && (await versionAt(stack.url)) === 'v1' ? true : undefined;
  }, WAIT_MS);
});

test('TimeBasedCanary: production holds the canary percentage for the interval, then moves the rest', async (t) => {
  const config = uniqueName('canary');
  const stack = await codeDeployStack(t);
  await stack.codedeploy.send(new CreateDeploymentConfigCommand({
    deploymentConfigName: config, computePlatform: 'ECS',
    trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 20, canaryInterval: 1 } },
  }));
  const id = (await stack.codedeploy.send(new CreateDeploymentCommand({
    applicationName: stack.application, deploymentGroupName: stack.name, deploymentConfigName: config,
    revision: { revisionType: 'String', string: { content: JSON.stringify({
      version: 0.0,
      Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: stack.td2, LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 } } } }],
    }) } },
  }))).deploymentId ?? '';
  await eventually('the canary weights', async () => {
    const w = await productionWeights(stack);
    return w.get(stack.tg1) === 80 && w.get(stack.tg2) === 20 ? true : undefined;
  }, WAIT_MS);
  assert.equal((await deployment(stack, id)).status, 'InProgress');
  const done = await ended(stack, id);
  assert.equal(done.status, 'Succeeded');
  assert.equal(done.deploymentConfigName, config);
  assert.deepEqual(await productionWeights(stack), new Map([[stack.tg1, 0], [stack.tg2, 100]]));
});

test('a replacement ECS cannot create fails the deployment and leaves production on the original task set', async (t) => {
  const stack = await codeDeployStack(t);
  const id = await deploy(stack, stack.td2, 9999);
  const done = await ended(stack, id);
  assert.equal(done.status, 'Failed');
  assert.equal(done.errorInformation?.code, 'ECS_UPDATE_ERROR');
  assert.match(done.errorInformation?.message ?? '', /container port 9999/);
  assert.ok(done.rollbackInfo?.rollbackMessage);
  const rollback = await deployment(stack, done.rollbackInfo?.rollbackDeploymentId ?? '');
  assert.deepEqual([rollback.status, rollback.creator, rollback.rollbackInfo?.rollbackTriggeringDeploymentId], ['Succeeded', 'codeDeployRollback', id]);
  const sets = await stack.taskSets();
  assert.deepEqual(sets.map((s) => [s.id, s.status]), [[stack.steadyOriginal.id, 'PRIMARY']]);
  assert.deepEqual(await productionWeights(stack), new Map([[stack.tg1, 100], [stack.tg2, 0]]));
  assert.equal(await versionAt(stack.url), 'v1');
  const failedOnly = await stack.codedeploy.send(new ListDeploymentsCommand({ includeOnlyStatuses: ['Failed'] }));
  assert.deepEqual(failedOnly.deployments, [id]);
});

test('CreateDeployment: bad revisions, and revisions and alarm overrides the emulator cannot run, are refused', async (t) => {
  const stack = await codeDeployStack(t);
  const create = (content: string) => stack.codedeploy.send(new CreateDeploymentCommand({
    applicationName: stack.application, deploymentGroupName: stack.name, revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
  }));
  await rejects(create(appSpec(stack.td2, 8080, 'Hooks:\n  - Install: "check"\n')), 'InvalidRevisionException', /Install is not a lifecycle event an ECS deployment can hook/);
  await rejects(create('Resources: []'), 'InvalidRevisionException', /exactly one resource/);
  await rejects(create('{ not: [yaml'), 'InvalidRevisionException', /not valid JSON or YAML/);
  await rejects(stack.codedeploy.send(new CreateDeploymentCommand({ applicationName: stack.application, deploymentGroupName: stack.name })),
    'RevisionRequiredException', /revision/);
  await rejects(stack.codedeploy.send(new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' })), 'DeploymentDoesNotExistException', /d-AAAAAAAAA/);
  await rejects(stack.codedeploy.send(new CreateDeploymentCommand({
    applicationName: stack.application, deploymentGroupName: stack.name, revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(stack.td2) } },
    overrideAlarmConfiguration: { enabled: true, alarms: [] },
  })), 'InvalidAlarmConfigException', /no alarm is named/);
  assert.deepEqual((await stack.codedeploy.send(new ListDeploymentsCommand({}))).deployments, []);
  assert.equal((await stack.taskSets()).length, 1);
});

interface HookCall {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

/**
 * A Lambda function (a local HTTP endpoint) that CodeDeploy invokes at hooks:
 * for each call it runs `onCall`, which reports the hook's status, then answers.
 */
async function hookFunction(t: Parameters<typeof startTestEmulator>[0], stack: Stack, onCall: (call: HookCall, index: number) => Promise<void>) {
  const calls: HookCall[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const call = JSON.parse(body) as HookCall;
      calls.push(call);
      onCall(call, calls.length - 1).then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('null'),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const lambda = new LambdaClient({ endpoint: stack.emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(async () => lambda.destroy());
  const name = uniqueName('hook');
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Role: 'arn:aws:iam::000000000000:role/hook', Code: {},
    Environment: { Variables: { ECS_ROLLOUT_LOCAL_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` } },
  }));
  return { name, calls };
}

const report = (stack: Stack, call: HookCall, status: 'Succeeded' | 'Failed') => stack.codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({
  deploymentId: call.DeploymentId, lifecycleEventHookExecutionId: call.LifecycleEventHookExecutionId, status,
}));

const HOOKS = ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'];

test('hooks: each lifecycle event hook is invoked in order and holds the deployment until it reports Succeeded', async (t) => {
  const stack = await codeDeployStack(t);
  const seen: Array<{ taskSets: number; production: string; test: string }> = [];
  const fn = await hookFunction(t, stack, async (call, index) => {
    // Before Install nothing is behind the test listener (tg2) yet.
    seen.push({ taskSets: (await stack.taskSets()).length, production: await versionAt(stack.url), test: index === 0 ? '' : await versionAt(stack.testUrl) });
    await report(stack, call, 'Succeeded');
  });
  const hooks = HOOKS.map((event) => `  - ${event}: "${fn.name}"`).join('\n');
  const id = (await stack.codedeploy.send(new CreateDeploymentCommand({
    applicationName: stack.application, deploymentGroupName: stack.name,
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(stack.td2, 8080, `Hooks:\n${hooks}\n`) } },
  }))).deploymentId ?? '';
  const done = await ended(stack, id);
  assert.equal(done.status, 'Succeeded', JSON.stringify(done.errorInformation));
  assert.equal(fn.calls.length, 5);
  assert.ok(fn.calls.every((c) => c.DeploymentId === id));
  assert.equal(new Set(fn.calls.map((c) => c.LifecycleEventHookExecutionId)).size, 5);
  assert.deepEqual(seen.map((s) => s.taskSets), [1, 2, 2, 2, 2], 'BeforeInstall runs before the replacement task set exists');
  assert.deepEqual(seen.slice(1).map((s) => [s.production, s.test]), [['v1', 'v2'], ['v1', 'v2'], ['v1', 'v2'], ['v2', 'v2']]);
  await rejects(report(stack, fn.calls[0] as HookCall, 'Succeeded'), 'LifecycleEventAlreadyCompletedException', /already completed/);
});

test('hooks: a hook reporting Failed fails the deployment and rolls production back to the original task set', async (t) => {
  const stack = await codeDeployStack(t);
  const fn = await hookFunction(t, stack, async (call) => {
    await rejects(stack.codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: call.DeploymentId, lifecycleEventHookExecutionId: 'not-this-one', status: 'Succeeded',
    })), 'InvalidLifecycleEventHookExecutionIdException', /not-this-one/);
    await report(stack, call, 'Failed');
  });
  const id = (await stack.codedeploy.send(new CreateDeploymentCommand({
    applicationName: stack.application, deploymentGroupName: stack.name,
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(stack.td2, 8080, `Hooks:\n  - AfterAllowTraffic: "${fn.name}"\n`) } },
  }))).deploymentId ?? '';
  const done = await ended(stack, id);
  assert.equal(done.status, 'Failed');
  assert.equal(done.errorInformation?.code, 'HOOK_EXECUTION_FAILURE');
  assert.match(done.errorInformation?.message ?? '', /AfterAllowTraffic/);
  assert.equal(fn.calls.length, 1);
  const events = (await target(stack, id)).lifecycleEvents ?? [];
  assert.deepEqual(events.map((e) => [e.lifecycleEventName, e.status]).slice(-2), [['AllowTraffic', 'Succeeded'], ['AfterAllowTraffic', 'Failed']]);
  assert.deepEqual(events.at(-1)?.diagnostics, { errorCode: 'ScriptFailed', scriptName: fn.name, message: done.errorInformation?.message });
  assert.deepEqual(await productionWeights(stack), new Map([[stack.tg1, 100], [stack.tg2, 0]]));
  for (let i = 0; i < 4; i += 1) assert.equal(await versionAt(stack.url), 'v1');
  const sets = await eventually('the replacement task set gone', async () => {
    const all = await stack.taskSets();
    return all.length === 1 ? all : undefined;
  }, WAIT_MS);
  assert.deepEqual(sets.map((s) => [s.id, s.status]), [[stack.steadyOriginal.id, 'PRIMARY']]);
  await rejects(report(stack, fn.calls[0] as HookCall, 'Succeeded'), 'LifecycleEventAlreadyCompletedException', /already completed/);
});

test('hooks: a hook naming no function fails the deployment', async (t) => {
  const stack = await codeDeployStack(t);
  const id = (await stack.codedeploy.send(new CreateDeploymentCommand({
    applicationName: stack.application, deploymentGroupName: stack.name,
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(stack.td2, 8080, 'Hooks:\n  - BeforeInstall: "no-such-function"\n') } },
  }))).deploymentId ?? '';
  const done = await ended(stack, id);
  assert.equal(done.status, 'Failed');
  assert.equal(done.errorInformation?.code, 'HOOK_EXECUTION_FAILURE');
  assert.match(done.errorInformation?.message ?? '', /no-such-function does not exist/);
  assert.deepEqual((await stack.taskSets()).map((s) => s.id), [stack.steadyOriginal.id]);
});

test('StopDeployment with autoRollbackEnabled mid-canary: Stopped, production back on the original, the replacement deleted', async (t) => {
  const stack = await codeDeployStack(t, { config: 'CodeDeployDefault.ECSCanary10Percent5Minutes' });
  const id = await deploy(stack, stack.td2);
  await eventually('the 10% canary', async () => {
    const w = await productionWeights(stack);
    return w.get(stack.tg1) === 90 && w.get(stack.tg2) === 10 ? true : undefined;
  }, WAIT_MS);
  const out = await stack.codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
  assert.equal(out.status, 'Succeeded');
  const done = await deployment(stack, id);
  assert.equal(done.status, 'Stopped');
  assert.equal(done.errorInformation?.code, 'MANUAL_STOP');
  // The rollback is a deployment of its own, newest in the group's list.
  const rollbackId = done.rollbackInfo?.rollbackDeploymentId ?? '';
  assert.match(rollbackId, /^d-[A-Z0-9]{9}$/);
  assert.notEqual(rollbackId, id);
  const listed = await stack.codedeploy.send(new ListDeploymentsCommand({ applicationName: stack.application, deploymentGroupName: stack.name }));
  assert.deepEqual(listed.deployments, [rollbackId, id]);
  const rollback = await deployment(stack, rollbackId);
  assert.deepEqual(
    [rollback.status, rollback.creator, rollback.rollbackInfo?.rollbackTriggeringDeploymentId, rollback.deploymentGroupName],
    ['Succeeded', 'codeDeployRollback', id, stack.name],
  );
  assert.deepEqual(await productionWeights(stack), new Map([[stack.tg1, 100], [stack.tg2, 0]]));
  const sets = await eventually('the replacement task set gone', async () => {
    const all = await stack.taskSets();
    return all.length === 1 ? all : undefined;
  }, WAIT_MS);
  assert.deepEqual(sets.map((s) => [s.id, s.status]), [[stack.steadyOriginal.id, 'PRIMARY']]);
  for (let i = 0; i < 4; i += 1) assert.equal(await versionAt(stack.url), 'v1');
  await rejects(stack.codedeploy.send(new StopDeploymentCommand({ deploymentId: id })), 'DeploymentAlreadyCompletedException', new RegExp(id));
});
