import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleHistory, outcomeOf, type HistoryEntry } from '../../src/engine/history.js';
import { commitFromEnvironment, readReleaseTags, withReleaseTags } from '../../src/engine/release-tags.js';
import { chooseRollbackTarget } from '../../src/engine/rollback-target.js';
import { telltaleContainer } from '../../src/engine/rollback.js';
import { planPrune } from '../../src/engine/prune.js';

const TD = (n: number) => `arn:aws:ecs:us-east-1:1:task-definition/web:${n}`;

function entry(n: number, outcome: HistoryEntry['outcome'], fields: Partial<HistoryEntry> = {}): HistoryEntry {
  const status = { succeeded: 'SUCCESSFUL', 'rolled-back': 'ROLLBACK_SUCCESSFUL', stopped: 'STOPPED', 'in-progress': 'IN_PROGRESS' }[outcome];
  return {
    serviceDeploymentArn: `sd-${n}`, status, outcome, startedAt: undefined, finishedAt: `2026-01-0${n}T00:00:00.000Z`, durationMs: undefined,
    taskDefinitionArn: TD(n), revision: `web:${n}`, image: `1.dkr.ecr.us-east-1.amazonaws.com/web:1.${n}.0`, commit: `${String(n).repeat(8)}cafe`, who: 'alice@ci',
    deploymentId: undefined, strategy: 'ROLLING', reason: undefined, ...fields,
  };
}

test('rollback target: the newest deployment that completed with another revision; never-completed ones are skipped and named', () => {
  // Newest first: web:5 running (just rolled back to), web:4 rolled back, web:3 stopped, web:2 completed, web:1 completed.
  const history = [entry(5, 'succeeded'), entry(4, 'rolled-back'), entry(3, 'stopped'), entry(2, 'succeeded'), entry(1, 'succeeded')];
  const cases: Array<[string, string | undefined, string, RegExp]> = [
    ['default', undefined, 'web:2', /^the last revision that completed a deployment \(2026-01-02T00:00:00\.000Z\); skipped web:4, web:3, which never completed a deployment$/],
    ['--to a revision', 'web:1', 'web:1', /^--to web:1$/],
    ['--to a revision number', '1', 'web:1', /^--to 1$/],
    ['--to an image tag', '1.2.0', 'web:2', /^--to 1\.2\.0$/],
    ['--to a commit prefix', '11111111', 'web:1', /^--to 11111111$/],
  ];
  for (const [name, to, revision, why] of cases) {
    const choice = chooseRollbackTarget(history, TD(5), to);
    assert.ok(choice.ok, `${name}: ${JSON.stringify(choice)}`);
    assert.equal(choice.entry.revision, revision, name);
    assert.match(choice.why, why, name);
  }
});

test('rollback target: what it refuses, and why', () => {
  const history = [entry(3, 'succeeded'), entry(2, 'rolled-back'), entry(1, 'stopped')];
  const cases: Array<[string, string | undefined, RegExp]> = [
    ['nothing earlier completed', undefined, /^no earlier revision completed a deployment in the last 3 deployment\(s\)/],
    ['a release that never completed', '1.2.0', /^--to 1\.2\.0: web:2 never completed a deployment \(ROLLBACK_SUCCESSFUL\)/],
    ['the running one', 'web:3', /^--to web:3: the service already runs web:3/],
    ['no match', 'v9', /^--to v9: no deployment in the last 3 matches it/],
    ['a commit prefix too short to be sure', '333', /^--to 333: no deployment/],
  ];
  for (const [name, to, message] of cases) {
    const choice = chooseRollbackTarget(history, TD(3), to);
    assert.ok(!choice.ok, name);
    assert.match(choice.message, message, name);
  }
});

