import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pushSampleVersions } from '../../examples/lib/sample-stack.js';
import { idleAlarm, loadBalancer5xxAlarm } from '../support/alarms.js';
import { blueGreenStack, current, versionAt } from '../emulator/ecs-blue-green-stack.js';
import { cli, deployV2, eventsOf, show, target, until, versionsAt, watchOutput } from './native-cli.js';

interface StatusJson {
  serviceDeployment?: {
    status: string;
    strategy?: string;
    stage?: string;
    revisions: Array<{ role: string; taskDefinitionArn?: string; productionWeight?: number; testWeight?: number }>;
    hooks: Array<{ hookId: string; targetType?: string; status?: string; stage?: string; actions: string[] }>;
  };
}

test('linear in 50% steps completes (exit 0), reports each production weight and names revisions by task definition', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const run = await cli(t, stack, [...deployV2(stack, 'linear'), '--output', 'json'], [
    'strategy:',
    '  linear: { stepPercent: 50, stepBake: 1m }',
    '  bake: 0s',
  ].join('\n'));
  assert.equal(run.code, 0, show(run));
  const progress = eventsOf(run).filter((e) => e.type === 'service-deployment-progress');
  const weights = progress.map((e) => e.revisions?.find((r) => r.role === 'target')?.productionWeight).filter((w) => w !== undefined);
  assert.ok(weights.includes(50), `the 50% step was reported: ${weights.join(', ')}`);
  assert.ok(weights.includes(100), `the 100% step was reported: ${weights.join(', ')}`);
  assert.ok(weights.indexOf(50) < weights.indexOf(100), `50% before 100%: ${weights.join(', ')}`);
  const named = progress.flatMap((e) => e.revisions ?? []);
  assert.ok(named.some((r) => r.role === 'target' && r.taskDefinitionArn?.endsWith(`task-definition/${stack.cluster}:2`)), 'green is the new task definition revision');
  assert.ok(named.some((r) => r.role === 'source' && r.taskDefinitionArn?.endsWith(`task-definition/${stack.cluster}:1`)), 'blue is the first one');
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v2']);
});

test('abort during BAKE_TIME puts production back on the old revision; the following deploy exits 6', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const deploying = cli(t, stack, deployV2(stack, 'blue-green'), 'strategy:\n  bake: 30m\n');
  await until('the deployment to bake', async () => ((await current(stack))?.lifecycleStage === 'BAKE_TIME' ? true : undefined));
  assert.equal(await versionAt(stack.productionUrl), 'v2', 'production is on green while it bakes');
  const aborted = await cli(t, stack, ['abort', ...target(stack), '--output', 'json']);
  assert.equal(aborted.code, 0, show(aborted));
  assert.equal((JSON.parse(aborted.stdout) as { stage: string }).stage, 'BAKE_TIME');
  const deployed = await deploying;
  assert.equal(deployed.code, 6, show(deployed));
  assert.match(deployed.stdout, /ABORTED/);
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v1']);
});

