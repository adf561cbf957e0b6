import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  afterProbe, INITIAL_HEALTH, probeCommand, type HealthCheckState, type ProbeOutcome,
} from '../../src/emulator/runtime/container-health.js';

const RETRIES = 3;

/** Runs probes from the initial state; each step is [outcome, withinStartPeriod]. */
function run(steps: Array<[ProbeOutcome, boolean]>): HealthCheckState {
  return steps.reduce<HealthCheckState>(
    (state, [outcome, withinStartPeriod]) => afterProbe(state, outcome, { withinStartPeriod }, RETRIES),
    INITIAL_HEALTH,
  );
}

const ok: [ProbeOutcome, boolean] = ['success', false];
const bad: [ProbeOutcome, boolean] = ['failure', false];
const okEarly: [ProbeOutcome, boolean] = ['success', true];
const badEarly: [ProbeOutcome, boolean] = ['failure', true];

test('container health: transitions follow Docker/ECS rules (retries = 3)', () => {
  const table: Array<{ name: string; steps: Array<[ProbeOutcome, boolean]>; status: HealthCheckState['status']; streak: number }> = [
    { name: 'no probe yet', steps: [], status: 'UNKNOWN', streak: 0 },
    { name: 'first success', steps: [ok], status: 'HEALTHY', streak: 0 },
    { name: 'one failure is not enough', steps: [bad], status: 'UNKNOWN', streak: 1 },
    { name: 'retries failures from the start', steps: [bad, bad, bad], status: 'UNHEALTHY', streak: 3 },
    { name: 'healthy, then fewer failures than retries', steps: [ok, bad, bad], status: 'HEALTHY', streak: 2 },
    { name: 'healthy, then retries failures', steps: [ok, bad, bad, bad], status: 'UNHEALTHY', streak: 3 },
    { name: 'a success resets the streak', steps: [ok, bad, bad, ok, bad, bad], status: 'HEALTHY', streak: 2 },
    { name: 'unhealthy recovers on one success', steps: [bad, bad, bad, ok], status: 'HEALTHY', streak: 0 },
    { name: 'failures in the start period do not count', steps: [badEarly, badEarly, badEarly, badEarly], status: 'UNKNOWN', streak: 0 },
    { name: 'counting starts after the start period', steps: [badEarly, badEarly, bad, bad], status: 'UNKNOWN', streak: 2 },
    { name: 'a success in the start period marks healthy', steps: [badEarly, okEarly], status: 'HEALTHY', streak: 0 },
    { name: 'after a success, start-period failures count', steps: [okEarly, badEarly, badEarly, badEarly], status: 'UNHEALTHY', streak: 3 },
  ];
  for (const row of table) {
    const state = run(row.steps);
    assert.equal(state.status, row.status, row.name);
    assert.equal(state.failureStreak, row.streak, row.name);
  }
});

test('container health: retries of 0 or 1 make the first counted failure UNHEALTHY', () => {
  for (const retries of [0, 1]) {
    assert.equal(afterProbe(INITIAL_HEALTH, 'failure', { withinStartPeriod: false }, retries).status, 'UNHEALTHY');
  }
});

test('container health: a probe result that changes nothing returns the same state', () => {
  assert.equal(afterProbe(INITIAL_HEALTH, 'failure', { withinStartPeriod: true }, RETRIES), INITIAL_HEALTH);
});

test('container health: health check command forms', () => {
  const spec = (command: string[]) => ({ command, intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 });
  const table: Array<[string[], ReturnType<typeof probeCommand>]> = [
    [['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], { program: '/bin/sh', args: ['-c', 'curl -f http://localhost/ || exit 1'] }],
    [['CMD-SHELL', 'test', '-f', '/x'], { program: '/bin/sh', args: ['-c', 'test -f /x'] }],
    [['CMD', '/bin/true'], { program: '/bin/true', args: [] }],
    [['CMD', 'node', '-e', 'process.exit(0)'], { program: 'node', args: ['-e', 'process.exit(0)'] }],
    [['NONE'], undefined],
    [['CMD'], undefined],
    [['CMD-SHELL'], undefined],
    [[], undefined],
  ];
  for (const [command, expected] of table) assert.deepEqual(probeCommand(spec(command), '/bin/sh'), expected, JSON.stringify(command));
});
