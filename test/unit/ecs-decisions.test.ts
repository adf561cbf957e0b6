import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  circuitBreakerThreshold, isDeploymentComplete, planRollingStep, rollbackTarget, type LiveTask,
} from '../../src/emulator/runtime/scheduler/decisions.js';
import { buildContainerLaunch, healthCheckSpec } from '../../src/emulator/runtime/scheduler/container-launch.js';
import { judgeTaskHealth } from '../../src/emulator/runtime/scheduler/task-health.js';

const tasks = (prefix: string, healthy: number, unhealthy = 0): LiveTask[] => [
  ...Array.from({ length: healthy }, (_, i) => ({ taskArn: `${prefix}-h${i}`, healthy: true, createdAt: i })),
  ...Array.from({ length: unhealthy }, (_, i) => ({ taskArn: `${prefix}-u${i}`, healthy: false, createdAt: 100 + i })),
];

test('planRollingStep: min/max percent decide how many tasks start and stop', () => {
  const cases: Array<{ name: string; min: number; max: number; primary: LiveTask[]; old: LiveTask[]; stopping?: number; start: number; stops: number }> = [
    { name: '100/200 starts a full new set first', min: 100, max: 200, primary: [], old: tasks('o', 4), start: 4, stops: 0 },
    { name: '100/200 stops old only as new ones turn healthy', min: 100, max: 200, primary: tasks('p', 2, 2), old: tasks('o', 4), start: 0, stops: 2 },
    { name: '50/100 stops half first to make room', min: 50, max: 100, primary: [], old: tasks('o', 4), start: 0, stops: 2 },
    { name: '50/100 fills the room once old tasks are gone', min: 50, max: 100, primary: [], old: tasks('o', 2), start: 2, stops: 0 },
    { name: 'stopping tasks count against maximumPercent', min: 50, max: 100, primary: [], old: tasks('o', 2), stopping: 2, start: 0, stops: 0 },
    { name: '0/100 stops everything at once', min: 0, max: 100, primary: [], old: tasks('o', 4), start: 0, stops: 4 },
    { name: 'unhealthy old tasks go regardless of the minimum', min: 100, max: 200, primary: [], old: tasks('o', 2, 2), start: 4, stops: 2 },
  ];
  for (const c of cases) {
    const step = planRollingStep({
      desiredCount: 4, maximumPercent: c.max, minimumHealthyPercent: c.min, primaryMayLaunch: true,
      primary: c.primary, older: [{ deploymentId: 'old', desiredCount: c.old.length, createdAt: 0, tasks: c.old }], stopping: c.stopping ?? 0,
    });
    assert.equal(step.startPrimary, c.start, `${c.name}: start`);
    assert.equal(step.stop.length, c.stops, `${c.name}: stop`);
  }
});

test('planRollingStep: scale-in, replacements of old tasks, and a failed PRIMARY', () => {
  const scaleIn = planRollingStep({ desiredCount: 1, maximumPercent: 200, minimumHealthyPercent: 100, primaryMayLaunch: true, primary: tasks('p', 2, 1), older: [], stopping: 0 });
  assert.equal(scaleIn.stop.length, 2);
  assert.equal(scaleIn.stop[0]?.taskArn, 'p-u0', 'unhealthy tasks go first');

  const replace = planRollingStep({ desiredCount: 4, maximumPercent: 200, minimumHealthyPercent: 100, primaryMayLaunch: true, primary: tasks('p', 0, 4), older: [{ deploymentId: 'old', desiredCount: 4, createdAt: 0, tasks: tasks('o', 3) }], stopping: 0 });
  assert.deepEqual(replace.startOlder, [{ deploymentId: 'old', count: 1 }], 'a crashed old task is replaced with its own revision');

  const failed = planRollingStep({ desiredCount: 2, maximumPercent: 200, minimumHealthyPercent: 0, primaryMayLaunch: false, primary: [], older: [{ deploymentId: 'old', desiredCount: 2, createdAt: 0, tasks: tasks('o', 2) }], stopping: 0 });
  assert.equal(failed.startPrimary, 0);
  assert.equal(failed.stop.length, 0, 'a FAILED deployment without rollback keeps the old tasks');
});

test('isDeploymentComplete: all desired tasks healthy and nothing else left', () => {
  assert.equal(isDeploymentComplete({ desiredCount: 2, primary: tasks('p', 2), olderLive: 0, stopping: 0 }), true);
  assert.equal(isDeploymentComplete({ desiredCount: 2, primary: tasks('p', 1, 1), olderLive: 0, stopping: 0 }), false);
  assert.equal(isDeploymentComplete({ desiredCount: 2, primary: tasks('p', 2), olderLive: 1, stopping: 0 }), false);
  assert.equal(isDeploymentComplete({ desiredCount: 2, primary: tasks('p', 2), olderLive: 0, stopping: 1 }), false);
  assert.equal(isDeploymentComplete({ desiredCount: 0, primary: [], olderLive: 0, stopping: 0 }), true);
});

