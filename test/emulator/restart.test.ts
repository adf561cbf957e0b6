import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import {
  DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTaskDefinitionsCommand,
  ListTasksCommand, RegisterTaskDefinitionCommand, type ECSClient, type Task,
} from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createSampleStack, pushSampleVersions, SAMPLE_REPOSITORY, waitForSteadyState, type SampleStack } from '../../examples/lib/sample-stack.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { awsClients, uniqueName } from '../support/clients.js';

/**
 * The emulator closed and started again on the same state directory: what API
 * calls created is all there; the task processes are not, so their tasks show
 * STOPPED and the scheduler replaces them, as ECS does for a lost host.
 */

const SPEED = 20;
const STEADY_MS = 15_000;

/** Polls until `check` returns a value, or fails after `ms` with the last thing it saw. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = STEADY_MS): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function serviceTasks(ecs: ECSClient, stack: SampleStack, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const list = await ecs.send(new ListTasksCommand({ cluster: stack.cluster, serviceName: stack.service, desiredStatus }));
  if (!list.taskArns?.length) return [];
  const described = await ecs.send(new DescribeTasksCommand({ cluster: stack.cluster, tasks: list.taskArns }));
  return described.tasks ?? [];
}

/** The process id (runtimeId) and host port of a task's one container. */
function processOf(task: Task): { pid: number; port: number } {
  const container = task.containers?.[0];
  const pid = Number(container?.runtimeId);
  const port = container?.networkBindings?.[0]?.hostPort ?? 0;
  assert.ok(Number.isInteger(pid) && pid > 0, `task ${task.taskArn} reports its pid: ${container?.runtimeId}`);
  assert.ok(port > 0, `task ${task.taskArn} reports its host port`);
  return { pid, port };
}

/** Whether a process, or any process of its group (tasks run as process groups), is alive. */
function alive(pid: number): boolean {
  for (const target of [pid, -pid]) {
    try {
      process.kill(target, 0);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') return true;
    }
  }
  return false;
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function getJson(url: string): Promise<{ status: number; body: { version?: string; pid?: number } }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {} };
}

async function assertNothingRuns(tasks: Array<{ pid: number; port: number }>, listenerPort: number, when: string): Promise<void> {
  for (const { pid, port } of tasks) {
    assert.equal(alive(pid), false, `${when}: task process ${pid} (or its group) is still running`);
    assert.equal(await acceptsConnections(port), false, `${when}: something still listens on task port ${port}`);
  }
  assert.equal(await acceptsConnections(listenerPort), false, `${when}: the listener port ${listenerPort} still accepts connections`);
}

