import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CreateClusterCommand, CreateServiceCommand, CreateTaskSetCommand, DeleteTaskSetCommand, DescribeServicesCommand, DescribeTasksCommand,
  DescribeTaskSetsCommand, ListTasksCommand, RegisterTaskDefinitionCommand, StopTaskCommand, UpdateServiceCommand,
  UpdateServicePrimaryTaskSetCommand, UpdateTaskSetCommand, type ECSClient, type Task, type TaskSet,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, DescribeTargetHealthCommand, ModifyListenerCommand, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createSampleTargetGroup, pushSampleVersions } from '../../examples/lib/sample-stack.js';
import { freePort } from '../../examples/lib/free-port.js';
import { startEmulator } from '../../src/emulator/index.js';
import { awsClients, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { eventually } from './ecs-fakes.js';
import { versionAt } from './ecs-blue-green-stack.js';

/**
 * Task sets of a service with the EXTERNAL deployment controller, over real
 * HTTP: real task processes per task set, each registered in its own target
 * group, and traffic through a listener that forwards to one of them.
 */

const SPEED = 50;
const WAIT_MS = 30_000;

async function rejects(call: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(call, (err: Error) => {
    assert.equal(err.name, name, `error name (message: ${err.message})`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

function created(ts: TaskSet | undefined): TaskSet & { id: string; taskSetArn: string } {
  assert.ok(ts?.id && ts.taskSetArn, 'CreateTaskSet returned a task set');
  return { ...ts, id: ts.id, taskSetArn: ts.taskSetArn };
}

async function taskSet(ecs: ECSClient, cluster: string, service: string, id: string): Promise<TaskSet | undefined> {
  return (await ecs.send(new DescribeTaskSetsCommand({ cluster, service, taskSets: [id] }))).taskSets?.[0];
}

async function liveTasks(ecs: ECSClient, cluster: string, startedBy: string): Promise<Task[]> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster, startedBy, desiredStatus: 'RUNNING' }))).taskArns ?? [];
  if (arns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? [];
}

async function healthyTargets(elbv2: ElasticLoadBalancingV2Client, targetGroupArn: string): Promise<number> {
  const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return (out.TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State === 'healthy').length;
}

async function steady(ecs: ECSClient, cluster: string, service: string, id: string, running: number): Promise<TaskSet> {
  return eventually(`task set ${id} steady with ${running} running`, async () => {
    const ts = await taskSet(ecs, cluster, service, id);
    return ts?.stabilityStatus === 'STEADY_STATE' && ts.runningCount === running ? ts : undefined;
  }, WAIT_MS);
}

test('EXTERNAL service: two task sets run their own tasks in their own target groups; primary swaps; delete drains', async (t) => {
  const { emulator, clients } = await startTestEmulator(t, { speed: SPEED });
  const { ecs, elbv2 } = clients;
  const name = uniqueName('ts');
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }]);
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Type: 'application', Subnets: ['subnet-local'] }));
  const tg1 = await createSampleTargetGroup(elbv2, `${name}-1`, { deregistrationDelaySeconds: 2 });
  const tg2 = await createSampleTargetGroup(elbv2, `${name}-2`, { deregistrationDelaySeconds: 2 });
  const port = await freePort();
  const listener = await elbv2.send(new CreateListenerCommand({
    LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg1 }],
  }));
  const url = `http://127.0.0.1:${port}/`;
  // A test listener on v2's target group, as CodeDeploy's blue/green wiring has: it also attaches the group to the load balancer.
  const testPort = await freePort();
  await elbv2.send(new CreateListenerCommand({
    LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn, Protocol: 'HTTP', Port: testPort, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg2 }],
  }));
  const testUrl = `http://127.0.0.1:${testPort}/`;
  const definition = async (tag: string): Promise<string> => (await ecs.send(new RegisterTaskDefinitionCommand({
    family: name,
    containerDefinitions: [{ name: 'app', image: images.get(tag), memory: 128, portMappings: [{ containerPort: 8080 }], stopTimeout: 2 }],
  }))).taskDefinition?.taskDefinitionArn ?? '';
  const td1 = await definition('v1');
  const td2 = await definition('v2');

  const service = (await ecs.send(new CreateServiceCommand({ cluster: name, serviceName: name, desiredCount: 2, deploymentController: { type: 'EXTERNAL' } }))).service;
  assert.deepEqual(service?.deploymentController, { type: 'EXTERNAL' });
  assert.deepEqual(service?.taskSets, []);
  assert.equal(service?.deployments, undefined);

  const set1 = created((await ecs.send(new CreateTaskSetCommand({
    cluster: name, service: name, taskDefinition: td1, externalId: 'blue', scale: { value: 100, unit: 'PERCENT' },
    loadBalancers: [{ targetGroupArn: tg1, containerName: 'app', containerPort: 8080 }], tags: [{ key: 'color', value: 'blue' }],
  }))).taskSet);
  assert.ok(set1.id.startsWith('ecs-svc/'), `task set id ${set1.id}`);
  assert.match(set1.taskSetArn ?? '', new RegExp(`:task-set/${name}/${name}/ecs-svc/\\d{19}$`));
  assert.equal(set1.status, 'ACTIVE');
  assert.equal(set1.computedDesiredCount, 2);
  assert.equal(set1.stabilityStatus, 'STABILIZING');
  assert.equal(set1.externalId, 'blue');
  const set2 = created((await ecs.send(new CreateTaskSetCommand({
    cluster: name, service: name, taskDefinition: td2, scale: { value: 50, unit: 'PERCENT' },
    loadBalancers: [{ targetGroupArn: tg2, containerName: 'app', containerPort: 8080 }],
  }))).taskSet);
  assert.equal(set2.computedDesiredCount, 1);

  await steady(ecs, name, name, set1.id, 2);
  await steady(ecs, name, name, set2.id, 1);
  const v1Tasks = await liveTasks(ecs, name, set1.id);
  const v2Tasks = await liveTasks(ecs, name, set2.id);
  assert.equal(v1Tasks.length, 2);
  assert.equal(v2Tasks.length, 1);
  assert.ok(v1Tasks.every((task) => task.taskDefinitionArn === td1 && task.group === `service:${name}`));
  assert.ok(v2Tasks.every((task) => task.taskDefinitionArn === td2));
  assert.equal(await healthyTargets(elbv2, tg1), 2);
  assert.equal(await healthyTargets(elbv2, tg2), 1);
  assert.equal(await versionAt(url), 'v1');
  assert.equal(await versionAt(testUrl), 'v2');

  // v2 to 100%: a second task in its own target group, and the listener moved to it serves v2.
  const scaled = (await ecs.send(new UpdateTaskSetCommand({ cluster: name, service: name, taskSet: set2.taskSetArn, scale: { value: 100, unit: 'PERCENT' } }))).taskSet;
  assert.equal(scaled?.computedDesiredCount, 2);
  await steady(ecs, name, name, set2.id, 2);
  assert.equal(await healthyTargets(elbv2, tg2), 2);
  await elbv2.send(new ModifyListenerCommand({ ListenerArn: listener.Listeners?.[0]?.ListenerArn, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg2 }] }));
  for (let i = 0; i < 4; i += 1) assert.equal(await versionAt(url), 'v2');

  // A task that stops unexpectedly is replaced in its task set and target group.
  const [victim] = await liveTasks(ecs, name, set2.id);
  await ecs.send(new StopTaskCommand({ cluster: name, task: victim?.taskArn }));
  await eventually('a replacement v2 task', async () => {
    const live = await liveTasks(ecs, name, set2.id);
    return live.length === 2 && !live.some((task) => task.taskArn === victim?.taskArn) && live.every((task) => task.lastStatus === 'RUNNING') || undefined;
  }, WAIT_MS);
  await steady(ecs, name, name, set2.id, 2);

  // The primary task set: set, swapped, and shown as the service's.
  const primary1 = (await ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: name, service: name, primaryTaskSet: set1.id }))).taskSet;
  assert.equal(primary1?.status, 'PRIMARY');
  const primary2 = (await ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: name, service: name, primaryTaskSet: set2.taskSetArn }))).taskSet;
  assert.equal(primary2?.status, 'PRIMARY');
  assert.equal((await taskSet(ecs, name, name, set1.id))?.status, 'ACTIVE');
  const svc = (await ecs.send(new DescribeServicesCommand({ cluster: name, services: [name] }))).services?.[0];
  assert.equal(svc?.taskDefinition, td2);
  assert.deepEqual(svc?.taskSets?.map((ts) => [ts.id, ts.status]), [[set1.id, 'ACTIVE'], [set2.id, 'PRIMARY']]);
  assert.equal(svc?.runningCount, 4);
  const tagged = await ecs.send(new DescribeTaskSetsCommand({ cluster: name, service: name, taskSets: [set1.id], include: ['TAGS'] }));
  assert.deepEqual(tagged.taskSets?.[0]?.tags, [{ key: 'color', value: 'blue' }]);

  // Deleting v1: refused while scaled above 0, then DRAINING with force; its tasks stop and it is gone.
  await rejects(ecs.send(new DeleteTaskSetCommand({ cluster: name, service: name, taskSet: set1.id })), 'InvalidParameterException');
  const deleted = (await ecs.send(new DeleteTaskSetCommand({ cluster: name, service: name, taskSet: set1.id, force: true }))).taskSet;
  assert.equal(deleted?.status, 'DRAINING');
  assert.equal(deleted?.computedDesiredCount, 0);
  const gone = await eventually('task set v1 gone', async () => {
    const out = await ecs.send(new DescribeTaskSetsCommand({ cluster: name, service: name, taskSets: [set1.id] }));
    return out.taskSets?.length === 0 ? out : undefined;
  }, WAIT_MS);
  assert.deepEqual(gone.failures, [{ arn: set1.id, reason: 'MISSING' }]);
  for (const task of (await ecs.send(new DescribeTasksCommand({ cluster: name, tasks: v1Tasks.map((x) => x.taskArn ?? '') }))).tasks ?? []) {
    assert.equal(task.lastStatus, 'STOPPED');
  }
  assert.equal(await healthyTargets(elbv2, tg1), 0);
  assert.equal((await liveTasks(ecs, name, set2.id)).length, 2);
  assert.equal(await versionAt(url), 'v2');
});