test('history: statuses become outcomes; an entry joins brief, detail, revision and the revision\'s release tags', () => {
  assert.deepEqual(
    ['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'ROLLBACK_IN_PROGRESS', 'IN_PROGRESS', 'PENDING', 'STOPPED', undefined].map(outcomeOf),
    ['succeeded', 'rolled-back', 'rolled-back', 'in-progress', 'in-progress', 'in-progress', 'stopped', 'stopped'],
  );
  const tags = withReleaseTags([{ key: 'team', value: 'web' }, { key: 'ecs-rollout:commit', value: 'old' }], { image: 'web:v2', commit: 'abc1234', who: 'bob (ci)', at: Date.UTC(2026, 0, 1), deploymentId: 'id-1' });
  assert.deepEqual(readReleaseTags(tags), { image: 'web:v2', commit: 'abc1234', who: 'bob _ci_', at: '2026-01-01T00:00:00.000Z', deploymentId: 'id-1' }, 'values keep to the characters AWS allows in tags');
  assert.equal(tags.filter((t) => t.key === 'ecs-rollout:commit').length, 1, "a previous release's tags are replaced");
  assert.ok(tags.some((t) => t.key === 'team'));

  const [one] = assembleHistory({
    briefs: [{ serviceDeploymentArn: 'sd', status: 'ROLLBACK_SUCCESSFUL', targetServiceRevisionArn: 'rev', startedAt: new Date(1_000), finishedAt: new Date(61_000) }],
    described: [{ serviceDeploymentArn: 'sd', deploymentConfiguration: { strategy: 'CANARY' }, rollback: { reason: 'alarm web-5xx in ALARM' } }],
    revisions: [{ serviceRevisionArn: 'rev', taskDefinition: TD(7) }],
    taskDefinitions: new Map([[TD(7), { taskDefinition: { containerDefinitions: [{ name: 'app', image: 'web:v7' }, { name: 'log', image: 'fluent:1' }] }, tags: [{ key: 'ecs-rollout:deployed-by', value: 'carol' }] }]]),
  });
  assert.deepEqual(
    [one?.revision, one?.outcome, one?.strategy, one?.durationMs, one?.image, one?.who, one?.reason],
    ['web:7', 'rolled-back', 'CANARY', 60_000, 'app=web:v7, log=fluent:1', 'carol', 'alarm web-5xx in ALARM'],
  );
});

test('the commit comes from the usual CI variables; the telltale container is the one whose image differs', () => {
  assert.equal(commitFromEnvironment({ GITHUB_SHA: 'gh' }), 'gh');
  assert.equal(commitFromEnvironment({ ECS_ROLLOUT_COMMIT: 'mine', GITHUB_SHA: 'gh' }), 'mine');
  assert.equal(commitFromEnvironment({ CI_COMMIT_SHA: ' gl ' }), 'gl');
  assert.equal(commitFromEnvironment({}), undefined);
  const target = [{ name: 'proxy', image: 'envoy:1' }, { name: 'app', image: 'web:v1' }];
  const running = [{ name: 'proxy', image: 'envoy:1' }, { name: 'app', image: 'web:v2' }];
  assert.equal(telltaleContainer(target, running, undefined)?.name, 'app');
  assert.equal(telltaleContainer(target, running, 'proxy')?.name, 'proxy');
  assert.equal(telltaleContainer(target, target, undefined)?.name, 'proxy', 'same images: the first');
  assert.equal(telltaleContainer(target, running, 'nope'), undefined);
});

test('prune plan: the newest N stay, protected ones stay whatever their age, the rest go', () => {
  const revisions = [TD(6), TD(5), TD(4), TD(3), TD(2), TD(1)];
  const plan = planPrune('web', revisions, 2, new Map([[TD(3), 'rollback target'], [TD(6), 'in use']]));
  assert.deepEqual(plan.deregister, [TD(4), TD(2), TD(1)]);
  assert.deepEqual(plan.kept, [
    { taskDefinitionArn: TD(6), why: 'in use' },
    { taskDefinitionArn: TD(5), why: 'one of the newest 2' },
    { taskDefinitionArn: TD(3), why: 'rollback target' },
  ]);
});