test('after a restart on the same state directory, resources are back, lost tasks are STOPPED and replaced, and traffic flows again', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'ecs-rollout-restart-'));
  const started: Array<{ emulator: Emulator; clients: ReturnType<typeof awsClients> }> = [];
  t.after(async () => {
    for (const { emulator, clients } of started) {
      clients.ecs.destroy();
      clients.ecr.destroy();
      clients.elbv2.destroy();
      await emulator.close();
    }
    await rm(stateDir, { recursive: true, force: true });
  });
  const start = async () => {
    const emulator = await startEmulator({ port: 0, speed: SPEED, stateDir });
    const entry = { emulator, clients: awsClients(emulator.url) };
    started.push(entry);
    return entry;
  };

  // Before: a service of two sample-app tasks behind a listener.
  const first = await start();
  const images = await pushSampleVersions(first.emulator.url, [{ tag: 'v1' }]);
  const image = images.get('v1') ?? '';
  const name = uniqueName('restart');
  const stack = await createSampleStack(first.clients.ecs, first.clients.elbv2, {
    name, image, desiredCount: 2, deregistrationDelaySeconds: 2, healthCheckIntervalSeconds: 5, healthyThresholdCount: 2,
  });
  await waitForSteadyState(first.clients.ecs, stack, STEADY_MS);
  const before = await eventually('the listener to answer', async () => {
    const answer = await getJson(stack.listenerUrl);
    return answer.status === 200 ? answer : undefined;
  });
  assert.equal(before.body.version, 'v1');
  const listenerPort = Number(new URL(stack.listenerUrl).port);

  const serviceBefore = (await first.clients.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  const imageBefore = (await first.clients.ecr.send(new DescribeImagesCommand({ repositoryName: SAMPLE_REPOSITORY, imageIds: [{ imageTag: 'v1' }] }))).imageDetails?.[0];
  const lbBefore = (await first.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [`${name}-lb`] }))).LoadBalancers?.[0];
  const listenerBefore = (await first.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbBefore?.LoadBalancerArn }))).Listeners?.[0];
  const oldTasks = await serviceTasks(first.clients.ecs, stack, 'RUNNING');
  assert.equal(oldTasks.length, 2);
  const oldProcesses = oldTasks.map(processOf);
  for (const { pid } of oldProcesses) assert.ok(alive(pid), `task process ${pid} runs before the close`);

  // A write acknowledged just before the close is on disk when its answer arrives, not only after close() flushes.
  const revision2 = await first.clients.ecs.send(new RegisterTaskDefinitionCommand({
    family: name,
    containerDefinitions: [{ name: 'app', image, memory: 128, environment: [{ name: 'MARK', value: 'acked-before-close' }], portMappings: [{ containerPort: 8080 }] }],
  }));
  const revision2Arn = revision2.taskDefinition?.taskDefinitionArn ?? '';
  assert.match(revision2Arn, new RegExp(`task-definition/${name}:2$`));
  assert.ok((await readFile(join(stateDir, 'ecs.json'), 'utf8')).includes(revision2Arn), 'revision 2 is in the state file when RegisterTaskDefinition answers');

  await first.emulator.close();
  await assertNothingRuns(oldProcesses, listenerPort, 'after close');

  // After: a new emulator on the same state directory.
  const second = await start();
  const { ecs, ecr, elbv2 } = second.clients;

  const cluster = (await ecs.send(new DescribeClustersCommand({ clusters: [stack.cluster] }))).clusters?.[0];
  assert.equal(cluster?.status, 'ACTIVE');
  const service = (await ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  assert.equal(service?.serviceArn, serviceBefore?.serviceArn);
  assert.equal(service?.status, 'ACTIVE');
  assert.equal(service?.desiredCount, 2);
  assert.equal(service?.taskDefinition, serviceBefore?.taskDefinition);
  assert.deepEqual(service?.loadBalancers, serviceBefore?.loadBalancers);

  const revisions = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: name }));
  assert.deepEqual(revisions.taskDefinitionArns?.map((arn) => arn.split('/').pop()), [`${name}:1`, `${name}:2`]);
  const restored2 = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${name}:2` }))).taskDefinition;
  assert.equal(restored2?.taskDefinitionArn, revision2Arn);
  assert.deepEqual(restored2?.containerDefinitions?.[0]?.environment, [{ name: 'MARK', value: 'acked-before-close' }]);

  const imageAfter = (await ecr.send(new DescribeImagesCommand({ repositoryName: SAMPLE_REPOSITORY, imageIds: [{ imageTag: 'v1' }] }))).imageDetails?.[0];
  assert.equal(imageAfter?.imageDigest, imageBefore?.imageDigest);

  const lb = (await elbv2.send(new DescribeLoadBalancersCommand({ Names: [`${name}-lb`] }))).LoadBalancers?.[0];
  assert.equal(lb?.LoadBalancerArn, lbBefore?.LoadBalancerArn);
  const listener = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners?.[0];
  assert.equal(listener?.ListenerArn, listenerBefore?.ListenerArn);
  assert.equal(listener?.Port, listenerPort);
  assert.equal(listener?.DefaultActions?.[0]?.TargetGroupArn, stack.targetGroupArn);
  const group = (await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [stack.targetGroupArn] }))).TargetGroups?.[0];
  assert.equal(group?.HealthCheckPath, '/health');
  assert.deepEqual(group?.LoadBalancerArns, [lb?.LoadBalancerArn]);
  const attributes = await elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: stack.targetGroupArn }));
  assert.equal(attributes.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value, '2');

  // The tasks whose processes ended with the old emulator are STOPPED, with the reason.
  const lost = (await ecs.send(new DescribeTasksCommand({ cluster: stack.cluster, tasks: oldTasks.map((x) => x.taskArn ?? '') }))).tasks ?? [];
  assert.equal(lost.length, 2);
  for (const task of lost) {
    assert.equal(task.lastStatus, 'STOPPED', task.taskArn);
    assert.equal(task.desiredStatus, 'STOPPED', task.taskArn);
    assert.equal(task.stopCode, 'ServiceSchedulerInitiated');
    assert.equal(task.stoppedReason, 'Task stopped because the emulator restarted');
    assert.ok(task.stoppedAt instanceof Date);
  }

  // The scheduler replaces them and the service is steady again, behind the same listener URL.
  await waitForSteadyState(ecs, stack, STEADY_MS);
  const replacements = await serviceTasks(ecs, stack, 'RUNNING');
  assert.equal(replacements.length, 2);
  const oldArns = new Set(oldTasks.map((x) => x.taskArn));
  assert.ok(replacements.every((task) => !oldArns.has(task.taskArn) && task.lastStatus === 'RUNNING'), 'the running tasks are new ones');
  assert.ok(replacements.every((task) => task.taskDefinitionArn === serviceBefore?.taskDefinition), 'replacements run the service revision, not the newer registered one');
  const newProcesses = replacements.map(processOf);
  for (const { pid } of newProcesses) assert.ok(alive(pid), `replacement process ${pid} runs`);

  const healthy = await eventually('both replacements to be the healthy targets', async () => {
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
    const rows = health.TargetHealthDescriptions ?? [];
    const ports = rows.filter((r) => r.TargetHealth?.State === 'healthy').map((r) => r.Target?.Port).sort();
    return rows.length === 2 && ports.length === 2 ? ports : undefined;
  });
  assert.deepEqual(healthy, newProcesses.map((p) => p.port).sort());

  const after = await eventually('the listener to answer again', async () => {
    const answer = await getJson(stack.listenerUrl);
    return answer.status === 200 ? answer : undefined;
  });
  assert.equal(after.body.version, 'v1');
  assert.ok(newProcesses.some((p) => p.pid === after.body.pid), `answered by a replacement (pid ${after.body.pid})`);

  const events = (await ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0]?.events ?? [];
  const messages = events.map((e) => e.message ?? '');
  for (const task of replacements) {
    const id = task.taskArn?.split('/').pop();
    assert.ok(messages.some((m) => m.includes(`(service ${stack.service}) has started`) && m.includes(`(task ${id})`)), `an event says replacement ${id} started`);
  }
  assert.ok(messages.some((m) => oldTasks.some((x) => m.includes(`(task ${x.taskArn?.split('/').pop()})`))), 'events from before the restart are kept');

  await second.emulator.close();
  await assertNothingRuns(newProcesses, listenerPort, 'after the second close');
});
