import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abortCanary, findAlbCanary, promoteCanary } from '../../src/engine/alb-canary/operator.js';
import { runAlbCanary, type AlbCanaryRequest } from '../../src/engine/alb-canary/run.js';
import { decodeState, TAG } from '../../src/engine/alb-canary/state-tag.js';
import type { RolloutEvent } from '../../src/engine/events.js';
import type { CanaryStep } from '../../src/spec/canary-steps.js';
import { RolloutError } from '../../src/spec/errors.js';
import { CanaryWorld, CLUSTER, forward, RULE, ScriptedAnalysis } from './alb-canary-fakes.js';
import { fakeClock, REPO_URI } from './engine-fakes.js';

const STEPS: CanaryStep[] = [
  { kind: 'set-weight', weight: 20 },
  { kind: 'pause', durationMs: 60_000 },
  { kind: 'analysis', name: 'error-rate' },
  { kind: 'set-weight', weight: 50 },
];

function request(steps: CanaryStep[] = STEPS, fields: Partial<AlbCanaryRequest> = {}): AlbCanaryRequest {
  return {
    cluster: CLUSTER,
    service: 'web',
    change: { image: `${REPO_URI}:v4` },
    timeoutMs: 600_000,
    pollIntervalMs: 5000,
    who: 'alice@ci',
    settings: { route: { kind: 'rule', arn: RULE }, canaryService: 'web-canary', canaryCount: undefined, steps, notes: [] },
    ...fields,
  };
}

async function run(world: CanaryWorld, analysis = new ScriptedAnalysis([{ phase: 'Successful' }]), req = request()) {
  const events: RolloutEvent[] = [];
  const clock = fakeClock();
  const result = await runAlbCanary(world.ports(), req, { clock, analysis, onEvent: (e) => events.push(e) });
  return { result, events, clock, types: events.map((e) => e.type) };
}

test('driver: success writes, in order: revision, canary up, each weight, stable takes it, weights back, canary down', async () => {
  const world = new CanaryWorld();
  const analysis = new ScriptedAnalysis([{ phase: 'Successful' }]);
  const { result, clock } = await run(world, analysis);
  assert.equal(result.outcome, 'succeeded', result.message);
  assert.deepEqual(world.writes, ['register web:4', 'deploy web-canary web:4 x2', 'weights 80/20', 'deploy web web:4', 'weights 100/0', 'scale web-canary 0'].flatMap((w) => (w === 'deploy web web:4' ? ['weights 50/50', w] : [w])));
  assert.deepEqual([...world.tagsOf('web-canary').keys()], [], 'the record is cleared');
  assert.deepEqual([...world.tagsOf('web').keys()], []);
  assert.ok(clock.now() - Date.parse(result.startedAt) >= 60_000, 'the pause was waited on the engine clock');
  assert.deepEqual(analysis.runs[0]?.variables, {
    'canary.targetGroup': 'targetgroup/web-canary/fedcba9876543210',
    'stable.targetGroup': 'targetgroup/web/0123456789abcdef',
    loadBalancer: 'app/web/50dc6c495c0c9188',
    cluster: CLUSTER,
    'canary.service': 'web-canary',
    'stable.service': 'web',
    'canary.weight': '20',
    step: '3',
  });
});

test('driver: a failed analysis sends traffic back first, then scales the canary down; the stable never changes (rolled-back)', async () => {
  const world = new CanaryWorld();
  const { result, types } = await run(world, new ScriptedAnalysis([{ phase: 'Failed', summary: 'error rate 12% > 1%' }]));
  assert.equal(result.outcome, 'rolled-back');
  assert.equal(result.reason, 'analysis error-rate Failed: error rate 12% > 1%');
  assert.deepEqual(world.writes, ['register web:4', 'deploy web-canary web:4 x2', 'weights 80/20', 'weights 100/0', 'scale web-canary 0']);
  assert.equal(world.services.get('web')?.taskDefinition.endsWith(':3'), true);
  assert.ok(types.indexOf('rolling-back') < types.indexOf('rolled-back'));
  assert.deepEqual([...world.tagsOf('web-canary').keys()], []);
});

test('driver: onFailure report carries on with a warning; onFailure pause waits for promote', async () => {
  const reported = await run(new CanaryWorld(), new ScriptedAnalysis([{ phase: 'Failed', onFailure: 'report', summary: 'p99 high' }]));
  assert.equal(reported.result.outcome, 'succeeded');
  assert.ok(reported.types.includes('analysis-failure-reported'));

  const world = new CanaryWorld();
  let looks = 0;
  world.onLook = (w) => {
    // Another terminal promotes once the deploy has waited a while.
    const state = decodeState(w.tagsOf('web-canary').get(TAG.state));
    if (state?.waiting === 'promote' && ++looks === 3) {
      void promoteCanary(w.ports(), { cluster: CLUSTER, stable: { serviceName: 'web', serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web' }, canary: { serviceName: 'web-canary', serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web-canary' }, state, record: { state, route: { kind: 'rule', arn: RULE }, promote: undefined, abort: undefined }, route: { kind: 'rule', arn: RULE } }, 'bob@laptop', state.updatedAt);
    }
  };
  const paused = await run(world, new ScriptedAnalysis([{ phase: 'Inconclusive', onFailure: 'pause', summary: 'no data' }]));
  assert.equal(paused.result.outcome, 'succeeded', paused.result.message);
  assert.ok(paused.types.includes('analysis-waiting-for-operator'));
  assert.ok(paused.types.includes('promote-received'));
});

