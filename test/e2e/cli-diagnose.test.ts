import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { uniqueName } from '../support/clients.js';
import { setUp } from './rolling-service.js';

const CRASH = "console.log('starting'); console.error('fatal: DATABASE_URL is not set'); process.exit(3)";

test('a failed deploy and ecs-rollout diagnose show the stopped tasks\' exit codes and the failing container\'s last log lines from CloudWatch Logs', async (t) => {
  const { cli, cluster, repo, clients } = await setUp(t);
  assert.equal((await cli('emulator', 'push', `${repo}:crashy`, '--', process.execPath, '-e', CRASH)).code, 0);
  // A service whose containers log with awslogs (the group made by ECS).
  const service = uniqueName('logged');
  const group = `/ecs/${service}`;
  const td = await clients.ecs.send(new RegisterTaskDefinitionCommand({
    family: service,
    containerDefinitions: [{
      name: 'app', image: `000000000000.dkr.ecr.us-east-1.amazonaws.com/${repo}:v1`, memory: 128, portMappings: [{ containerPort: 8080 }],
      // A container health check: a task counts only once it is HEALTHY, so a version that crashes at start never does.
      healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 2, retries: 1 },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web', 'awslogs-create-group': 'true' } },
    }],
  }));
  await clients.ecs.send(new CreateServiceCommand({ cluster, serviceName: service, taskDefinition: td.taskDefinition?.taskDefinitionArn, desiredCount: 1, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
  const first = await cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'v2', '--timeout', '60s');
  assert.equal(first.code, 0, first.stdout + first.stderr);

  const failed = await cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'crashy', '--timeout', '60s');
  assert.equal(failed.code, 3, failed.stdout + failed.stderr);
  assert.match(failed.stdout, /exit code 3|exit 3/, 'the stopped tasks show the exit code');
  assert.match(failed.stdout, new RegExp(`last \\d+ log lines? of container app in task [0-9a-f]+ \\(${group} web/app/[0-9a-f]+\\):\\n  \\| starting\\n  \\| fatal: DATABASE_URL is not set`));

  const text = await cli('diagnose', '--cluster', cluster, '--service', service);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^service ${service} in cluster ${cluster}: latest deployment ${service}:3 ROLLBACK_SUCCESSFUL \\(rolled-back\\)`));
  assert.match(text.stdout, /stopped tasks:\n/);
  assert.match(text.stdout, /\| fatal: DATABASE_URL is not set/);

  const json = await cli('diagnose', '--cluster', cluster, '--service', service, '--output', 'json');
  const diagnosis = JSON.parse(json.stdout) as { stoppedTasks: Array<{ containers: Array<{ exitCode?: number }> }>; logs: Array<{ container: string; lines: string[] }> };
  assert.ok(diagnosis.stoppedTasks.some((task) => task.containers.some((c) => c.exitCode === 3)), json.stdout);
  assert.deepEqual(diagnosis.logs[0]?.lines, ['starting', 'fatal: DATABASE_URL is not set']);
});
