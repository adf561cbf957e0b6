import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServiceDeploymentsCommand, DescribeServicesCommand, DescribeTasksCommand,
  ECSClient, ListServiceDeploymentsCommand, ListTasksCommand, RegisterTaskDefinitionCommand, StopTaskCommand, UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { createClock } from '../../src/emulator/clock.js';
import { uniqueName } from '../support/clients.js';
import { createFakes, eventually, startFakeEcs, TARGET_GROUP_ARN } from './ecs-fakes.js';

async function register(client: ECSClient, family: string, tag: string): Promise<string> {
  const out = await client.send(new RegisterTaskDefinitionCommand({
    family,
    containerDefinitions: [{ name: 'web', image: `app:${tag}`, memory: 128, portMappings: [{ containerPort: 8080 }] }],
  }));
  return out.taskDefinition?.taskDefinitionArn ?? '';
}

async function describe(client: ECSClient, cluster: string, service: string): Promise<Service> {
  const out = await client.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const svc = out.services?.[0];
  assert.ok(svc, `service ${service} exists`);
  return svc;
}

async function steady(client: ECSClient, cluster: string, service: string, taskDefinition: string): Promise<Service> {
  return eventually(`${service} to complete on ${taskDefinition}`, async () => {
    const svc = await describe(client, cluster, service);
    const primary = svc.deployments?.[0];
    return svc.deployments?.length === 1 && primary?.rolloutState === 'COMPLETED' && primary.taskDefinition === taskDefinition ? svc : undefined;
  });
}

test('ECS scheduler: a rolling update respects max percent and drains targets before stopping tasks', async (t) => {
  const { client, fakes } = await startFakeEcs(t);
  const cluster = uniqueName('c');
  const name = uniqueName('web');
  await client.send(new CreateClusterCommand({ clusterName: cluster }));
  const v1 = await register(client, name, 'good');
  const v2 = await register(client, name, 'good');
  await client.send(new CreateServiceCommand({
    cluster, serviceName: name, taskDefinition: v1, desiredCount: 2,
    loadBalancers: [{ targetGroupArn: TARGET_GROUP_ARN, containerName: 'web', containerPort: 8080 }],
    deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50 },
  }));
  const first = await steady(client, cluster, name, v1);
  assert.equal(first.runningCount, 2);
  assert.ok(first.events?.some((e) => e.message === `(service ${name}) has reached a steady state.`));
  assert.ok(first.events?.some((e) => /registered 1 targets in \(target-group /.test(e.message ?? '')));

  fakes.maxLive = fakes.live.size;
  const journalStart = fakes.journal.length;
  await client.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: v2 }));
  const during = await describe(client, cluster, name);
  assert.deepEqual(during.deployments?.map((d) => d.status), ['PRIMARY', 'ACTIVE']);
  assert.equal(during.deployments?.[0]?.rolloutState, 'IN_PROGRESS');
  const done = await steady(client, cluster, name, v2);

  assert.ok(fakes.maxLive <= 3, `at most floor(2 * 150%) = 3 processes at once, saw ${fakes.maxLive}`);
  const journal = fakes.journal.slice(journalStart);
  for (const line of journal.filter((l) => l.startsWith('stop '))) {
    const taskId = line.slice(5);
    const launch = fakes.journal.find((l) => l.startsWith(`launch ${taskId}`));
    const port = launch?.split(' ')[2];
    const deregistered = journal.indexOf(`deregister ${port}`);
    const drained = journal.indexOf(`drained ${port}`);
    assert.ok(deregistered >= 0 && drained > deregistered && journal.indexOf(line) > drained, `task ${taskId}: deregister, drain, then stop (${journal.join('; ')})`);
  }
  const messages = done.events?.map((e) => e.message ?? '') ?? [];
  assert.ok(messages.some((m) => m.startsWith(`(service ${name}) has begun draining connections on 1 tasks.`)));
  assert.ok(messages.some((m) => /^\(service .+\) has stopped 1 running tasks: \(task [0-9a-f]{32}\)\.$/.test(m)));
  assert.ok(messages.includes(`(service ${name}) (deployment ${done.deployments?.[0]?.id}) deployment completed.`));

  const stopped = await client.send(new ListTasksCommand({ cluster, serviceName: name, desiredStatus: 'STOPPED' }));
  const tasks = await client.send(new DescribeTasksCommand({ cluster, tasks: stopped.taskArns ?? [] }));
  const old = tasks.tasks?.find((x) => x.taskDefinitionArn === v1 && x.lastStatus === 'STOPPED');
  assert.equal(old?.stopCode, 'ServiceSchedulerInitiated');
  assert.match(old?.stoppedReason ?? '', /^Scaling activity initiated by \(deployment ecs-svc\/\d{19}\)$/);

  const records = await client.send(new ListServiceDeploymentsCommand({ cluster, service: name }));
  assert.deepEqual(records.serviceDeployments?.map((r) => r.status), ['SUCCESSFUL', 'SUCCESSFUL']);
});

