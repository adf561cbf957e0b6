import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { blueGreenStack, current, type Stack } from '../emulator/ecs-blue-green-stack.js';
import { deployV2, spawnCli, until, versionsAt } from './native-cli.js';

/** `ecs-rollout deploy` as its own process, waiting at a PAUSE hook; `signal` is sent once the hook waits. */
async function cancelledDeploy(t: { after: (fn: () => Promise<void>) => void }, stack: Stack, signal: NodeJS.Signals, extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-cancel-'));
  t.after(async () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ecs-rollout.yaml'), 'strategy:\n  bake: 0s\n');
  const { child, output, exited } = spawnCli(t, [...deployV2(stack, 'blue-green'), '--endpoint-url', stack.endpoint, ...extra], dir);
  await until('the deploy to wait at the hook', async () => (/AWAITING_ACTION/.test(output()) ? true : undefined), 30_000);
  child.kill(signal);
  const code = await exited;
  return { code, output: output() };
}

const pausedStack = (t: Parameters<typeof blueGreenStack>[0]) =>
  blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }] });

test('SIGTERM (a cancelled CI job) rolls the deployment back by default: exit 6, the choice said at the start, production on v1', async (t) => {
  const stack = await pausedStack(t);
  const { code, output } = await cancelledDeploy(t, stack, 'SIGTERM');
  assert.equal(code, 6, output);
  assert.match(output, /on SIGINT or SIGTERM \(a cancelled CI job\) this deploy rolls back \(--on-cancel detach leaves ECS to finish\)/);
  assert.match(output, /SIGTERM: asked ECS to roll back service deployment \S+ \(was IN_PROGRESS at POST_TEST_TRAFFIC_SHIFT\)/);
  await until('the rollback to finish', async () => ((await current(stack))?.status === 'ROLLBACK_SUCCESSFUL' ? true : undefined));
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v1']);
});

test('--on-cancel detach: SIGINT stops watching and leaves ECS to finish (exit 5); the deployment is still there, waiting', async (t) => {
  const stack = await pausedStack(t);
  const { code, output } = await cancelledDeploy(t, stack, 'SIGINT', ['--on-cancel', 'detach']);
  assert.equal(code, 5, output);
  assert.match(output, /SIGINT: left the deployment to ECS: it goes on/);
  const sd = await current(stack);
  assert.deepEqual([sd?.status, sd?.lifecycleStage], ['IN_PROGRESS', 'POST_TEST_TRAFFIC_SHIFT']);
});
