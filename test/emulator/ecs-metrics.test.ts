import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateRepositoryCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { procAvailable } from '../../src/emulator/runtime/metrics/proc-table.js';
import { LOCAL_IMAGE_MEDIA_TYPE } from '../../src/emulator/services/ecr/image-registry.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { pollUntil } from '../support/poll.js';

test('ECS metrics: a service whose task burns CPU shows CPUUtilization above zero', { skip: !procAvailable() && 'no /proc here' }, async (t) => {
  const { emulator, clients } = await startTestEmulator(t, { speed: 60 });
  const cloudWatch = new CloudWatchClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(() => cloudWatch.destroy());
  const { ecs, ecr } = clients;
  const name = uniqueName('busy');

  const repository = await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
  const manifest = { schemaVersion: 2, mediaType: LOCAL_IMAGE_MEDIA_TYPE, command: [process.execPath, '-e', 'for (;;) {}'] };
  await ecr.send(new PutImageCommand({ repositoryName: name, imageTag: 'v1', imageManifest: JSON.stringify(manifest), imageManifestMediaType: LOCAL_IMAGE_MEDIA_TYPE }));
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const td = await ecs.send(new RegisterTaskDefinitionCommand({
    family: name,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'busy', image: `${repository.repository?.repositoryUri}:v1`, essential: true, stopTimeout: 2 }],
  }));
  await ecs.send(new CreateServiceCommand({
    cluster: name,
    serviceName: name,
    taskDefinition: td.taskDefinition?.taskDefinitionArn,
    desiredCount: 1,
    launchType: 'FARGATE',
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local'] } },
  }));
  await pollUntil('the task running', 10_000, async () => {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: name, services: [name] }));
    return out.services?.[0]?.runningCount === 1 ? true : undefined;
  }, 50);

  const dimensions = [{ Name: 'ClusterName', Value: name }, { Name: 'ServiceName', Value: name }];
  const query = (metricName: string) => cloudWatch.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ECS',
    MetricName: metricName,
    Dimensions: dimensions,
    StartTime: new Date(emulator.clock.now() - 10 * 60_000),
    EndTime: new Date(emulator.clock.now() + 60_000),
    Period: 60,
    Statistics: ['Average', 'Maximum', 'SampleCount'],
  }));
  const cpu = await pollUntil('CPUUtilization published', 15_000, async () => {
    const points = (await query('CPUUtilization')).Datapoints ?? [];
    return points.find((p) => (p.Average ?? 0) > 0);
  }, 100);
  assert.equal(cpu.Unit, 'Percent');
  assert.equal(cpu.SampleCount, 1, 'one task');
  const memory = (await query('MemoryUtilization')).Datapoints ?? [];
  assert.ok(memory.some((p) => (p.Average ?? 0) > 0), 'MemoryUtilization is published too');
});