test('driver: canary tasks that never get healthy are rolled back before any traffic moves', async () => {
  const world = new CanaryWorld();
  world.failingRevisions.add('web:4');
  const { result } = await run(world);
  assert.equal(result.outcome, 'rolled-back');
  assert.match(result.reason ?? '', /service web-canary did not take web:4: 3 tasks of web:4 failed to start or to stay healthy/);
  assert.deepEqual(world.writes, ['register web:4', 'deploy web-canary web:4 x2', 'scale web-canary 0']);
  assert.equal(world.weights(), '100/0');
});

test('driver: an abort recorded by another terminal stops the canary with outcome aborted', async () => {
  const world = new CanaryWorld();
  world.onLook = (w) => {
    const state = decodeState(w.tagsOf('web-canary').get(TAG.state));
    if (state?.waiting === 'pause') {
      w.onLook = undefined;
      const canary = w.services.get('web-canary');
      canary?.tags.push({ key: TAG.abort, value: `run=${state.run} at=20250601T120000Z by=bob@laptop` });
    }
  };
  const { result } = await run(world);
  assert.equal(result.outcome, 'aborted');
  assert.match(result.reason ?? '', /aborted with ecs-rollout abort by bob@laptop/);
  assert.deepEqual(world.writes.slice(-2), ['weights 100/0', 'scale web-canary 0']);
  assert.deepEqual([...world.tagsOf('web-canary').keys()], [], 'the deploy clears the abort marker it acted on');
});

test('driver: preflight refuses, changing nothing, when the weights are not all on stable and no canary is recorded', async () => {
  const world = new CanaryWorld();
  world.actions = [forward(90, 10)];
  await assert.rejects(run(world), (err: unknown) => err instanceof RolloutError && err.code === 'PreflightFailed' && /already sends 10% to canary target group web-canary but service web-canary records no canary/.test(err.message));
  const missing = new CanaryWorld();
  await assert.rejects(run(missing, undefined, request([{ kind: 'set-weight', weight: 10 }, { kind: 'analysis', name: 'missing' }])), /step 2 runs analysis missing, which the analysis: section of ecs-rollout.yaml does not define/);
  const wrongRoute = new CanaryWorld();
  await assert.rejects(run(wrongRoute, undefined, request(STEPS, { settings: { ...request().settings, route: { kind: 'rule', arn: `${RULE}0` } } })), /listener rule .* does not exist; check strategy\.alb\.listenerRule/);
  for (const w of [world, missing, wrongRoute]) assert.deepEqual(w.writes, []);
});

test('driver: a deploy that died at a step resumes there; a dry run changes nothing', async () => {
  const world = new CanaryWorld();
  world.onLook = (w) => {
    const state = decodeState(w.tagsOf('web-canary').get(TAG.state));
    if (state?.waiting === 'pause') throw new Error('killed');
  };
  await assert.rejects(run(world), /killed/);
  world.onLook = undefined;
  const before = world.writes.length;
  const resumed = await run(world);
  assert.equal(resumed.result.outcome, 'succeeded', resumed.result.message);
  assert.ok(resumed.types.includes('canary-resumed'));
  assert.deepEqual(world.writes.slice(before), ['weights 50/50', 'deploy web web:4', 'weights 100/0', 'scale web-canary 0']);

  const fresh = new CanaryWorld();
  const planned = await run(fresh, undefined, request(STEPS, { dryRun: true }));
  assert.equal(planned.result.outcome, 'planned');
  assert.deepEqual(fresh.writes, []);
  assert.deepEqual(fresh.tagWrites, []);
});

test('operator: abort with no deploy running reverts, puts a promoting stable back, and keeps the marker for a deploy that may still run', async () => {
  const world = new CanaryWorld();
  // A deploy that died while the stable was taking the new revision.
  world.onLook = (w) => {
    const state = decodeState(w.tagsOf('web-canary').get(TAG.state));
    if (state?.phase === 'promoting' && w.services.get('web')?.taskDefinition.endsWith(':4')) throw new Error('killed');
  };
  await assert.rejects(run(world), /killed/);
  world.onLook = undefined;
  const found = await findAlbCanary(world.ports(), { cluster: CLUSTER, service: 'web' }, undefined);
  assert.ok(found);
  const clock = fakeClock(found.state.updatedAt + 600_000);
  const aborted = await abortCanary(world.ports(), found, { who: 'bob@laptop', clock, pollIntervalMs: 500, timeoutMs: 60_000 });
  assert.match(aborted.message, /aborted the canary of web on web-canary promoting after step 4\/4: .*all traffic is back on web, which goes back to web:3 \(stable 100 \/ canary 0, confirmed on the load balancer\) and web-canary is scaled to 0$/);
  assert.deepEqual(world.writes.slice(-3), ['weights 100/0', 'scale web-canary 0', 'deploy web web:3']);
  assert.deepEqual([...world.tagsOf('web-canary').keys()], [TAG.abort]);
  assert.equal(await findAlbCanary(world.ports(), { cluster: CLUSTER, service: 'web' }, 'web-canary'), undefined);
});

test('driver: a resumed canary whose tasks died while nobody watched is rolled back, never left serving', async () => {
  const world = new CanaryWorld();
  world.onLook = (w) => {
    if (decodeState(w.tagsOf('web-canary').get(TAG.state))?.waiting === 'pause') throw new Error('killed');
  };
  await assert.rejects(run(world), /killed/);
  world.onLook = undefined;
  world.failingRevisions.add('web:4');
  assert.equal(world.weights(), '80/20');
  const { result } = await run(world);
  assert.equal(result.outcome, 'rolled-back');
  assert.match(result.reason ?? '', /the canary target group has no healthy targets while it has 20% of the traffic/);
  assert.deepEqual(world.writes.slice(-2), ['weights 100/0', 'scale web-canary 0']);
});