test('task set errors: ECS-controller services, unknown services and task sets, what an EXTERNAL service refuses', async (t) => {
  const { clients } = await startTestEmulator(t, { speed: SPEED });
  const { ecs } = clients;
  const name = uniqueName('ts-err');
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const td = (await ecs.send(new RegisterTaskDefinitionCommand({
    family: name, containerDefinitions: [{ name: 'app', image: 'sample-app:none', memory: 128 }],
  }))).taskDefinition?.taskDefinitionArn;
  await ecs.send(new CreateServiceCommand({ cluster: name, serviceName: 'ecs', taskDefinition: td, desiredCount: 0 }));
  await ecs.send(new CreateServiceCommand({ cluster: name, serviceName: 'ext', desiredCount: 0, deploymentController: { type: 'EXTERNAL' } }));

  const notExternal = 'Amazon ECS only supports task set management on services configured to use external deployment controllers.';
  await rejects(ecs.send(new CreateTaskSetCommand({ cluster: name, service: 'ecs', taskDefinition: td })), 'InvalidParameterException', notExternal);
  await rejects(ecs.send(new DescribeTaskSetsCommand({ cluster: name, service: 'ecs' })), 'InvalidParameterException', notExternal);
  await rejects(ecs.send(new CreateTaskSetCommand({ cluster: name, service: 'nope', taskDefinition: td })), 'ServiceNotFoundException');
  await rejects(ecs.send(new CreateTaskSetCommand({ cluster: name, service: 'ext', taskDefinition: `${name}:9` })), 'InvalidParameterException', 'TaskDefinition not found.');
  await rejects(ecs.send(new CreateTaskSetCommand({ cluster: name, service: 'ext', taskDefinition: td, scale: { value: 150, unit: 'PERCENT' } })), 'InvalidParameterException');

  const unknown = 'ecs-svc/1234567890123456789';
  await rejects(ecs.send(new UpdateTaskSetCommand({ cluster: name, service: 'ext', taskSet: unknown, scale: { value: 10, unit: 'PERCENT' } })), 'TaskSetNotFoundException');
  await rejects(ecs.send(new DeleteTaskSetCommand({ cluster: name, service: 'ext', taskSet: unknown })), 'TaskSetNotFoundException');
  await rejects(ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: name, service: 'ext', primaryTaskSet: unknown })), 'TaskSetNotFoundException');
  const missing = await ecs.send(new DescribeTaskSetsCommand({ cluster: name, service: 'ext', taskSets: [unknown] }));
  assert.deepEqual(missing.taskSets, []);
  assert.deepEqual(missing.failures, [{ arn: unknown, reason: 'MISSING' }]);

  // What runs belongs to task sets: the service takes no task definition, and UpdateService does not change one.
  await rejects(ecs.send(new CreateServiceCommand({ cluster: name, serviceName: 'ext2', taskDefinition: td, deploymentController: { type: 'EXTERNAL' } })), 'InvalidParameterException', 'TaskDefinition must be blank.');
  await rejects(ecs.send(new UpdateServiceCommand({ cluster: name, service: 'ext', taskDefinition: td })), 'InvalidParameterException', /create a new task set/);
  const scaled = await ecs.send(new UpdateServiceCommand({ cluster: name, service: 'ext', desiredCount: 3 }));
  assert.equal(scaled.service?.desiredCount, 3);
  const one = (await ecs.send(new CreateTaskSetCommand({ cluster: name, service: 'ext', taskDefinition: td, scale: { value: 34, unit: 'PERCENT' } }))).taskSet;
  // ceil(3 x 34%) = ceil(1.02) = 2, as ECS rounds up.
  assert.equal(one?.computedDesiredCount, 2);
});

