import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alarmStop } from '../../src/emulator/services/codedeploy/deployment-alarms.js';
import { trafficSteps, type DeploymentProgress, type HookProgress } from '../../src/emulator/services/codedeploy/deployment-decisions.js';
import {
  advanceLifecycle, closeLifecycle, diagnosticsFor, initialLifecycle, lifecyclePosition, targetStatus, type LifecycleEventRecord, type LifecyclePosition,
} from '../../src/emulator/services/codedeploy/lifecycle-events.js';

const statuses = (events: LifecycleEventRecord[]): string[] => events.map((e) => `${e.name}:${e.status}`);

test('initialLifecycle: eight ECS events with test traffic, six without', () => {
  assert.deepEqual(initialLifecycle(true).map((e) => e.name), [
    'BeforeInstall', 'Install', 'AfterInstall', 'AllowTestTraffic', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic',
  ]);
  assert.deepEqual(initialLifecycle(false).map((e) => e.name), ['BeforeInstall', 'Install', 'AfterInstall', 'BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']);
  assert.ok(initialLifecycle(true).every((e) => e.status === 'Pending' && e.startTime === undefined));
});

test('lifecyclePosition: the event a deployment is in, given its progress and hooks', () => {
  const steps = trafficSteps({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } });
  const none: HookProgress = { configured: [], done: [], running: undefined };
  const all: HookProgress = { configured: ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'], done: [], running: undefined };
  const cases: Array<[string, DeploymentProgress, HookProgress, LifecyclePosition]> = [
    ['BeforeInstall hook to run', { phase: 'Install', replacementCreated: false }, all, { event: 'BeforeInstall', begun: true }],
    ['no BeforeInstall hook: installing', { phase: 'Install', replacementCreated: false }, none, { event: 'Install', begun: true }],
    ['replacement stabilizing', { phase: 'Install', replacementCreated: true }, all, { event: 'Install', begun: true }],
    ['AfterInstall hook running', { phase: 'Install', replacementCreated: true }, { ...all, running: { event: 'AfterInstall', status: 'InProgress', since: 0 } },
      { event: 'AfterInstall', begun: true }],
    ['test traffic routed', { phase: 'TestTraffic' }, none, { event: 'AfterAllowTestTraffic', begun: true }],
    ['ready wait', { phase: 'Ready', since: 0 }, none, { event: 'BeforeAllowTraffic', begun: false }],
    ['BeforeAllowTraffic hook to run', { phase: 'AllowTraffic', startedAt: undefined, stepsDone: 0 }, all, { event: 'BeforeAllowTraffic', begun: true }],
    ['about to shift', { phase: 'AllowTraffic', startedAt: undefined, stepsDone: 0 }, none, { event: 'AllowTraffic', begun: true }],
    ['canary holding', { phase: 'AllowTraffic', startedAt: 0, stepsDone: 1 }, none, { event: 'AllowTraffic', begun: true }],
    ['all shifted', { phase: 'AllowTraffic', startedAt: 0, stepsDone: 2 }, none, { event: 'AfterAllowTraffic', begun: true }],
    ['termination wait', { phase: 'TerminationWait', since: 0 }, none, 'complete'],
  ];
  for (const [what, progress, hooks, expected] of cases) assert.deepEqual(lifecyclePosition(progress, steps, hooks), expected, what);
});

test('advanceLifecycle: events before the position succeed, the position begins, the rest wait; twice changes nothing', () => {
  const start = initialLifecycle(true);
  const installing = advanceLifecycle(start, { event: 'Install', begun: true }, 100);
  assert.deepEqual(statuses(installing).slice(0, 3), ['BeforeInstall:Succeeded', 'Install:InProgress', 'AfterInstall:Pending']);
  assert.deepEqual(installing[0], { name: 'BeforeInstall', status: 'Succeeded', startTime: 100, endTime: 100 }, 'an event without a hook starts and ends at once');
  assert.deepEqual(installing[1], { name: 'Install', status: 'InProgress', startTime: 100 });
  assert.deepEqual(advanceLifecycle(installing, { event: 'Install', begun: true }, 200), installing);

  const ready = advanceLifecycle(installing, { event: 'BeforeAllowTraffic', begun: false }, 300);
  assert.deepEqual(statuses(ready), [
    'BeforeInstall:Succeeded', 'Install:Succeeded', 'AfterInstall:Succeeded', 'AllowTestTraffic:Succeeded', 'AfterAllowTestTraffic:Succeeded',
    'BeforeAllowTraffic:Pending', 'AllowTraffic:Pending', 'AfterAllowTraffic:Pending',
  ]);
  assert.deepEqual(ready[1], { name: 'Install', status: 'Succeeded', startTime: 100, endTime: 300 });
  const done = advanceLifecycle(ready, 'complete', 400);
  assert.ok(done.every((e) => e.status === 'Succeeded' && e.endTime !== undefined));
  // Ended events never move again.
  assert.deepEqual(advanceLifecycle(done, { event: 'Install', begun: true }, 500), done);
});

