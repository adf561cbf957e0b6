import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { setUp } from './rolling-service.js';

test('prune --keep 1 deregisters old revisions but never the running one or the rollback target; --dry-run changes nothing', async (t) => {
  const { cli, cluster, service, clients } = await setUp(t);
  for (const tag of ['v2', 'broken', 'v1', 'v2']) {
    const run = await cli('deploy', '--cluster', cluster, '--service', service, '--tag', tag, '--timeout', '60s');
    assert.equal(run.code, tag === 'broken' ? 3 : 0, run.stdout + run.stderr);
  }
  const active = async () => (await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: service, sort: 'DESC' }))).taskDefinitionArns?.map((a) => a.split('/').pop());
  assert.deepEqual(await active(), [`${service}:5`, `${service}:4`, `${service}:3`, `${service}:2`, `${service}:1`]);

  const dry = await cli('prune', '--cluster', cluster, '--service', service, '--keep', '1', '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(dry.stdout, [
    `would deregister ${service}:3`,
    `would deregister ${service}:2`,
    `would deregister ${service}:1`,
    `kept ${service}:5: ${dry.stdout.match(/kept \S+:5: (in use by deployment [^\n]+)/)?.[1] ?? '(missing)'}`,
    `kept ${service}:4: what ecs-rollout rollback would go back to`,
    `would deregister 3 revisions of family ${service} (${service}:3, ${service}:2, ${service}:1); kept 2; nothing was changed`,
    '',
  ].join('\n'));
  assert.equal((await active())?.length, 5, 'a dry run deregisters nothing');

  const pruned = await cli('prune', '--cluster', cluster, '--service', service, '--keep', '1', '--output', 'json');
  assert.equal(pruned.code, 0, pruned.stderr);
  assert.equal((JSON.parse(pruned.stdout) as { deregister: string[] }).deregister.length, 3);
  assert.deepEqual(await active(), [`${service}:5`, `${service}:4`]);
  const rolledBack = await cli('rollback', '--cluster', cluster, '--service', service, '--timeout', '60s');
  assert.equal(rolledBack.code, 0, `the rollback target survived the prune: ${rolledBack.stdout}${rolledBack.stderr}`);

  const bad = await cli('prune', '--cluster', cluster, '--service', service, '--keep', '0');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--keep N is required: how many of the newest revisions to keep \(at least 1\)/);
});
