import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { RolloutEvent } from '../../src/engine/events.js';
import { plainRenderer } from '../../src/cli/output/plain.js';
import { liveRenderer } from '../../src/cli/output/live.js';
import { capture } from '../../examples/lib/capture.js';

async function cli(argv: string[]) {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr, env: {}, cwd: '/nonexistent-ecs-rollout-cwd' });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

test('promote and abort are listed, have help, and the exit codes include aborted (6)', async () => {
  const help = await cli(['--help']);
  for (const text of ['promote', 'abort', '6  aborted by an operator']) assert.ok(help.stdout.includes(text), text);
  const promote = await cli(['promote', '--help']);
  assert.equal(promote.code, 0);
  assert.match(promote.stdout, /ECS has no API to end a bake time/);
  const abort = await cli(['abort', '-h']);
  assert.equal(abort.code, 0);
  assert.match(abort.stdout, /StopServiceDeployment\s+with stopType ROLLBACK/);
  assert.match((await cli(['deploy', '--help'])).stdout, /--strategy NAME/);
});

test('bad --strategy and missing --service are bad input (exit 2), in text and JSON', async () => {
  const bad = await cli(['deploy', '--cluster', 'c', '--service', 's', '--tag', 'v2', '--strategy', 'bluegreen']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--strategy: expected one of rolling, blue-green, canary, linear, got 'bluegreen'/);
  const missing = await cli(['abort', '--cluster', 'c', '--output', 'json']);
  assert.equal(missing.code, 2);
  assert.deepEqual(JSON.parse(missing.stdout), { outcome: 'error', exitCode: 2, error: { code: 'InvalidArguments', kind: 'user', message: 'missing --service (or service in ecs-rollout.yaml)' } });
});

const AT = '2026-01-01T00:00:10.000Z';
const SD = 'arn:aws:ecs:us-east-1:1:service-deployment/prod/web/abc';
const native: RolloutEvent[] = [
  { at: AT, type: 'strategy-planned', strategy: 'CANARY', settings: ['strategy CANARY', 'canary 10% for 5m, then 100%'], notes: ['bake 90s rounded up to 2m: ECS takes whole minutes'] },
  { at: AT, type: 'service-updated', cluster: 'prod', service: 'web', taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:4', deploymentId: 'ecs-svc/2', desiredCount: undefined },
  { at: AT, type: 'stage-changed', serviceDeploymentArn: SD, stage: 'PRODUCTION_TRAFFIC_SHIFT', previousStage: 'POST_TEST_TRAFFIC_SHIFT', status: 'IN_PROGRESS' },
  {
    at: AT,
    type: 'service-deployment-progress',
    serviceDeploymentArn: SD,
    status: 'IN_PROGRESS',
    stage: 'PRODUCTION_TRAFFIC_SHIFT',
    revisions: [
      { arn: 'arn:aws:ecs:us-east-1:1:service-revision/prod/web/8', role: 'target', requested: 2, running: 2, pending: 0, productionWeight: 10, testWeight: 100 },
      { arn: 'arn:aws:ecs:us-east-1:1:service-revision/prod/web/7', role: 'source', requested: 2, running: 2, pending: 0, productionWeight: 90, testWeight: 0 },
    ],
  },
  { at: AT, type: 'hook-state', serviceDeploymentArn: SD, stage: 'POST_TEST_TRAFFIC_SHIFT', gated: false, hookId: 'h1', targetType: 'PAUSE', status: 'AWAITING_ACTION', expiresAt: '2026-01-01T01:00:00.000Z', timeoutAction: 'ROLLBACK' },
  { at: AT, type: 'gate-started', gate: 'smoke', stage: 'POST_TEST_TRAFFIC_SHIFT', kind: 'http', attempts: 2 },
  { at: AT, type: 'gate-output', gate: 'smoke', attempt: 1, line: 'GET http://x/health -> 503' },
  { at: AT, type: 'gate-attempt-failed', gate: 'smoke', attempt: 1, reason: 'answered 503, expected 200', retryInMs: 2000 },
  { at: AT, type: 'bake-progress', serviceDeploymentArn: SD, kind: 'step', remainingMs: 240_000, endsAt: '2026-01-01T00:04:10.000Z' },
  { at: AT, type: 'hook-continued', serviceDeploymentArn: SD, hookId: 'h1', action: 'ROLLBACK', stage: 'POST_TEST_TRAFFIC_SHIFT' },
  { at: AT, type: 'deployment-aborted', deploymentId: 'ecs-svc/2', serviceDeploymentArn: SD, reason: 'stopped with StopServiceDeployment' },
];

test('plain output: stages, weights, hooks, gates and bake as lines', () => {
  const out = capture();
  const renderer = plainRenderer(out, capture());
  for (const e of native) renderer.event(e);
  assert.equal(out.text(), [
    `${AT}  planned: strategy CANARY; canary 10% for 5m, then 100% (note: bake 90s rounded up to 2m: ECS takes whole minutes)`,
    `${AT}  updated service web: deployment ecs-svc/2 of web:4 started`,
    `${AT}  stage PRODUCTION_TRAFFIC_SHIFT (after POST_TEST_TRAFFIC_SHIFT), IN_PROGRESS`,
    `${AT}  IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT: green revision 8 2/2 running, 0 pending, prod 10%, test 100%; blue revision 7 2/2 running, 0 pending, prod 90%, test 0%`,
    `${AT}  hook h1 (PAUSE) at POST_TEST_TRAFFIC_SHIFT: AWAITING_ACTION (waiting for ecs-rollout promote or abort; ECS does ROLLBACK at 2026-01-01T01:00:00.000Z)`,
    `${AT}  gate smoke (http) at POST_TEST_TRAFFIC_SHIFT: running, up to 2 attempts`,
    `${AT}  gate smoke #1 | GET http://x/health -> 503`,
    `${AT}  gate smoke attempt 1 failed: answered 503, expected 200; retrying in 2s`,
    `${AT}  step bake: about 4m left (ends 00:04:10); blue stays warm for an instant rollback`,
    `${AT}  asked ECS to roll back at POST_TEST_TRAFFIC_SHIFT`,
    `${AT}  deployment ecs-svc/2 ABORTED: stopped with StopServiceDeployment`,
    '',
  ].join('\n'));
});

test('live view: the block shows stage, weights per revision, the waiting hook and the bake countdown', () => {
  const out = Object.assign(capture(), { columns: 200 });
  const renderer = liveRenderer(out, capture());
  for (const e of native.slice(0, 9)) renderer.event(e);
  const lastFrame = out.text().split('\x1b[').at(-1) ?? '';
  for (const text of ['stage PRODUCTION_TRAFFIC_SHIFT', 'green revision 8 2/2 running, 0 pending, prod 10%, test 100%', 'hook h1 PAUSE AWAITING_ACTION until 01:00:00', 'step bake: 4m left']) {
    assert.ok(lastFrame.includes(text), `${text} in:\n${lastFrame}`);
  }
});
