import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blueGreenStack, versionAt } from '../emulator/ecs-blue-green-stack.js';
import { cli, target } from './native-cli.js';

/** Asks the production listener which version answers, until stopped; remembers every version seen. */
function watchProduction(url: string) {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        seen.add(await versionAt(url));
      } catch {
        seen.add('error');
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      await loop;
    },
  };
}

test('blue/green whose smoke gate fails is rolled back (exit 3) and production never serves the new revision', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const production = watchProduction(stack.productionUrl);
  const result = await cli(t, stack, ['deploy', ...target(stack), '--image', stack.images.get('v2') ?? '', '--strategy', 'blue-green'], [
    'strategy:',
    '  bake: 1m',
    '  gates:',
    '    - stage: POST_TEST_TRAFFIC_SHIFT',
    '      name: smoke',
    '      command: { run: "echo smoke test failed; exit 1", retries: 1, interval: 100ms }',
  ].join('\n'));
  await production.stop();
  assert.equal(result.code, 3, result.stdout + result.stderr);
  assert.match(result.stdout, /smoke/);
  assert.deepEqual([...production.seen], ['v1']);
  assert.equal(await versionAt(stack.productionUrl), 'v1');
});

test('canary 10% then the rest, with a gate before each production step, completes (exit 0)', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const result = await cli(t, stack, ['deploy', ...target(stack), '--image', stack.images.get('v2') ?? '', '--strategy', 'canary', '--output', 'json'], [
    'strategy:',
    '  canary: { percent: 10, bake: 1m }',
    '  bake: 30s',
    '  gates:',
    '    - stage: PRE_PRODUCTION_TRAFFIC_SHIFT',
    '      name: metrics-ok',
    '      command: { run: "echo fine" }',
  ].join('\n'));
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; revisions?: Array<{ productionWeight?: number }> });
  assert.equal(events.filter((e) => e.type === 'gate-passed').length, 2);
  const weights = new Set(events.flatMap((e) => (e.revisions ?? []).map((r) => r.productionWeight)).filter((w) => w !== undefined));
  assert.ok(weights.has(10), `the canary step at 10% was reported: ${[...weights].join(', ')}`);
  assert.equal(await versionAt(stack.productionUrl), 'v2');
});

for (const action of ['promote', 'abort'] as const) {
  test(`${action} from another terminal while a deploy waits at a PAUSE hook`, async (t) => {
    const stack = await blueGreenStack(t, {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
    });
    const deploying = cli(t, stack, ['deploy', ...target(stack), '--image', stack.images.get('v2') ?? '', '--strategy', 'blue-green']);
    const deadline = Date.now() + 20_000;
    let other = await cli(t, stack, [action, ...target(stack)]);
    while (other.code !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      other = await cli(t, stack, [action, ...target(stack)]);
    }
    assert.equal(other.code, 0, other.stdout + other.stderr);
    const deployed = await deploying;
    assert.equal(deployed.code, action === 'abort' ? 6 : 0, deployed.stdout + deployed.stderr);
    assert.equal(await versionAt(stack.productionUrl), action === 'abort' ? 'v1' : 'v2');
  });
}