test('closeLifecycle: the event under way fails with diagnostics, the ones not reached are skipped', () => {
  const shifting = advanceLifecycle(initialLifecycle(false), { event: 'AllowTraffic', begun: true }, 100);
  const diagnostics = diagnosticsFor('ALARM_ACTIVE', 'the alarm web-5xx is in ALARM', undefined);
  assert.deepEqual(diagnostics, { errorCode: 'UnknownError', message: 'the alarm web-5xx is in ALARM' });
  const closed = closeLifecycle(shifting, 200, diagnostics);
  assert.deepEqual(statuses(closed), [
    'BeforeInstall:Succeeded', 'Install:Succeeded', 'AfterInstall:Succeeded', 'BeforeAllowTraffic:Succeeded', 'AllowTraffic:Failed', 'AfterAllowTraffic:Skipped',
  ]);
  assert.deepEqual(closed[4], { name: 'AllowTraffic', status: 'Failed', startTime: 100, endTime: 200, diagnostics });
  assert.deepEqual(diagnosticsFor('HOOK_EXECUTION_FAILURE', 'no', 'fn'), { errorCode: 'ScriptFailed', message: 'no', scriptName: 'fn' });
  assert.deepEqual(diagnosticsFor('TIMEOUT', 'silent', 'fn'), { errorCode: 'ScriptTimedOut', message: 'silent', scriptName: 'fn' });
});

test('targetStatus: the ECS target per deployment status; Succeeded during the termination wait', () => {
  const cases: Array<[Parameters<typeof targetStatus>[0], DeploymentProgress | undefined, string]> = [
    ['Created', { phase: 'Install', replacementCreated: false }, 'Pending'],
    ['InProgress', { phase: 'AllowTraffic', startedAt: 0, stepsDone: 1 }, 'InProgress'],
    ['Ready', { phase: 'Ready', since: 0 }, 'Ready'],
    ['InProgress', { phase: 'TerminationWait', since: 0 }, 'Succeeded'],
    ['Succeeded', undefined, 'Succeeded'],
    ['Failed', undefined, 'Failed'],
    ['Stopped', undefined, 'Failed'],
  ];
  for (const [status, progress, expected] of cases) assert.equal(targetStatus(status, progress), expected, `${status} ${progress?.phase}`);
});

test('alarmStop: an alarm in ALARM stops the deployment; a missing one too, unless poll failures are ignored', () => {
  const states = new Map([['ok', 'OK'], ['firing', 'ALARM'], ['unknown', 'INSUFFICIENT_DATA']]);
  const stateOf = (name: string): string | undefined => states.get(name);
  assert.equal(alarmStop({ names: [], ignorePollFailure: false }, stateOf), undefined);
  assert.equal(alarmStop({ names: ['ok', 'unknown'], ignorePollFailure: false }, stateOf), undefined);
  assert.match(alarmStop({ names: ['ok', 'firing'], ignorePollFailure: false }, stateOf)?.why ?? '', /the alarm firing is in the ALARM state/);
  assert.match(alarmStop({ names: ['ok', 'gone'], ignorePollFailure: false }, stateOf)?.why ?? '', /alarm gone could not be retrieved/);
  assert.equal(alarmStop({ names: ['ok', 'gone'], ignorePollFailure: true }, stateOf), undefined);
  assert.match(alarmStop({ names: ['gone', 'firing'], ignorePollFailure: false }, stateOf)?.why ?? '', /firing is in the ALARM state/, 'an alarm firing says so first');
});
