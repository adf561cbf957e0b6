import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DescribeServicesCommand, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { setUp } from './rolling-service.js';

test('scale --desired-count N --wait turns the service up and down without a deployment; bad input changes nothing', async (t) => {
  const { cli, cluster, service, clients } = await setUp(t);
  const describe = async () => (await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];
  const deployments = async () => (await clients.ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments?.length;
  const before = await deployments();

  const up = await cli('scale', '--cluster', cluster, '--service', service, '--desired-count', '4', '--wait', '--timeout', '60s');
  assert.equal(up.code, 0, up.stdout + up.stderr);
  assert.match(up.stdout, /\d+ running, \d+ pending of 4\n/);
  assert.match(up.stdout, new RegExp(`service ${service} in cluster ${cluster}: desired count 2 -> 4; 4 running\\n$`));
  assert.deepEqual([(await describe())?.desiredCount, (await describe())?.runningCount], [4, 4]);

  const down = await cli('scale', '--cluster', cluster, '--service', service, '--desired-count', '0', '--wait', '--output', 'json');
  assert.equal(down.code, 0, down.stdout + down.stderr);
  const result = JSON.parse(down.stdout) as { outcome: string; from: number; to: number; running: number; exitCode: number };
  assert.deepEqual([result.outcome, result.from, result.to, result.running, result.exitCode], ['scaled', 4, 0, 0, 0]);
  assert.equal(await deployments(), before, 'scaling starts no deployment');

  const same = await cli('scale', '--cluster', cluster, '--service', service, '--desired-count', '0');
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /already wants 0 tasks/);

  const bad = await cli('scale', '--cluster', cluster, '--service', service, '--desired-count', 'many');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--desired-count: expected a whole number of 0 or more, got 'many'/);
  const missing = await cli('scale', '--cluster', cluster, '--service', `${service}-nope`, '--desired-count', '1');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, new RegExp(`service ${service}-nope does not exist in cluster ${cluster}; check --cluster and --service`));
  assert.equal((await describe())?.desiredCount, 0, 'nothing changed');
});
