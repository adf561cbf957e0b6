import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { createSampleStack, pushSampleVersions, runCli, waitForSteadyState } from '../../examples/lib/sample-stack.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { blueGreenStack, current, type Stack } from '../emulator/ecs-blue-green-stack.js';
import { cli, deployV2, show, target, until, versionsAt } from './native-cli.js';

const BIN = fileURLToPath(new URL('../../../bin/ecs-rollout.js', import.meta.url));

/** A canary of 10% for a minute, with a gate (a command taking a moment) before each production step. */
const SETTINGS = [
  'strategy:',
  '  canary: { percent: 10, bake: 1m }',
  '  bake: 0s',
  '  gates:',
  '    - { stage: PRE_PRODUCTION_TRAFFIC_SHIFT, name: checks, command: { run: "sleep 0.5; echo fine" } }',
].join('\n');

interface Line { type: string; stage?: string; kind?: string }

/** Starts `ecs-rollout deploy --output json` as its own process and kills it with SIGKILL at the first line `at` picks. */
async function killedAt(t: { after: (fn: () => Promise<void>) => void }, stack: Stack, at: (line: Line) => boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-resume-'));
  t.after(async () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ecs-rollout.yaml'), SETTINGS);
  const child = spawn(process.execPath, [BIN, ...deployV2(stack, 'canary'), '--endpoint-url', stack.endpoint, '--output', 'json'], { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let seen = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const part of parts) {
      seen += `${part}\n`;
      if (part.startsWith('{') && at(JSON.parse(part) as Line)) child.kill('SIGKILL');
    }
  });
  await exited;
  return seen;
}

const KILL_POINTS: Array<[string, (line: Line) => boolean]> = [
  ['while ECS scales up the new revision', (l) => l.type === 'stage-changed' && l.stage === 'SCALE_UP'],
  ['while a gate runs at a PAUSE hook', (l) => l.type === 'gate-started'],
  ['during the canary step\'s bake', (l) => l.type === 'bake-progress' && l.kind === 'step'],
];

for (const [where, at] of KILL_POINTS) {
  test(`kill -9 ${where}: status explains it, deploy --resume finishes it (exit 0) with production on v2`, async (t) => {
    const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    const seen = await killedAt(t, stack, at);
    assert.ok((await current(stack))?.status === 'IN_PROGRESS', `the deployment goes on in ECS after the kill: ${seen}`);
    const status = await cli(t, stack, ['status', ...target(stack)]);
    assert.equal(status.code, 0, show(status));
    assert.match(status.stdout, /service deployment \S+: IN_PROGRESS, strategy CANARY, stage \S+/);
    assert.match(status.stdout, /deploy lock: held by \S+ since/, 'the killed deploy left its lock, which says who');
    const resumed = await cli(t, stack, ['deploy', ...target(stack), '--resume'], SETTINGS);
    assert.equal(resumed.code, 0, show(resumed));
    assert.match(resumed.stdout, /resuming service deployment \S+ of \S+:2 \(IN_PROGRESS/);
    assert.equal((await current(stack))?.status, 'SUCCESSFUL');
    assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v2']);
  });
}

test('kill -9 during the canary step, then abort: production goes back to v1; --resume then has nothing to resume (exit 2)', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  await killedAt(t, stack, (l) => l.type === 'bake-progress' && l.kind === 'step');
  const aborted = await cli(t, stack, ['abort', ...target(stack)]);
  assert.equal(aborted.code, 0, show(aborted));
  await until('the rollback to finish', async () => ((await current(stack))?.status === 'ROLLBACK_SUCCESSFUL' ? true : undefined));
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v1']);
  const nothing = await cli(t, stack, ['deploy', ...target(stack), '--resume'], SETTINGS);
  assert.equal(nothing.code, 2, show(nothing));
  assert.match(nothing.stderr, /nothing to resume: service \S+ in cluster \S+ has no deployment in progress \(the latest is ROLLBACK_SUCCESSFUL\)/);
});

test('kill -9 of a rolling deploy while old tasks drain: status shows the lock, deploy --resume follows it to COMPLETED (exit 0)', async (t) => {
  const { emulator, clients } = await startTestEmulator(t);
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }]);
  // A minute of draining (3 s of real time here) keeps the deployment going after the kill.
  const stack = await createSampleStack(clients.ecs, clients.elbv2, { name: uniqueName('roll'), image: images.get('v1') ?? '', desiredCount: 2, deregistrationDelaySeconds: 60 });
  await waitForSteadyState(clients.ecs, stack, 60_000);
  const child = spawn(process.execPath, [BIN, 'deploy', '--cluster', stack.cluster, '--service', stack.service, '--tag', 'v2', '--endpoint-url', emulator.url], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
    if (/updated service \S+: deployment ecs-svc\/\d+ of \S+:2 started/.test(output)) child.kill('SIGKILL');
  });
  await exited;
  const env = { AWS_ENDPOINT_URL: emulator.url, CI: 'true' };
  const status = await runCli(['status', '--cluster', stack.cluster, '--service', stack.service], env);
  assert.match(status.stdout, /deploy lock: held by /, show(status));
  const resumed = await runCli(['deploy', '--cluster', stack.cluster, '--service', stack.service, '--resume'], env);
  assert.equal(resumed.code, 0, show(resumed));
  assert.match(resumed.stdout, /resuming service deployment \S+ of \S+:2 \(IN_PROGRESS, started by \S+\)/);
  const service = (await clients.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  assert.deepEqual([service?.taskDefinition?.split('/').pop(), service?.deployments?.length, service?.deployments?.[0]?.rolloutState], [`${stack.service}:2`, 1, 'COMPLETED']);
});