test('circuitBreakerThreshold: half the desired count, rounded up, between 3 and 200', () => {
  const table: Array<[number, number]> = [[0, 3], [1, 3], [5, 3], [7, 4], [10, 5], [25, 13], [400, 200], [1000, 200]];
  for (const [desired, expected] of table) assert.equal(circuitBreakerThreshold(desired, undefined), expected, `desired ${desired}`);
  assert.equal(circuitBreakerThreshold(10, { type: 'COUNT', value: 1 }), 1);
  assert.equal(circuitBreakerThreshold(1000, { type: 'UNBOUNDED_PERCENT', value: 50 }), 500);
});

test('rollbackTarget: the newest COMPLETED deployment other than the failed one', () => {
  const history = [
    { id: 'd3', rolloutState: 'FAILED', createdAt: 3 },
    { id: 'd2', rolloutState: 'COMPLETED', createdAt: 2 },
    { id: 'd1', rolloutState: 'COMPLETED', createdAt: 1 },
  ];
  assert.equal(rollbackTarget(history, 'd3')?.id, 'd2');
  assert.equal(rollbackTarget([{ id: 'd1', rolloutState: 'FAILED', createdAt: 1 }], 'd1'), undefined);
});

test('judgeTaskHealth: grace period hides unhealthy targets; container checks and targets must both pass', () => {
  const base = { lastStatus: 'RUNNING', checkedContainers: [], inGracePeriod: false };
  assert.deepEqual(judgeTaskHealth({ ...base, targets: [{ targetGroupArn: 'tg', state: 'healthy' }] }), { kind: 'healthy' });
  assert.equal(judgeTaskHealth({ ...base, targets: [{ targetGroupArn: 'tg', state: 'initial' }] }).kind, 'waiting');
  assert.equal(judgeTaskHealth({ ...base, targets: [{ targetGroupArn: 'tg', state: 'unhealthy' }] }).kind, 'failed-elb');
  assert.equal(judgeTaskHealth({ ...base, inGracePeriod: true, targets: [{ targetGroupArn: 'tg', state: 'unhealthy' }] }).kind, 'waiting');
  assert.equal(judgeTaskHealth({ ...base, checkedContainers: [{ name: 'web', healthStatus: 'UNHEALTHY' }], targets: [] }).kind, 'failed-container');
  assert.equal(judgeTaskHealth({ ...base, checkedContainers: [{ name: 'web', healthStatus: 'UNKNOWN' }], targets: [] }).kind, 'waiting');
});

test('buildContainerLaunch: entryPoint replaces the image command, command is appended, env is explicit', () => {
  const image = { repositoryName: 'app', imageTag: 'v1', imageDigest: 'sha256:x', command: ['node', 'server.js'], cwd: '/srv' };
  const plain = buildContainerLaunch({ name: 'web', command: ['--verbose'], environment: [{ name: 'A', value: '1' }, { name: 'PORT', value: '1' }] }, image, [4100], { PATH: '/bin', HOME: '/home/x' });
  assert.deepEqual(plain.command, ['node', 'server.js', '--verbose']);
  assert.deepEqual(plain.env, { PATH: '/bin', HOME: '/home/x', A: '1', PORT: '4100' });
  assert.equal(plain.cwd, '/srv');
  assert.equal(plain.stopTimeoutSeconds, 30);
  assert.equal(plain.essential, true);
  const entry = buildContainerLaunch({ name: 'web', entryPoint: ['sh', '-c'], command: ['echo hi'], healthCheck: { command: ['CMD', 'true'] } }, image, [], {});
  assert.deepEqual(entry.command, ['sh', '-c', 'echo hi']);
  assert.deepEqual(entry.healthCheck, { command: ['CMD', 'true'], intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 });
  assert.equal(entry.env.PORT, undefined);
});

test('healthCheckSpec: AWS defaults apply, and ["NONE"] or no command means no health check', () => {
  assert.deepEqual(healthCheckSpec({ name: 'web', healthCheck: { command: ['CMD-SHELL', 'true'] } }), {
    command: ['CMD-SHELL', 'true'],
    intervalSeconds: 30,
    timeoutSeconds: 5,
    retries: 3,
    startPeriodSeconds: 0,
  });
  assert.equal(healthCheckSpec({ name: 'web', healthCheck: { command: ['NONE'] } }), undefined);
  assert.equal(healthCheckSpec({ name: 'web', healthCheck: { command: [] } }), undefined);
  assert.equal(healthCheckSpec({ name: 'web' }), undefined);
});
