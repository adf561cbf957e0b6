import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ClientException, ClusterContainsServicesException, ClusterNotFoundException, CreateClusterCommand, CreateServiceCommand,
  DeleteClusterCommand, DeleteServiceCommand, DeregisterTaskDefinitionCommand, DescribeClustersCommand, DescribeServiceRevisionsCommand,
  DescribeServicesCommand, DescribeTaskDefinitionCommand, InvalidParameterException, ListClustersCommand, ListServicesCommand,
  ListTagsForResourceCommand, ListTaskDefinitionFamiliesCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand,
  ServiceNotFoundException, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { uniqueName } from '../support/clients.js';
import { eventually, startFakeEcs, TARGET_GROUP_ARN } from './ecs-fakes.js';

const rejectsWith = (code: new (...args: never[]) => Error, message: string | RegExp) => (err: unknown) => {
  assert.ok(err instanceof code, `expected ${code.name}, got ${(err as Error).name}: ${(err as Error).message}`);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  return true;
};

test('ECS API: clusters round trip, with MISSING failures and AWS errors', async (t) => {
  const { client } = await startFakeEcs(t);
  const name = uniqueName('cluster');
  const created = await client.send(new CreateClusterCommand({ clusterName: name, tags: [{ key: 'team', value: 'a' }] }));
  assert.equal(created.cluster?.clusterArn, `arn:aws:ecs:us-east-1:000000000000:cluster/${name}`);
  assert.equal(created.cluster?.status, 'ACTIVE');
  const described = await client.send(new DescribeClustersCommand({ clusters: [name, 'nope'], include: ['TAGS'] }));
  assert.deepEqual(described.clusters?.[0]?.tags, [{ key: 'team', value: 'a' }]);
  assert.deepEqual(described.failures, [{ arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope', reason: 'MISSING' }]);
  assert.ok((await client.send(new ListClustersCommand({}))).clusterArns?.includes(created.cluster?.clusterArn ?? ''));
  await assert.rejects(client.send(new ListServicesCommand({ cluster: 'nope' })), rejectsWith(ClusterNotFoundException, 'Cluster not found.'));
  const deleted = await client.send(new DeleteClusterCommand({ cluster: name }));
  assert.equal(deleted.cluster?.status, 'INACTIVE');
});

test('ECS API: task definitions get revisions, defaults, ECS validation messages, and deregistration', async (t) => {
  const { client } = await startFakeEcs(t);
  const family = uniqueName('fam');
  const first = await client.send(new RegisterTaskDefinitionCommand({
    family, tags: [{ key: 'app', value: 'x' }],
    containerDefinitions: [{ name: 'web', image: 'app:good', memory: 128, portMappings: [{ containerPort: 80 }], healthCheck: { command: ['CMD', 'true'] } }],
  }));
  assert.equal(first.taskDefinition?.revision, 1);
  assert.equal(first.taskDefinition?.status, 'ACTIVE');
  const container = first.taskDefinition?.containerDefinitions?.[0];
  assert.equal(container?.essential, true);
  assert.deepEqual(container?.healthCheck, { command: ['CMD', 'true'], interval: 30, timeout: 5, retries: 3, startPeriod: 0 });
  assert.ok(first.taskDefinition?.registeredAt instanceof Date);
  const second = await client.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'web', image: 'app:good', memory: 128 }] }));
  assert.equal(second.taskDefinition?.taskDefinitionArn, `arn:aws:ecs:us-east-1:000000000000:task-definition/${family}:2`);

  const latest = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
  assert.equal(latest.taskDefinition?.revision, 2);
  const tagged = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${family}:1`, include: ['TAGS'] }));
  assert.deepEqual(tagged.tags, [{ key: 'app', value: 'x' }]);

  await assert.rejects(client.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'web', image: '', memory: 1 }] })),
    rejectsWith(ClientException, 'Container.image should not be null or empty.'));
  await assert.rejects(client.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'web', image: 'x' }] })),
    rejectsWith(ClientException, "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified."));
  await assert.rejects(client.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${family}:9` })), rejectsWith(ClientException, 'Unable to describe task definition.'));
  await assert.rejects(client.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'web', image: 'x', memory: 128, healthCheck: { command: ['curl', '-f', 'http://localhost/'] } }] })),
    rejectsWith(ClientException, "Invalid setting for container 'web'. healthCheck.command must start with CMD, CMD-SHELL or NONE, got 'curl'."));
  await assert.rejects(client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: `arn:aws:ecs:us-east-1:000000000000:task-definition/${family}` })),
    rejectsWith(ClientException, 'Invalid revision number. Number: '));

  await client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: `${family}:1` }));
  const active = await client.send(new ListTaskDefinitionsCommand({ familyPrefix: family }));
  assert.deepEqual(active.taskDefinitionArns, [second.taskDefinition?.taskDefinitionArn]);
  const all = await client.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ALL' as never, sort: 'DESC' }));
  assert.equal(all.taskDefinitionArns?.length, 2);
  assert.match(all.taskDefinitionArns?.[0] ?? '', /:2$/);
  const families = await client.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: family }));
  assert.deepEqual(families.families, [family]);
});

