import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { idleAlarm } from '../support/alarms.js';
import { pollUntil } from '../support/poll.js';
import { setUp } from './rolling-service.js';

test('deploy --tag completes (exit 0), and status shows the new revision', async (t) => {
  const { cli, cluster, service } = await setUp(t);
  const deployed = await cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'v2', '--timeout', '60s');
  assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  assert.match(deployed.stdout, /preflight ok: image .*:v2 is in ECR/);
  assert.match(deployed.stdout, new RegExp(`deployed ${service}:2 to service ${service} in cluster ${cluster} \\(deployment ecs-svc/\\d+ completed\\)\\n$`));

  const status = await cli('status', '--cluster', cluster, '--service', service, '--output', 'json');
  assert.equal(status.code, 0, status.stderr);
  const parsed = JSON.parse(status.stdout) as { taskDefinitionArn: string; deployments: Array<{ status: string; rolloutState: string }> };
  assert.match(parsed.taskDefinitionArn, new RegExp(`task-definition/${service}:2$`));
  assert.deepEqual(parsed.deployments.map((d) => [d.status, d.rolloutState]), [['PRIMARY', 'COMPLETED']]);
});

test('a deploy whose tasks cannot start is rolled back by the circuit breaker (exit 3) with its stopped tasks', async (t) => {
  const { cli, cluster, service } = await setUp(t);
  const run = await cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'broken', '--timeout', '60s', '--output', 'json');
  assert.equal(run.code, 3, run.stdout + run.stderr);
  const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  const result = lines.at(-1) as { type: string; outcome: string; exitCode: number; stoppedTasks: Array<{ stoppedReason: string }> };
  assert.equal(result.type, 'result');
  assert.equal(result.outcome, 'rolled-back');
  assert.ok(result.stoppedTasks.length >= 1);
  assert.ok(lines.some((l) => l.type === 'rollback-started'));
});

test('preflight: a tag that was never pushed is exit 2 and changes nothing', async (t) => {
  const { cli, cluster, service, repo } = await setUp(t);
  const run = await cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'nope');
  assert.equal(run.code, 2);
  assert.match(run.stdout, new RegExp(`preflight FAILED: image ${repo}:nope is not in ECR repository ${repo}; push it first`));
  assert.match(run.stderr, /^error: preflight failed: /);
  const status = await cli('status', '--cluster', cluster, '--service', service, '--output', 'json');
  assert.match((JSON.parse(status.stdout) as { taskDefinitionArn: string }).taskDefinitionArn, new RegExp(`task-definition/${service}:1$`));
  const missing = await cli('deploy', '--cluster', cluster, '--service', 'no-such-service', '--tag', 'v2');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /service no-such-service does not exist in cluster/);
});

test('emulator stats counts the calls a deploy made', async (t) => {
  const { cli, cluster, service } = await setUp(t);
  await cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'v2', '--dry-run');
  const stats = await cli('emulator', 'stats', '--output', 'json');
  assert.equal(stats.code, 0, stats.stderr);
  const parsed = JSON.parse(stats.stdout) as { total: number; operations: Record<string, number> };
  assert.ok(parsed.total > 0);
  assert.equal(parsed.operations['ECS.RegisterTaskDefinition'], 1, 'the dry run registered nothing');
  const text = await cli('emulator', 'stats');
  assert.match(text.stdout, /^total \d+ calls, \d+ errors\n/);
});

test('a rolling deploy whose deployment alarm goes into ALARM during the alarm bake is rolled back (exit 3), naming the alarm', async (t) => {
  const { cli, cluster, service, emulator, clients, dir } = await setUp(t);
  // 60 s x 2 periods: the emulator keeps the complete deployment watched for 2 virtual minutes.
  const { name: alarm, fire } = await idleAlarm(t, emulator.url, 2);
  writeFileSync(join(dir, 'ecs-rollout.yaml'), `strategy:\n  type: rolling\n  alarms:\n    names: [${alarm}]\n`);

  const running = cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'v2', '--timeout', '120s', '--output', 'json');
  // Every task of the new revision runs and the old ones are gone: only the alarm bake keeps the deployment going.
  await pollUntil('v2 to replace v1 with the deployment still IN_PROGRESS', 30_000, async () => {
    const svc = (await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];
    const [primary, ...others] = svc?.deployments ?? [];
    return others.every((d) => d.runningCount === 0) && primary?.runningCount === 2 && primary.rolloutState === 'IN_PROGRESS' && primary.taskDefinition?.endsWith(':2') ? true : undefined;
  });
  await fire('5xx above 5');
  const run = await running;
  assert.equal(run.code, 3, run.stdout + run.stderr);
  const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string; reason?: string; outcome?: string });
  assert.equal(lines.at(-1)?.outcome, 'rolled-back');
  const failed = lines.find((l) => l.type === 'deployment-failed');
  // ECS marks the deployment failed on the alarm, then names the rollback: a look may come between the two.
  assert.match(failed?.reason ?? '', new RegExp(`^(ECS deployment alarm ${alarm}: rolling back to deploymentId ecs-svc/\\d+\\.|ECS deployment failed: alarm ${alarm} in ALARM state\\.)$`));
  assert.ok(lines.some((l) => l.type === 'service-event' && l.message?.includes(`alarm ${alarm} in ALARM state`)), 'the ECS event naming the alarm is shown');
  const svc = (await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0];
  assert.match(svc?.taskDefinition ?? '', /:1$/, 'the service runs v1 again');
});