test('a PAUSE hook without a gate waits, status shows it AWAITING_ACTION with promote/abort, and promote lets the deploy complete', async (t) => {
  const stack = await blueGreenStack(t, {
    strategy: 'BLUE_GREEN',
    bakeTimeInMinutes: 0,
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
  });
  const live = watchOutput();
  const deploying = cli(t, stack, deployV2(stack, 'blue-green'), 'strategy:\n  bake: 0s\n', live.stream);
  await until('the deploy to show the hook waiting', async () => (/AWAITING_ACTION \(waiting for ecs-rollout promote or abort/.test(live.text()) ? true : undefined));
  const waiting = await until('status to show the hook waiting', async () => {
    const status = await cli(t, stack, ['status', ...target(stack), '--output', 'json']);
    assert.equal(status.code, 0, show(status));
    const sd = (JSON.parse(status.stdout) as StatusJson).serviceDeployment;
    return sd?.hooks.some((h) => h.status === 'AWAITING_ACTION') ? sd : undefined;
  });
  assert.equal(waiting.strategy, 'BLUE_GREEN');
  assert.equal(waiting.stage, 'POST_TEST_TRAFFIC_SHIFT');
  assert.deepEqual(waiting.hooks.map((h) => [h.targetType, h.status, h.stage, h.actions]), [['PAUSE', 'AWAITING_ACTION', 'POST_TEST_TRAFFIC_SHIFT', ['promote', 'abort']]]);
  const green = waiting.revisions.find((r) => r.role === 'target');
  const blue = waiting.revisions.find((r) => r.role === 'source');
  assert.deepEqual([green?.taskDefinitionArn?.split('/').pop(), green?.productionWeight, green?.testWeight], [`${stack.cluster}:2`, 0, 100]);
  assert.deepEqual([blue?.taskDefinitionArn?.split('/').pop(), blue?.productionWeight, blue?.testWeight], [`${stack.cluster}:1`, 100, 0]);

  const text = await cli(t, stack, ['status', ...target(stack)]);
  assert.equal(text.code, 0, show(text));
  const flags = `--cluster ${stack.cluster} --service ${stack.service}`;
  assert.match(text.stdout, /service deployment \S+: IN_PROGRESS, strategy BLUE_GREEN, stage POST_TEST_TRAFFIC_SHIFT\n/);
  assert.ok(text.stdout.includes(`  green ${stack.cluster}:2 2/2 running, 0 pending, prod 0%, test 100%\n`), text.stdout);
  assert.ok(text.stdout.includes(`  blue ${stack.cluster}:1 2/2 running, 0 pending, prod 100%, test 0%\n`), text.stdout);
  assert.ok(text.stdout.includes(`(PAUSE) at POST_TEST_TRAFFIC_SHIFT: AWAITING_ACTION: run ecs-rollout promote ${flags} to continue, or ecs-rollout abort ${flags} to roll back; ECS does ROLLBACK at `), text.stdout);

  // Nothing answers a hook the tool has no gate for: still waiting, production still on blue.
  assert.equal((await current(stack))?.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
  assert.deepEqual([...(await versionsAt(stack.productionUrl, 5))], ['v1']);
  const promoted = await cli(t, stack, ['promote', ...target(stack)]);
  assert.equal(promoted.code, 0, show(promoted));
  const deployed = await deploying;
  assert.equal(deployed.code, 0, show(deployed));
  assert.match(deployed.stdout, /hook \S+ \(PAUSE\) at POST_TEST_TRAFFIC_SHIFT: SUCCEEDED/);
  assert.match(deployed.stdout, new RegExp(`green ${stack.cluster}:2 `), 'the plain lines name green by task definition');
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v2']);
});

test('a gate whose command outlives its timeout fails and rolls back (exit 3); production never leaves v1', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const run = await cli(t, stack, deployV2(stack, 'canary'), [
    'strategy:',
    '  canary: { percent: 10, bake: 1m }',
    '  bake: 0s',
    '  gates:',
    '    - stage: POST_TEST_TRAFFIC_SHIFT',
    '      name: slow-smoke',
    '      command: { run: "echo starting; sleep 30", timeout: 300ms }',
  ].join('\n'));
  assert.equal(run.code, 3, show(run));
  assert.match(run.stdout, /gate slow-smoke FAILED: gate slow-smoke failed after 1 attempt: 'echo starting; sleep 30' did not finish within 300ms/);
  assert.match(run.stdout, /gate slow-smoke #1 \| starting/);
  assert.match(run.stdout, /ROLLED BACK/);
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v1']);
});

test('--timeout shorter than the bake exits 5 and leaves the deployment going in ECS', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const run = await cli(t, stack, [...deployV2(stack, 'blue-green'), '--timeout', '4s'], 'strategy:\n  bake: 60m\n');
  assert.equal(run.code, 5, show(run));
  assert.match(run.stdout, /stage BAKE_TIME/);
  assert.match(run.stdout, /TIMED OUT/);
  const sd = await current(stack);
  assert.deepEqual([sd?.status, sd?.lifecycleStage], ['IN_PROGRESS', 'BAKE_TIME']);
});

test('a deployment alarm in ALARM during the canary step rolls the canary back (exit 3), naming the alarm; production ends on v1', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const { name: alarm, fire } = await idleAlarm(t, stack.endpoint);
  const deploying = cli(t, stack, [...deployV2(stack, 'canary'), '--output', 'json'], [
    'strategy:',
    '  canary: { percent: 10, bake: 60m }',
    '  bake: 0s',
    `  alarms: { names: [${alarm}] }`,
  ].join('\n'));
  await until('the canary step', async () => {
    const d = await current(stack);
    return d?.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && d.targetServiceRevision?.requestedProductionTrafficWeight === 10 ? true : undefined;
  });
  await fire('5xx above 5');
  const run = await deploying;
  assert.equal(run.code, 3, show(run));
  assert.ok(run.stdout.includes(`alarm ${alarm} is in ALARM state`), 'the rollback reason names the alarm');
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v1']);
});

test('--log keeps the deployment log: every event as JSON lines with the gate\'s output in full, then the result, whatever the screen shows', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-log-'));
  t.after(async () => rmSync(dir, { recursive: true, force: true }));
  const logFile = join(dir, 'logs', 'deploy.jsonl');
  const run = await cli(t, stack, [...deployV2(stack, 'blue-green'), '--log', logFile], [
    'strategy:',
    '  bake: 0s',
    '  gates:',
    '    - stage: POST_TEST_TRAFFIC_SHIFT',
    '      name: smoke',
    '      command: { run: "for i in 1 2 3 4 5 6 7 8; do echo check $i failed; done; exit 1" }',
  ].join('\n'));
  assert.equal(run.code, 3, show(run));
  const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; line?: string; exitCode?: number; outcome?: string });
  assert.deepEqual(lines.filter((e) => e.type === 'gate-output').map((e) => e.line), [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `check ${i} failed`));
  assert.ok(lines.some((e) => e.type === 'stage-changed'), 'stage changes are in the log');
  assert.deepEqual(lines.at(-1) && [lines.at(-1)?.type, lines.at(-1)?.exitCode, lines.at(-1)?.outcome], ['result', 3, 'rolled-back']);

  const unwritable = await cli(t, stack, [...deployV2(stack, 'blue-green'), '--log', join(logFile, 'not-a-folder', 'x.jsonl')]);
  assert.equal(unwritable.code, 2, show(unwritable));
  assert.match(unwritable.stderr, /--log: cannot write the deployment log .*not-a-folder.*; pass a path in a folder you can write to/);
  assert.equal((await current(stack))?.status, 'ROLLBACK_SUCCESSFUL', 'nothing was deployed');
});

