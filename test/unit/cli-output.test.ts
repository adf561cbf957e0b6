import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeployResult } from '../../src/engine/deploy.js';
import type { RolloutEvent } from '../../src/engine/events.js';
import { jsonLinesRenderer } from '../../src/cli/output/json-lines.js';
import { liveRenderer } from '../../src/cli/output/live.js';
import { plainRenderer } from '../../src/cli/output/plain.js';
import { outputStyle } from '../../src/cli/output/renderer.js';
import { statusLines } from '../../src/cli/commands/status.js';
import { capture } from '../../examples/lib/capture.js';

const TD = (rev: number): string => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;
const AT = '2025-06-01T12:00:00.000Z';
const events: RolloutEvent[] = [
  { at: AT, type: 'preflight-passed', check: 'cluster', message: 'cluster prod is ACTIVE' },
  { at: AT, type: 'revision-registered', taskDefinitionArn: TD(4), container: 'app', image: 'web:v4', previousImage: 'web:v3' },
  { at: AT, type: 'service-updated', cluster: 'prod', service: 'web', taskDefinitionArn: TD(4), deploymentId: 'ecs-svc/2', desiredCount: undefined },
  {
    at: AT,
    type: 'deployment-progress',
    deploymentId: 'ecs-svc/2',
    rolloutState: 'IN_PROGRESS',
    revisions: [
      { deploymentId: 'ecs-svc/2', status: 'PRIMARY', taskDefinitionArn: TD(4), rolloutState: 'IN_PROGRESS', desired: 2, pending: 1, running: 1, healthy: 1, failed: 1 },
      { deploymentId: 'ecs-svc/1', status: 'ACTIVE', taskDefinitionArn: TD(3), rolloutState: 'COMPLETED', desired: 2, pending: 0, running: 2, healthy: undefined, failed: 0 },
    ],
  },
  { at: AT, type: 'task-stopped', taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc', taskDefinitionArn: TD(4), stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', stoppedAt: AT, containers: [{ name: 'app', exitCode: 1, reason: undefined }] },
];
const result: DeployResult = {
  outcome: 'rolled-back',
  message: 'deployment of web:4 to service web in cluster prod failed and was rolled back to web:3: ECS deployment circuit breaker: tasks failed to start.',
  cluster: 'prod', service: 'web', container: 'app', image: 'web:v4',
  strategy: 'ROLLING', serviceDeploymentArn: undefined, previousTaskDefinitionArn: TD(3), taskDefinitionArn: TD(4), deploymentId: 'ecs-svc/2', rollbackDeploymentId: 'ecs-svc/3',
  reason: 'ECS deployment circuit breaker: tasks failed to start.',
  serviceEvents: [{ id: 'e1', createdAt: AT, message: '(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start.' }],
  stoppedTasks: [{ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc', taskDefinitionArn: TD(4), stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', stoppedAt: AT, containers: [{ name: 'app', exitCode: 1, reason: undefined }] }],
  startedAt: AT, finishedAt: AT,
};

test('plain output: one timestamped line per event, then the verdict and diagnostics', () => {
  const out = capture();
  const renderer = plainRenderer(out, capture());
  for (const e of events) renderer.event(e);
  renderer.result(result, 3);
  assert.equal(out.text(), [
    `${AT}  preflight ok: cluster prod is ACTIVE`,
    `${AT}  registered web:4: container app web:v3 -> web:v4`,
    `${AT}  updated service web: deployment ecs-svc/2 of web:4 started`,
    `${AT}  progress ecs-svc/2 IN_PROGRESS: web:4 PRIMARY 1/2 running, 1 pending, 1 healthy, 1 failed; web:3 ACTIVE 2/2 running, 0 pending`,
    `${AT}  task abc (web:4) stopped: EssentialContainerExited: Essential container in task exited; app exit 1`,
    'ROLLED BACK: deployment of web:4 to service web in cluster prod failed and was rolled back to web:3: ECS deployment circuit breaker: tasks failed to start.',
    'service events since the deploy started:',
    `  ${AT}  (service web) (deployment ecs-svc/2) deployment failed: tasks failed to start.`,
    'stopped tasks of deployment ecs-svc/2:',
    '  task abc (web:4) stopped: EssentialContainerExited: Essential container in task exited; app exit 1',
    '',
  ].join('\n'));
});

test('JSON lines: every event as it is, then a result object with the exit code', () => {
  const out = capture();
  const renderer = jsonLinesRenderer(out);
  for (const e of events) renderer.event(e);
  renderer.result(result, 3);
  const lines = out.text().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.slice(0, -1), JSON.parse(JSON.stringify(events)));
  assert.deepEqual(lines.at(-1), { type: 'result', exitCode: 3, ...JSON.parse(JSON.stringify(result)) });
});

test('live view redraws its block in place and keeps milestones above it', () => {
  const out = Object.assign(capture(), { columns: 120 });
  const renderer = liveRenderer(out, capture());
  for (const e of events) renderer.event(e);
  const text = out.text();
  assert.match(text, /\x1b\[\d+F\x1b\[J/, 'erases the previous block');
  const finalBlock = text.slice(text.lastIndexOf('\x1b[J') + 3);
  assert.match(finalBlock, /^deployment ecs-svc\/2  IN_PROGRESS/);
  assert.match(finalBlock, /web:4 +PRIMARY +running 1\/2  pending 1  healthy 1  failed 1/);
  assert.match(finalBlock, /recent:\n    12:00:00  task abc \(web:4\) stopped/);
});

test('output style: JSON when asked, live only on a TTY outside CI', () => {
  const tty = Object.assign(capture(), { isTTY: true });
  assert.equal(outputStyle('json', tty, {}), 'json');
  assert.equal(outputStyle('text', tty, {}), 'live');
  assert.equal(outputStyle('text', tty, { CI: 'true' }), 'plain');
  assert.equal(outputStyle('text', capture(), {}), 'plain');
});

test('status text lists deployments, service deployments and events', () => {
  assert.deepEqual(
    statusLines({
      cluster: 'prod', service: 'web', status: 'ACTIVE', taskDefinitionArn: TD(4), desiredCount: 2, runningCount: 2, pendingCount: 0, lock: undefined,
      deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinitionArn: TD(4), rolloutState: 'COMPLETED', reason: 'ECS deployment ecs-svc/2 completed.', desired: 2, pending: 0, running: 2, failed: 0, createdAt: AT, updatedAt: AT }],
      events: [{ id: 'e', createdAt: AT, message: '(service web) has reached a steady state.' }],
      serviceDeployments: undefined,
      serviceDeployment: undefined,
    }),
    [
      'service web in cluster prod: ACTIVE, task definition web:4, 2/2 running, 0 pending',
      'deployments:',
      '  ecs-svc/2  PRIMARY  web:4  COMPLETED  running 2/2, pending 0, failed 0  ECS deployment ecs-svc/2 completed.',
      'recent events:',
      `  ${AT}  (service web) has reached a steady state.`,
    ],
  );
});
