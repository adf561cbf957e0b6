import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../examples/lib/sample-stack.js';
import { uniqueName } from '../support/clients.js';
import { blueGreenStack, current, versionAt, type Stack } from '../emulator/ecs-blue-green-stack.js';
import { cli, deployV2, eventsOf, show, target, until, versionsAt, watchOutput } from './native-cli.js';

/**
 * A Lambda function in the stack's emulator that answers every hook call with
 * `hookStatus` and appends the stage ECS called it at to `calls`; returns its ARN.
 */
async function hookFunction(t: { after: (fn: () => Promise<void>) => void }, stack: Stack, hookStatus: 'SUCCEEDED' | 'FAILED'): Promise<{ arn: string; stages: () => string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-hook-'));
  t.after(async () => rmSync(dir, { recursive: true, force: true }));
  const calls = join(dir, 'calls');
  const answer = [
    "let body = ''; process.stdin.on('data', (d) => (body += d));",
    `process.stdin.on('end', () => { require('node:fs').appendFileSync(${JSON.stringify(calls)}, JSON.parse(body).lifecycleStage + '\\n');`,
    `process.stdout.write(JSON.stringify({ hookStatus: '${hookStatus}' })); });`,
  ].join(' ');
  const made = await runCli(['emulator', 'lambda', uniqueName('hook'), '--endpoint-url', stack.endpoint, '--', process.execPath, '-e', answer], {});
  assert.equal(made.code, 0, made.stderr);
  return { arn: made.stdout.trim(), stages: () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []) };
}

test('promotableBake: promote during the bake ends it early; the deploy completes (exit 0) with production on v2', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const live = watchOutput();
  // 30 minutes is 36 s of real time at the stack's clock: the test ends long before unless promote ends the bake.
  const deploying = cli(t, stack, deployV2(stack, 'blue-green'), 'strategy:\n  bake: 30m\n  promotableBake: true\n', live.stream);
  await until('the deploy to show the bake', async () => (/bake: about (30m|29m\d+s) left .*ecs-rollout promote ends it now/.test(live.text()) ? true : undefined)).catch((err: Error) => { throw new Error(err.message + live.text()); });
  const sd = await current(stack);
  assert.equal(sd?.lifecycleStage, 'POST_PRODUCTION_TRAFFIC_SHIFT', 'the promotable bake is a PAUSE hook after production moved');
  assert.deepEqual(sd?.lifecycleHookDetails?.map((h) => [h.targetType, h.status, h.timeoutAction]), [['PAUSE', 'AWAITING_ACTION', 'CONTINUE']]);
  assert.deepEqual([...(await versionsAt(stack.productionUrl, 5))], ['v2'], 'production is on green while it bakes');
  assert.equal(sd?.sourceServiceRevisions?.[0]?.runningTaskCount, 2, 'blue is kept warm through the bake');

  const promoted = await cli(t, stack, ['promote', ...target(stack)]);
  assert.equal(promoted.code, 0, show(promoted));
  assert.match(promoted.stdout, /the bake \(30m\) ended early/);
  const deployed = await deploying;
  assert.equal(deployed.code, 0, show(deployed));
  assert.equal((await current(stack))?.status, 'SUCCESSFUL');
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v2']);
});

test('promotableBake: with nobody promoting, ECS ends the bake at the hook timeout (CONTINUE) and the deploy completes', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const run = await cli(t, stack, [...deployV2(stack, 'blue-green'), '--output', 'json'], 'strategy:\n  bake: 1m\n  promotableBake: true\n');
  assert.equal(run.code, 0, show(run));
  const bake = eventsOf(run).find((e) => e.type === 'bake-progress');
  assert.deepEqual([bake?.kind, bake?.promotable], ['final', true], show(run));
  assert.ok(eventsOf(run).some((e) => e.type === 'stage-changed' && e.stage === 'POST_PRODUCTION_TRAFFIC_SHIFT'), 'the bake is held at POST_PRODUCTION_TRAFFIC_SHIFT');
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v2']);
});

test('a Lambda hook from strategy.hooks that answers FAILED at POST_TEST_TRAFFIC_SHIFT rolls back (exit 3); production never leaves v1', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const hook = await hookFunction(t, stack, 'FAILED');
  const arn = hook.arn;
  const run = await cli(t, stack, deployV2(stack, 'blue-green'), [
    'strategy:',
    '  bake: 0s',
    '  hooks:',
    `    - { stages: [POST_TEST_TRAFFIC_SHIFT], lambda: "${arn}", timeout: 5m }`,
  ].join('\n'));
  assert.equal(run.code, 3, show(run));
  assert.ok(run.stdout.includes(`hook Lambda ${arn} at POST_TEST_TRAFFIC_SHIFT (times out after 5m: ROLLBACK)`), show(run));
  assert.match(run.stdout, /lifecycle hook \S+ failed: the function returned hookStatus FAILED/);
  assert.deepEqual(hook.stages(), ['POST_TEST_TRAFFIC_SHIFT']);
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v1']);
});

test('a Lambda hook from strategy.hooks that answers SUCCEEDED lets the deployment complete (exit 0)', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const hook = await hookFunction(t, stack, 'SUCCEEDED');
  const run = await cli(t, stack, deployV2(stack, 'blue-green'), `strategy:\n  bake: 0s\n  hooks:\n    - { stages: [PRE_SCALE_UP, POST_TEST_TRAFFIC_SHIFT], lambda: "${hook.arn}" }\n`);
  assert.equal(run.code, 0, show(run));
  assert.deepEqual(hook.stages(), ['PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'], 'ECS called the function at each stage the file named');
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v2']);
});

test('a PAUSE hook from strategy.hooks that nobody answers times out with ROLLBACK (exit 3); production stays on v1', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const run = await cli(t, stack, deployV2(stack, 'blue-green'), 'strategy:\n  bake: 0s\n  hooks:\n    - { stages: [POST_SCALE_UP], pause: true, timeout: 1m, onTimeout: rollback }\n');
  assert.equal(run.code, 3, show(run));
  assert.match(run.stdout, /rolled back because lifecycle hook \S+ timed out/);
  assert.equal(await versionAt(stack.productionUrl), 'v1');
});
