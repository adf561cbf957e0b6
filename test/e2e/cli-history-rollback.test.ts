import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { blueGreenStack, current, versionAt } from '../emulator/ecs-blue-green-stack.js';
import { cli as nativeCli, deployV2, show, target, until, versionsAt, watchOutput } from './native-cli.js';
import { setUp } from './rolling-service.js';

interface HistoryJson {
  deployments: Array<{ revision: string; outcome: string; status: string; image?: string; commit?: string; who?: string; strategy?: string; durationMs?: number; reason?: string }>;
}

/** v2 deployed by alice at commit aaaa…, then v3 (crashes) deployed by bob and rolled back by the circuit breaker. */
async function deployedTwice(t: Parameters<typeof setUp>[0]) {
  const world = await setUp(t, { ECS_ROLLOUT_WHO: 'alice@laptop', GITHUB_SHA: 'aaaaaaa1111111111111111111111111111111' });
  const { cli, cluster, service } = world;
  const good = await cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'v2', '--timeout', '60s');
  assert.equal(good.code, 0, good.stdout + good.stderr);
  const bad = await cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'broken', '--commit', 'bbbbbbb2222', '--timeout', '60s');
  assert.equal(bad.code, 3, bad.stdout + bad.stderr);
  return world;
}

test('every revision deploy registers carries release tags: image, commit, who, when, deployment id', async (t) => {
  const { cluster, service, clients, repo } = await deployedTwice(t);
  const svc = (await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];
  const td = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc?.taskDefinition, include: ['TAGS'] }));
  const tags = new Map((td.tags ?? []).map((tag) => [tag.key, tag.value]));
  assert.equal(tags.get('ecs-rollout:image'), `000000000000.dkr.ecr.us-east-1.amazonaws.com/${repo}:v2`);
  assert.equal(tags.get('ecs-rollout:commit'), 'aaaaaaa1111111111111111111111111111111');
  assert.equal(tags.get('ecs-rollout:deployed-by'), 'alice@laptop');
  assert.match(tags.get('ecs-rollout:deployed-at') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.match(tags.get('ecs-rollout:deployment-id') ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(tags.get('team'), 'e2e', "the task definition's own tags are kept");
});

test('history lists the deployments newest first with revision, image, commit, who, outcome; text and JSON', async (t) => {
  const { cli, cluster, service } = await deployedTwice(t);
  const json = await cli('history', '--cluster', cluster, '--service', service, '--output', 'json');
  assert.equal(json.code, 0, json.stderr);
  const { deployments } = JSON.parse(json.stdout) as HistoryJson;
  assert.deepEqual(deployments.map((d) => [d.revision, d.outcome, d.commit, d.who]), [
    [`${service}:3`, 'rolled-back', 'bbbbbbb2222', 'alice@laptop'],
    [`${service}:2`, 'succeeded', 'aaaaaaa1111111111111111111111111111111', 'alice@laptop'],
    [`${service}:1`, 'succeeded', undefined, undefined],
  ]);
  assert.ok(deployments.every((d) => d.strategy === 'ROLLING' && typeof d.durationMs === 'number'), json.stdout);
  assert.match(deployments[0]?.reason ?? '', /circuit breaker/i);

  const text = await cli('history', '--cluster', cluster, '--service', service, '--limit', '2');
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.trimEnd().split('\n');
  assert.equal(lines[0], `deployments of service ${service} in cluster ${cluster}, newest first:`);
  assert.match(lines[1] ?? '', /^started\s+revision\s+outcome\s+strategy\s+took\s+image\s+commit\s+by$/);
  assert.match(lines[2] ?? '', new RegExp(`^\\S+Z\\s+${service}:3\\s+rolled-back\\s+ROLLING\\s+\\S+\\s+\\S+:broken\\s+bbbbbbb2222\\s+alice@laptop$`));
  assert.ok(lines.some((l) => new RegExp(`^\\S+Z\\s+${service}:2\\s+succeeded`).test(l)), text.stdout);
  assert.ok(!text.stdout.includes(`${service}:1 `), '--limit 2 shows two deployments');
});

test('rollback skips a revision that never succeeded: back to the last one that completed, then --to a tag; --to a failed release is refused', async (t) => {
  const { cli, cluster, service, clients } = await deployedTwice(t);
  const running = async () => (await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0]?.taskDefinition ?? '';
  assert.match(await running(), new RegExp(`${service}:2$`), 'the circuit breaker put the service back on :2');

  const dry = await cli('rollback', '--cluster', cluster, '--service', service, '--dry-run');
  assert.equal(dry.code, 0, dry.stdout + dry.stderr);
  assert.match(dry.stdout, new RegExp(`rolling back from ${service}:2 to ${service}:1: the last revision that completed a deployment \\(\\S+\\); skipped ${service}:3, which never completed a deployment`));
  assert.match(await running(), new RegExp(`${service}:2$`), 'a dry run changes nothing');

  const back = await cli('rollback', '--cluster', cluster, '--service', service, '--timeout', '60s');
  assert.equal(back.code, 0, back.stdout + back.stderr);
  assert.match(back.stdout, new RegExp(`deploying ${service}:1 again \\(nothing registered\\)`));
  assert.match(await running(), new RegExp(`${service}:1$`));

  const refused = await cli('rollback', '--cluster', cluster, '--service', service, '--to', 'broken');
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stderr, new RegExp(`--to broken: ${service}:3 never completed a deployment \\(ROLLBACK_SUCCESSFUL\\)`));

  const toTag = await cli('rollback', '--cluster', cluster, '--service', service, '--to', 'v2', '--output', 'json');
  assert.equal(toTag.code, 0, toTag.stdout + toTag.stderr);
  assert.match(await running(), new RegExp(`${service}:2$`));
  const history = JSON.parse((await cli('history', '--cluster', cluster, '--service', service, '--output', 'json')).stdout) as HistoryJson;
  assert.deepEqual(history.deployments.slice(0, 2).map((d) => [d.revision, d.outcome]), [[`${service}:2`, 'succeeded'], [`${service}:1`, 'succeeded']], 'the rollbacks are deployments in the history too');
});

test('rollback of a deployment still in progress stops it with ROLLBACK and follows it until production is back (exit 0)', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }] });
  const live = watchOutput();
  const deploying = nativeCli(t, stack, deployV2(stack, 'blue-green'), 'strategy:\n  bake: 0s\n', live.stream);
  await until('the deploy to wait at the hook', async () => (/AWAITING_ACTION/.test(live.text()) ? true : undefined));
  const rolled = await nativeCli(t, stack, ['rollback', ...target(stack)]);
  assert.equal(rolled.code, 0, show(rolled));
  assert.match(rolled.stdout, /asked ECS to roll back service deployment \S+ \(was IN_PROGRESS at POST_TEST_TRAFFIC_SHIFT\)/);
  assert.match(rolled.stdout, /rolled back service \S+ in cluster \S+: service deployment of \S+:2 stopped and rolled back \(ROLLBACK_SUCCESSFUL\)/);
  assert.equal((await current(stack))?.status, 'ROLLBACK_SUCCESSFUL');
  assert.equal((await deploying).code, 6, 'the deploy that was following sees an operator stop');
  assert.equal(await versionAt(stack.productionUrl), 'v1');
  assert.deepEqual([...(await versionsAt(stack.productionUrl, 5))], ['v1']);
});
