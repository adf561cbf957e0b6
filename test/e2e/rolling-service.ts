import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { main } from '../../src/cli/main.js';
import { capture } from '../../examples/lib/capture.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

export /** A service of two tasks running a tiny HTTP app pushed as web:v1, in a fresh emulator. */
async function setUp(t: { after: (fn: () => Promise<void>) => void }, cliEnv: NodeJS.ProcessEnv = {}) {
  const { emulator, clients } = await startTestEmulator(t);
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-e2e-'));
  t.after(async () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'app.mjs'), "import http from 'node:http';\nhttp.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT ?? 8080), '127.0.0.1');\n");
  const env = { ...cliEnv, AWS_ENDPOINT_URL: emulator.url, AWS_REGION: 'us-east-1' };
  const cli = async (...argv: string[]) => {
    const stdout = capture();
    const stderr = capture();
    const code = await main(argv, { stdout, stderr, env, cwd: dir });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const repo = uniqueName('web');
  for (const tag of ['v1', 'v2']) assert.equal((await cli('emulator', 'push', `${repo}:${tag}`, '--', process.execPath, 'app.mjs')).code, 0);
  assert.equal((await cli('emulator', 'push', `${repo}:broken`, '--', '/nonexistent/ecs-rollout-binary')).code, 0);
  const cluster = uniqueName('prod');
  const service = uniqueName('svc');
  await clients.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const image = `000000000000.dkr.ecr.us-east-1.amazonaws.com/${repo}:v1`;
  const td = await clients.ecs.send(
    new RegisterTaskDefinitionCommand({ family: service, containerDefinitions: [{ name: 'app', image, memory: 128, portMappings: [{ containerPort: 8080 }] }], tags: [{ key: 'team', value: 'e2e' }] }),
  );
  await clients.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: service,
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      desiredCount: 2,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    }),
  );
  return { cli, cluster, service, repo, emulator, clients, dir };
}

