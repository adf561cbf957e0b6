import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionVerdict, startVerdict, type DependencyCondition, type DependencyView } from '../../src/emulator/runtime/container-dependencies.js';
import { containerExitCode } from '../../src/emulator/runtime/exit-status.js';
import type { ContainerLaunch, ContainerState } from '../../src/emulator/runtime/task-driver.js';

function view(state: Partial<ContainerState>, hasHealthCheck = true): DependencyView {
  return {
    state: { name: 'dep', lastStatus: 'PENDING', healthStatus: 'UNKNOWN', exitCode: undefined, reason: undefined, pid: undefined, ...state },
    hasHealthCheck,
  };
}

const pending = view({});
const running = view({ lastStatus: 'RUNNING' });
const healthy = view({ lastStatus: 'RUNNING', healthStatus: 'HEALTHY' });
const unhealthy = view({ lastStatus: 'RUNNING', healthStatus: 'UNHEALTHY' });
const exited0 = view({ lastStatus: 'STOPPED', exitCode: 0 });
const exited1 = view({ lastStatus: 'STOPPED', exitCode: 1 });
const neverStarted = view({ lastStatus: 'STOPPED', reason: 'CannotStartContainerError: ...' });
const runningNoCheck = view({ lastStatus: 'RUNNING' }, false);

test('container dependencies: each condition against each dependency state', () => {
  const table: Array<[DependencyCondition, DependencyView, 'met' | 'wait' | 'never', string]> = [
    ['START', pending, 'wait', 'pending'],
    ['START', running, 'met', 'running'],
    ['START', exited1, 'met', 'already stopped counts as started'],
    ['START', neverStarted, 'met', 'the agent resolves START once the dependency is stopped'],
    ['COMPLETE', running, 'wait', 'running'],
    ['COMPLETE', exited1, 'met', 'any exit'],
    ['COMPLETE', neverStarted, 'never', 'no exit code'],
    ['SUCCESS', running, 'wait', 'running'],
    ['SUCCESS', exited0, 'met', 'exit 0'],
    ['SUCCESS', exited1, 'never', 'exit 1'],
    ['HEALTHY', running, 'wait', 'unknown health'],
    ['HEALTHY', unhealthy, 'wait', 'unhealthy may recover'],
    ['HEALTHY', healthy, 'met', 'healthy'],
    ['HEALTHY', exited0, 'never', 'stopped'],
    ['HEALTHY', runningNoCheck, 'never', 'no health check'],
  ];
  for (const [condition, dep, expected, name] of table) assert.equal(conditionVerdict(condition, dep), expected, `${condition}: ${name}`);
});

test('container dependencies: a target starts when all are met, waits for any, and fails on the first that never will', () => {
  const target = (dependsOn: ContainerLaunch['dependsOn']): ContainerLaunch => ({
    name: 'app', command: ['x'], cwd: undefined, env: {}, essential: true, stopTimeoutSeconds: 30, healthCheck: undefined, dependsOn,
  });
  const views = new Map<string, DependencyView>([['init', exited0], ['sidecar', running], ['db', exited1]]);
  const lookup = (name: string) => views.get(name);
  assert.deepEqual(startVerdict(target([]), lookup), { kind: 'start' });
  assert.deepEqual(startVerdict(target([{ containerName: 'init', condition: 'SUCCESS' }, { containerName: 'sidecar', condition: 'START' }]), lookup), { kind: 'start' });
  assert.deepEqual(startVerdict(target([{ containerName: 'init', condition: 'SUCCESS' }, { containerName: 'sidecar', condition: 'COMPLETE' }]), lookup), { kind: 'wait' });
  const failed = startVerdict(target([{ containerName: 'sidecar', condition: 'COMPLETE' }, { containerName: 'db', condition: 'SUCCESS' }]), lookup);
  assert.equal(failed.kind, 'never');
  assert.match(failed.kind === 'never' ? failed.reason : '', /^CannotStartContainerError: dependency graph: failed to resolve container ordering dependency \[db .*Exit: 1.*\] for target \[app\]/);
  const missing = startVerdict(target([{ containerName: 'ghost', condition: 'START' }]), lookup);
  assert.equal(missing.kind, 'never');
});

test('container exit codes: a signal exit is 128 + the signal number, as Docker reports', () => {
  const table: Array<[number | null, NodeJS.Signals | null, number | undefined]> = [
    [0, null, 0],
    [1, null, 1],
    [null, 'SIGKILL', 137],
    [null, 'SIGTERM', 143],
    [null, 'SIGINT', 130],
    [null, null, undefined],
  ];
  for (const [code, signal, expected] of table) assert.equal(containerExitCode(code, signal), expected, `${code} ${signal}`);
});