test('ECS scheduler: the circuit breaker fails a crashing deployment and rolls back to the last completed one', async (t) => {
  const { client } = await startFakeEcs(t);
  const cluster = uniqueName('c');
  const name = uniqueName('api');
  await client.send(new CreateClusterCommand({ clusterName: cluster }));
  const good = await register(client, name, 'good');
  const bad = await register(client, name, 'crash');
  await client.send(new CreateServiceCommand({
    cluster, serviceName: name, taskDefinition: good, desiredCount: 2,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
  }));
  const before = await steady(client, cluster, name, good);
  const completedId = before.deployments?.[0]?.id ?? '';
  await client.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: bad }));
  const back = await steady(client, cluster, name, good);
  assert.equal(back.taskDefinition, good);
  assert.match(back.deployments?.[0]?.rolloutStateReason ?? '', /^ECS deployment ecs-svc\/\d+ completed\.$/);
  const messages = back.events?.map((e) => e.message ?? '') ?? [];
  assert.ok(messages.some((m) => /^\(service .+\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/.test(m)), messages.join('\n'));
  assert.ok(messages.includes(`(service ${name}) rolling back to deployment ${completedId}.`), messages.join('\n'));

  const list = await client.send(new ListServiceDeploymentsCommand({ cluster, service: name }));
  const failed = list.serviceDeployments?.[0];
  assert.equal(failed?.status, 'ROLLBACK_SUCCESSFUL');
  const detail = await client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [failed?.serviceDeploymentArn ?? ''] }));
  const record = detail.serviceDeployments?.[0];
  assert.equal(record?.deploymentCircuitBreaker?.status, 'TRIGGERED');
  assert.equal(record?.deploymentCircuitBreaker?.threshold, 3);
  assert.ok((record?.deploymentCircuitBreaker?.failureCount ?? 0) >= 3);
  assert.ok(record?.rollback?.startedAt instanceof Date);
  assert.match(record?.rollback?.serviceRevisionArn ?? '', /:service-revision\//);

  const stopped = await client.send(new ListTasksCommand({ cluster, serviceName: name, desiredStatus: 'STOPPED' }));
  const crashed = (await client.send(new DescribeTasksCommand({ cluster, tasks: stopped.taskArns ?? [] }))).tasks?.find((x) => x.taskDefinitionArn === bad);
  assert.equal(crashed?.stopCode, 'EssentialContainerExited');
  assert.equal(crashed?.stoppedReason, 'Essential container in task exited');
});

test('ECS scheduler: an image that cannot be pulled stops the task with CannotPullContainerError', async (t) => {
  const { client } = await startFakeEcs(t);
  const cluster = uniqueName('c');
  const name = uniqueName('nopull');
  await client.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await register(client, name, 'missing');
  await client.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: td, desiredCount: 1, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
  const failed = await eventually('the deployment to fail', async () => {
    const svc = await describe(client, cluster, name);
    return svc.deployments?.[0]?.rolloutState === 'FAILED' ? svc : undefined;
  });
  assert.equal(failed.deployments?.[0]?.rolloutStateReason, 'ECS deployment circuit breaker: tasks failed to start.');
  assert.equal(failed.deployments?.length, 1, 'no completed deployment to roll back to');
  const stopped = await client.send(new ListTasksCommand({ cluster, serviceName: name, desiredStatus: 'STOPPED' }));
  const task = (await client.send(new DescribeTasksCommand({ cluster, tasks: (stopped.taskArns ?? []).slice(0, 1) }))).tasks?.[0];
  assert.equal(task?.stopCode, 'TaskFailedToStart');
  assert.match(task?.stoppedReason ?? '', /^CannotPullContainerError: pull access denied for app:missing/);
  assert.match(task?.containers?.[0]?.reason ?? '', /^CannotPullContainerError: /);
});

test('ECS scheduler: StopTask stops a task with UserInitiated and the scheduler replaces it', async (t) => {
  const { client } = await startFakeEcs(t);
  const cluster = uniqueName('c');
  const name = uniqueName('stop');
  await client.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await register(client, name, 'good');
  await client.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: td, desiredCount: 1 }));
  await steady(client, cluster, name, td);
  const running = await client.send(new ListTasksCommand({ cluster, serviceName: name }));
  const arn = running.taskArns?.[0] ?? '';
  await client.send(new StopTaskCommand({ cluster, task: arn, reason: 'testing' }));
  const stopped = await eventually('the task to stop', async () => {
    const task = (await client.send(new DescribeTasksCommand({ cluster, tasks: [arn] }))).tasks?.[0];
    return task?.lastStatus === 'STOPPED' ? task : undefined;
  });
  assert.equal(stopped.stopCode, 'UserInitiated');
  assert.equal(stopped.stoppedReason, 'testing');
  assert.ok(stopped.stoppingAt instanceof Date && stopped.stoppedAt instanceof Date);
  await eventually('a replacement', async () => {
    const list = await client.send(new ListTasksCommand({ cluster, serviceName: name }));
    const svc = await describe(client, cluster, name);
    return list.taskArns?.length === 1 && list.taskArns[0] !== arn && svc.runningCount === 1 ? true : undefined;
  });
});

test('ECS scheduler: after a restart, tasks that were running are STOPPED and replaced', async (t) => {
  const clock = createClock(100);
  const first = await startFakeEcs(t, { clock, fakes: createFakes(clock) });
  const cluster = uniqueName('c');
  const name = uniqueName('restart');
  await first.client.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await register(first.client, name, 'good');
  await first.client.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: td, desiredCount: 2 }));
  await steady(first.client, cluster, name, td);
  const before = (await first.client.send(new ListTasksCommand({ cluster, serviceName: name }))).taskArns ?? [];
  const saved: unknown = JSON.parse(JSON.stringify(first.ecs.state.snapshot()), (_k, v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T.*Z$/.test(v) ? new Date(v) : v);
  await first.close();

  const second = await startFakeEcs(t, { clock, fakes: createFakes(clock), restore: saved });
  const old = await eventually('old tasks stopped', async () => {
    const out = await second.client.send(new DescribeTasksCommand({ cluster, tasks: before }));
    return out.tasks?.every((x) => x.lastStatus === 'STOPPED') ? out.tasks : undefined;
  });
  assert.equal(old[0]?.stoppedReason, 'Task stopped because the emulator restarted');
  await eventually('replacements running', async () => {
    const svc = await describe(second.client, cluster, name);
    return svc.runningCount === 2 ? true : undefined;
  });
});