test('task sets survive a restart on the same state directory, and their lost tasks are started again', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'ecs-rollout-task-sets-'));
  const closers: Array<() => Promise<void>> = [];
  t.after(async () => {
    for (const close of closers) await close();
    await rm(stateDir, { recursive: true, force: true });
  });
  const start = async () => {
    const emulator = await startEmulator({ port: 0, speed: SPEED, stateDir });
    const clients = awsClients(emulator.url);
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      clients.ecs.destroy();
      clients.ecr.destroy();
      clients.elbv2.destroy();
      await emulator.close();
    };
    closers.push(close);
    return { emulator, ecs: clients.ecs, close };
  };

  const first = await start();
  const images = await pushSampleVersions(first.emulator.url, [{ tag: 'v1' }]);
  const name = uniqueName('ts-restart');
  await first.ecs.send(new CreateClusterCommand({ clusterName: name }));
  const td = (await first.ecs.send(new RegisterTaskDefinitionCommand({
    family: name, containerDefinitions: [{ name: 'app', image: images.get('v1'), memory: 128, portMappings: [{ containerPort: 8080 }], stopTimeout: 2 }],
  }))).taskDefinition?.taskDefinitionArn;
  await first.ecs.send(new CreateServiceCommand({ cluster: name, serviceName: name, desiredCount: 2, deploymentController: { type: 'EXTERNAL' } }));
  const set = created((await first.ecs.send(new CreateTaskSetCommand({ cluster: name, service: name, taskDefinition: td, externalId: 'deploy-1' }))).taskSet);
  await first.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: name, service: name, primaryTaskSet: set.id }));
  await steady(first.ecs, name, name, set.id, 2);
  const before = (await liveTasks(first.ecs, name, set.id)).map((task) => task.taskArn);
  await first.close();

  const second = await start();
  const after = await taskSet(second.ecs, name, name, set.id);
  assert.equal(after?.taskSetArn, set.taskSetArn);
  assert.equal(after?.status, 'PRIMARY');
  assert.equal(after?.externalId, 'deploy-1');
  assert.equal(after?.taskDefinition, td);
  await steady(second.ecs, name, name, set.id, 2);
  const replaced = await liveTasks(second.ecs, name, set.id);
  assert.ok(replaced.every((task) => !before.includes(task.taskArn) && task.startedBy === set.id), 'new tasks, started by the task set');
});