test('ECS API: services validate their inputs, describe with deployments, tag, and delete', async (t) => {
  const { client } = await startFakeEcs(t);
  const cluster = uniqueName('c');
  const name = uniqueName('svc');
  await client.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = (await client.send(new RegisterTaskDefinitionCommand({ family: name, containerDefinitions: [{ name: 'web', image: 'app:good', memory: 64, portMappings: [{ containerPort: 8080 }] }] }))).taskDefinition?.taskDefinitionArn ?? '';

  await assert.rejects(client.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: 'missing:1', desiredCount: 1 })), rejectsWith(InvalidParameterException, 'TaskDefinition not found.'));
  await assert.rejects(client.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: td, healthCheckGracePeriodSeconds: 10 })),
    rejectsWith(InvalidParameterException, 'Health check grace period is only valid for services configured to use load balancers'));
  await assert.rejects(client.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: td, loadBalancers: [{ targetGroupArn: TARGET_GROUP_ARN, containerName: 'web', containerPort: 9999 }] })),
    rejectsWith(InvalidParameterException, 'The container web did not have a container port 9999 defined.'));
  await assert.rejects(client.send(new CreateServiceCommand({
    cluster, serviceName: name, taskDefinition: td,
    deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ hookTargetArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', lifecycleStages: ['POST_SCALE_UP'] }] },
  })), rejectsWith(InvalidParameterException, /The Lambda function arn:aws:lambda:us-east-1:000000000000:function:f does not exist/));

  const created = await client.send(new CreateServiceCommand({
    cluster, serviceName: name, taskDefinition: td, desiredCount: 1, tags: [{ key: 'owner', value: 'me' }],
    loadBalancers: [{ targetGroupArn: TARGET_GROUP_ARN, containerName: 'web', containerPort: 8080 }], healthCheckGracePeriodSeconds: 5,
  }));
  const svc = created.service;
  assert.equal(svc?.serviceArn, `arn:aws:ecs:us-east-1:000000000000:service/${cluster}/${name}`);
  assert.deepEqual(svc?.deploymentConfiguration?.maximumPercent, 200);
  assert.deepEqual(svc?.deploymentConfiguration?.minimumHealthyPercent, 100);
  assert.equal(svc?.schedulingStrategy, 'REPLICA');
  assert.deepEqual(svc?.deploymentController, { type: 'ECS' });
  assert.match(svc?.deployments?.[0]?.id ?? '', /^ecs-svc\/\d{19}$/);
  assert.equal(svc?.deployments?.[0]?.status, 'PRIMARY');
  assert.match(svc?.currentServiceDeployment ?? '', new RegExp(`:service-deployment/${cluster}/${name}/\\d+$`));
  await assert.rejects(client.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: td })), rejectsWith(InvalidParameterException, 'Creation of service was not idempotent.'));

  const revisionArn = svc?.currentServiceRevisions?.[0]?.arn ?? '';
  const revisions = await client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn, `${revisionArn}0`] }));
  assert.equal(revisions.serviceRevisions?.[0]?.taskDefinition, td);
  assert.equal(revisions.failures?.[0]?.reason, 'MISSING');

  await client.send(new TagResourceCommand({ resourceArn: svc?.serviceArn, tags: [{ key: 'env', value: 'dev' }] }));
  await client.send(new UntagResourceCommand({ resourceArn: svc?.serviceArn, tagKeys: ['owner'] }));
  assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: svc?.serviceArn }))).tags, [{ key: 'env', value: 'dev' }]);

  const described = await client.send(new DescribeServicesCommand({ cluster, services: [name, 'ghost'], include: ['TAGS'] }));
  assert.equal(described.failures?.[0]?.reason, 'MISSING');
  assert.deepEqual(described.services?.[0]?.tags, [{ key: 'env', value: 'dev' }]);
  await assert.rejects(client.send(new UpdateServiceCommand({ cluster, service: 'ghost', desiredCount: 1 })), rejectsWith(ServiceNotFoundException, 'Service not found.'));
  await assert.rejects(client.send(new DeleteClusterCommand({ cluster })), rejectsWith(ClusterContainsServicesException, 'The Cluster cannot be deleted while Services are active.'));
  await assert.rejects(client.send(new DeleteServiceCommand({ cluster, service: name })), rejectsWith(InvalidParameterException, 'The service cannot be stopped while it is scaled above 0.'));

  const deleting = await client.send(new DeleteServiceCommand({ cluster, service: name, force: true }));
  assert.equal(deleting.service?.status, 'DRAINING');
  await eventually('the service to go INACTIVE', async () => {
    const out = await client.send(new DescribeServicesCommand({ cluster, services: [name] }));
    return out.services?.[0]?.status === 'INACTIVE' ? true : undefined;
  });
  assert.deepEqual((await client.send(new ListServicesCommand({ cluster }))).serviceArns, []);
});
