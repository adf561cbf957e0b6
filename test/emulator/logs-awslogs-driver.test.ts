import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeTasksCommand, ListTasksCommand, RegisterTaskDefinitionCommand, type ContainerDefinition,
  type ECSClient, type LaunchType, type Task,
} from '@aws-sdk/client-ecs';
import { runCli } from '../../examples/lib/sample-stack.js';
import type { Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { pollUntil } from '../support/poll.js';

/**
 * ECS tasks whose containers use the awslogs log driver: their output lines
 * become log events in PREFIX/CONTAINER/TASK-ID, and a missing log group the
 * driver may not create stops the task before it starts, as on AWS.
 */

const DEADLINE_MS = 15_000;
/** Writes a line to stdout, an empty line (which the driver skips), a line to stderr, then waits to be stopped. */
const CHATTY_SCRIPT =
  "console.log('hello from stdout'); console.log(''); console.error('oops on stderr'); setInterval(() => {}, 1000); process.on('SIGTERM', () => process.exit(0));";

function logsClient(t: TestContext, emulator: Emulator): CloudWatchLogsClient {
  const client = new CloudWatchLogsClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(() => client.destroy());
  return client;
}

/** `ecs-rollout emulator push`: an image whose containers run a small node script. */
async function pushScript(emulator: Emulator, image: string, script: string): Promise<string> {
  const result = await runCli(['emulator', 'push', image, '--endpoint-url', emulator.url, '--', process.execPath, '-e', script], process.env);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim().split('\n').pop() ?? '';
}

/** A cluster and a one-task service of `containers`, on `launchType`. */
async function startService(ecs: ECSClient, name: string, launchType: LaunchType, containers: ContainerDefinition[]): Promise<void> {
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const fargate = launchType === 'FARGATE';
  const td = await ecs.send(new RegisterTaskDefinitionCommand({
    family: name,
    ...(fargate ? { networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512' } : { memory: '512' }),
    containerDefinitions: containers.map((c) => ({ essential: true, stopTimeout: 2, ...c })),
  }));
  await ecs.send(new CreateServiceCommand({
    cluster: name, serviceName: name, taskDefinition: td.taskDefinition?.taskDefinitionArn, desiredCount: 1, launchType,
    ...(fargate ? { networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local'] } } } : {}),
  }));
}

async function firstTask(ecs: ECSClient, cluster: string, desiredStatus: 'RUNNING' | 'STOPPED', ready: (task: Task) => boolean): Promise<Task> {
  return pollUntil(`a ${desiredStatus} task in ${cluster}`, DEADLINE_MS, async () => {
    const list = await ecs.send(new ListTasksCommand({ cluster, serviceName: cluster, desiredStatus }));
    if (!list.taskArns?.length) return undefined;
    const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: list.taskArns }));
    return described.tasks?.find(ready);
  });
}

const awslogs = (options: Record<string, string>): ContainerDefinition['logConfiguration'] => ({ logDriver: 'awslogs', options });

test('awslogs: each output line of a container becomes a log event in PREFIX/CONTAINER/TASK-ID, in a group the driver created', async (t) => {
  const { emulator, clients } = await startTestEmulator(t);
  const logs = logsClient(t, emulator);
  const name = uniqueName('awslogs');
  const group = `/ecs/${name}`;
  const image = await pushScript(emulator, `${name}:v1`, CHATTY_SCRIPT);
  const logConfiguration = awslogs({ 'awslogs-group': group, 'awslogs-region': TEST_REGION, 'awslogs-stream-prefix': 'web', 'awslogs-create-group': 'true' });
  await startService(clients.ecs, name, 'FARGATE', [
    { name: 'app', image, logConfiguration },
    { name: 'sidecar', image, essential: false, logConfiguration },
  ]);

  const task = await firstTask(clients.ecs, name, 'RUNNING', (x) => x.lastStatus === 'RUNNING');
  const taskId = task.taskArn?.split('/').pop() ?? '';
  assert.match(taskId, /^[0-9a-f]{32}$/);
  const appStream = `web/app/${taskId}`;
  const events = await pollUntil(`both lines in ${appStream}`, DEADLINE_MS, async () => {
    const out = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: appStream, startFromHead: true }));
    return (out.events?.length ?? 0) >= 2 ? out.events : undefined;
  });
  // One event per line, the empty line skipped; stdout and stderr both go to the stream.
  assert.deepEqual(events?.map((e) => e.message).sort(), ['hello from stdout', 'oops on stderr']);
  const createdAt = task.createdAt?.getTime() ?? 0;
  for (const event of events ?? []) {
    assert.ok(Number.isInteger(event.timestamp), 'timestamps are whole milliseconds');
    assert.ok((event.timestamp ?? 0) >= createdAt && (event.timestamp ?? 0) <= emulator.clock.now(), `timestamp ${event.timestamp} is on the emulator clock, after ${createdAt}`);
  }

  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
  assert.deepEqual(streams.logStreams?.map((s) => s.logStreamName), [`web/app/${taskId}`, `web/sidecar/${taskId}`]);
  const [created] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups ?? [];
  assert.equal(created?.logGroupName, group);
});

test('awslogs: a task whose log group is missing, and may not be created, fails to start with the driver error of its launch type', async (t) => {
  const { emulator, clients } = await startTestEmulator(t);
  const logs = logsClient(t, emulator);
  const name = uniqueName('nogroup');
  const image = await pushScript(emulator, `${name}:v1`, CHATTY_SCRIPT);
  const existing = `/ecs/${name}-exists`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: existing }));
  const missing = `/ecs/${name}-missing`;
  const cases: Array<{ cluster: string; launchType: LaunchType; options: Record<string, string>; reason: string }> = [
    {
      cluster: `${name}-fargate`,
      launchType: 'FARGATE',
      options: { 'awslogs-group': missing, 'awslogs-region': TEST_REGION, 'awslogs-stream-prefix': 'ecs' },
      reason: 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1',
    },
    {
      cluster: `${name}-ec2`,
      launchType: 'EC2',
      options: { 'awslogs-group': missing, 'awslogs-region': TEST_REGION, 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'false' },
      reason: 'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.',
    },
    {
      // The group exists in us-east-1, but the driver looks in the Region the options name.
      cluster: `${name}-region`,
      launchType: 'FARGATE',
      options: { 'awslogs-group': existing, 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs' },
      reason: 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1',
    },
    {
      cluster: `${name}-badopt`,
      launchType: 'FARGATE',
      options: { 'awslogs-group': existing, 'awslogs-create-group': 'yes' },
      reason: `ResourceInitializationError: failed to validate logger args: must specify valid value for log opt 'awslogs-create-group': strconv.ParseBool: parsing "yes": invalid syntax : exit status 1`,
    },
  ];
  for (const c of cases) await startService(clients.ecs, c.cluster, c.launchType, [{ name: 'app', image, logConfiguration: awslogs(c.options) }]);

  for (const c of cases) {
    const stopped = await firstTask(clients.ecs, c.cluster, 'STOPPED', (x) => x.lastStatus === 'STOPPED');
    assert.equal(stopped.stopCode, 'TaskFailedToStart', c.cluster);
    assert.equal(stopped.stoppedReason, c.reason, c.cluster);
    assert.equal(stopped.containers?.[0]?.reason, c.reason, c.cluster);
    assert.equal(stopped.startedAt, undefined, `${c.cluster}: no container ever ran`);
  }
  assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: missing }))).logGroups, []);
  assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: existing }))).logStreams, []);
});