test('a deployment alarm already in ALARM stops the deploy before any change (exit 2); with preexistingAlarm: proceed the rollback is not blamed on the new version', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const { name: alarm, fire } = await idleAlarm(t, stack.endpoint);
  await fire('5xx above 5 before anyone deployed');
  const before = await current(stack);
  const yaml = (extra: string) => ['strategy:', '  bake: 0s', `  alarms: { names: [${alarm}]${extra} }`].join('\n');

  const stopped = await cli(t, stack, deployV2(stack, 'blue-green'), yaml(''));
  assert.equal(stopped.code, 2, show(stopped));
  assert.match(stopped.stderr + stopped.stdout, new RegExp(`alarm ${alarm} \\(an ECS deployment alarm\\) is already in ALARM since \\S+: 5xx above 5 before anyone deployed`));
  assert.match(stopped.stderr + stopped.stdout, /set strategy\.alarms\.preexistingAlarm: proceed to deploy anyway/);
  assert.equal((await current(stack))?.serviceDeploymentArn, before?.serviceDeploymentArn, 'no deployment was started');

  const proceeded = await cli(t, stack, deployV2(stack, 'blue-green'), yaml(', preexistingAlarm: proceed'));
  assert.equal(proceeded.code, 3, show(proceeded));
  assert.match(proceeded.stdout, new RegExp(`proceeding although ${alarm} is in ALARM`));
  assert.match(proceeded.stdout + proceeded.stderr, new RegExp(`${alarm} was already in ALARM before this deploy \\(preexistingAlarm: proceed\\), so this rollback says nothing against the new version`));
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v1']);
});

test('a deployment alarm on the load balancer\'s real 5xx count fires from the canary\'s errors and rolls it back (exit 3)', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const images = await pushSampleVersions(stack.endpoint, [{ tag: 'v2-errors', env: { FAIL_RATE: '1' } }]);
  const alarm = await loadBalancer5xxAlarm(t, stack.endpoint, stack.productionRule);
  // Users keep calling production: at the 10% step about one request in ten reaches the failing version.
  let sending = true;
  const load = (async () => {
    while (sending) await fetch(stack.productionUrl).then((r) => r.arrayBuffer()).catch(() => undefined);
  })();
  const run = await cli(t, stack, ['deploy', ...target(stack), '--image', images.get('v2-errors') ?? '', '--strategy', 'canary'], [
    'strategy:',
    '  canary: { percent: 10, bake: 30m }',
    '  bake: 0s',
    `  alarms: { names: [${alarm}] }`,
  ].join('\n'));
  sending = false;
  await load;
  assert.equal(run.code, 3, show(run));
  assert.ok(run.stdout.includes(`alarm ${alarm} is in ALARM state`), `the rollback names the alarm: ${show(run)}`);
  assert.deepEqual([...(await versionsAt(stack.productionUrl))], ['v1']);
});

test('the deploy lock: a second deploy while one runs is refused naming who holds it (exit 2); status shows the lock; it is gone when the deploy ends', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }] });
  const live = watchOutput();
  const first = cli(t, stack, deployV2(stack, 'blue-green'), 'strategy:\n  bake: 0s\n', live.stream);
  await until('the first deploy to wait at the hook', async () => (/AWAITING_ACTION/.test(live.text()) ? true : undefined));
  const second = await cli(t, stack, deployV2(stack, 'blue-green'), 'strategy:\n  bake: 0s\n');
  assert.equal(second.code, 2, show(second));
  assert.match(second.stderr + second.stdout, new RegExp(`service ${stack.service} is being deployed by \\S+ since \\S+ \\(deployment [0-9a-f-]{36}; its lock expires at \\S+\\)\\. Wait for that deploy to end .* or pass --force`));
  const status = await cli(t, stack, ['status', ...target(stack)]);
  assert.match(status.stdout, /deploy lock: held by \S+ since \S+ \(deployment [0-9a-f-]{36}\); expires at \S+; a dead deploy's lock can be taken over with deploy --force/);
  assert.equal((await cli(t, stack, ['promote', ...target(stack)])).code, 0);
  assert.equal((await first).code, 0);
  const after = await cli(t, stack, ['status', ...target(stack)]);
  assert.ok(!after.stdout.includes('deploy lock'), `the lock is let go: ${after.stdout}`);
});
