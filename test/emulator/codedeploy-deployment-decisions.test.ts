import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  continueOutcome, nextAction, trafficSteps, type ContinueOutcome, type DeploymentAction, type DeploymentProgress, type DeploymentTiming,
} from '../../src/emulator/services/codedeploy/deployment-decisions.js';

const MIN = 60_000;

test('trafficSteps: AllAtOnce, canary and linear routing as production percentages over time', () => {
  const cases: Array<[string, Parameters<typeof trafficSteps>[0], Array<[number, number]>]> = [
    ['absent is AllAtOnce', undefined, [[100, 0]]],
    ['AllAtOnce', { type: 'AllAtOnce' }, [[100, 0]]],
    ['canary 10% then the rest after 5 minutes', { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } }, [[10, 0], [100, 5 * MIN]]],
    ['linear 10% every minute', { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } },
      Array.from({ length: 10 }, (_, i): [number, number] => [(i + 1) * 10, i * MIN])],
    ['linear 30% every 3 minutes ends at 100', { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 30, linearInterval: 3 } },
      [[30, 0], [60, 3 * MIN], [90, 6 * MIN], [100, 9 * MIN]]],
  ];
  for (const [what, routing, expected] of cases) {
    assert.deepEqual(trafficSteps(routing).map((s) => [s.percent, s.afterMs]), expected, what);
  }
});

test('nextAction: what a deployment does next at each phase', () => {
  const steps = trafficSteps({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 20, canaryInterval: 1 } });
  const present = { exists: true, steady: true };
  const cases: Array<[string, DeploymentProgress, { exists: boolean; steady: boolean }, number, DeploymentAction]> = [
    ['nothing created yet', { phase: 'Install', replacementCreated: false }, { exists: false, steady: false }, 0, { kind: 'create-replacement' }],
    ['replacement stabilizing', { phase: 'Install', replacementCreated: true }, { exists: true, steady: false }, 0, { kind: 'wait' }],
    ['replacement steady', { phase: 'Install', replacementCreated: true }, present, 0, { kind: 'route-test' }],
    ['test traffic routed, no ready wait', { phase: 'TestTraffic' }, present, 0, { kind: 'allow-traffic' }],
    ['replacement deleted', { phase: 'Install', replacementCreated: true }, { exists: false, steady: false }, 0,
      { kind: 'fail', code: 'ECS_UPDATE_ERROR', why: 'The replacement task set was deleted during the deployment.' }],
    ['first shift at once', { phase: 'AllowTraffic', startedAt: undefined, stepsDone: 0 }, present, 1000, { kind: 'shift', percent: 20 }],
    ['canary interval not over', { phase: 'AllowTraffic', startedAt: 1000, stepsDone: 1 }, present, 1000 + MIN - 1, { kind: 'wait' }],
    ['canary interval over', { phase: 'AllowTraffic', startedAt: 1000, stepsDone: 1 }, present, 1000 + MIN, { kind: 'shift', percent: 100 }],
    ['all shifted', { phase: 'AllowTraffic', startedAt: 1000, stepsDone: 2 }, present, 1000 + MIN, { kind: 'make-primary' }],
    ['termination wait running', { phase: 'TerminationWait', since: 5000 }, present, 5000 + 5 * MIN - 1, { kind: 'wait' }],
    ['termination wait over', { phase: 'TerminationWait', since: 5000 }, present, 5000 + 5 * MIN, { kind: 'terminate-original' }],
  ];
  for (const [what, progress, replacement, now, expected] of cases) {
    assert.deepEqual(nextAction(progress, { steps, terminationWaitMs: 5 * MIN, readyWaitMs: undefined }, replacement, now), expected, what);
  }
});

test('nextAction: hooks hold their lifecycle event until they report', () => {
  const steps = trafficSteps({ type: 'AllAtOnce' });
  const present = { exists: true, steady: true };
  const all = ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
  const install: DeploymentProgress = { phase: 'Install', replacementCreated: false };
  const installed: DeploymentProgress = { phase: 'Install', replacementCreated: true };
  const testTraffic: DeploymentProgress = { phase: 'TestTraffic' };
  const traffic: DeploymentProgress = { phase: 'AllowTraffic', startedAt: undefined, stepsDone: 0 };
  const shifted: DeploymentProgress = { phase: 'AllowTraffic', startedAt: 0, stepsDone: 1 };
  const running = (event: (typeof all)[number], status: 'InProgress' | 'Succeeded' | 'Failed', since = 0) => ({ event, status, since });
  const cases: Array<[string, DeploymentProgress, Parameters<typeof nextAction>[4], number, DeploymentAction]> = [
    ['BeforeInstall starts first', install, { configured: all, done: [], running: undefined }, 0, { kind: 'start-hook', event: 'BeforeInstall' }],
    ['a running hook waits', install, { configured: all, done: [], running: running('BeforeInstall', 'InProgress') }, 1, { kind: 'wait' }],
    ['a succeeded hook is done', install, { configured: all, done: [], running: running('BeforeInstall', 'Succeeded') }, 1, { kind: 'hook-succeeded', event: 'BeforeInstall' }],
    ['after BeforeInstall, the replacement', install, { configured: all, done: ['BeforeInstall'], running: undefined }, 1, { kind: 'create-replacement' }],
    ['AfterInstall once steady', installed, { configured: all, done: ['BeforeInstall'], running: undefined }, 1, { kind: 'start-hook', event: 'AfterInstall' }],
    ['only configured hooks run', installed, { configured: ['AfterAllowTraffic'], done: [], running: undefined }, 1, { kind: 'route-test' }],
    ['AfterAllowTestTraffic before shifting', testTraffic, { configured: all, done: ['BeforeInstall', 'AfterInstall'], running: undefined }, 1,
      { kind: 'start-hook', event: 'AfterAllowTestTraffic' }],
    ['AfterAllowTestTraffic done: production rerouting', testTraffic,
      { configured: all, done: ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic'], running: undefined }, 1, { kind: 'allow-traffic' }],
    ['then BeforeAllowTraffic', traffic, { configured: all, done: ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic'], running: undefined }, 1,
      { kind: 'start-hook', event: 'BeforeAllowTraffic' }],
    ['AfterAllowTraffic before the swap', shifted, { configured: ['AfterAllowTraffic'], done: [], running: undefined }, 1, { kind: 'start-hook', event: 'AfterAllowTraffic' }],
    ['a failed hook fails the deployment', shifted, { configured: ['AfterAllowTraffic'], done: [], running: { ...running('AfterAllowTraffic', 'Failed'), why: 'no' } }, 1,
      { kind: 'fail', code: 'HOOK_EXECUTION_FAILURE', why: 'The AfterAllowTraffic lifecycle event hook failed: no' }],
    ['a silent hook times out after an hour', installed, { configured: ['AfterInstall'], done: [], running: running('AfterInstall', 'InProgress', 0) }, 60 * MIN,
      { kind: 'fail', code: 'TIMEOUT', why: 'The AfterInstall lifecycle event hook reported no status within 60 minutes.' }],
  ];
  for (const [what, progress, hooks, now, expected] of cases) {
    assert.deepEqual(nextAction(progress, { steps, terminationWaitMs: 0, readyWaitMs: undefined }, present, now, hooks), expected, what);
  }
});

test('nextAction: STOP_DEPLOYMENT waits Ready for ContinueDeployment, and stops when the wait runs out', () => {
  const timing: DeploymentTiming = { steps: trafficSteps({ type: 'AllAtOnce' }), terminationWaitMs: 0, readyWaitMs: 10 * MIN };
  const present = { exists: true, steady: true };
  const hooks = { configured: ['AfterAllowTestTraffic', 'BeforeAllowTraffic'] as const, done: [] as const, running: undefined };
  const afterTest = { ...hooks, done: ['AfterAllowTestTraffic'] as const };
  const timedOut: DeploymentAction = {
    kind: 'stop', code: 'TIMEOUT', rollbackOn: 'DEPLOYMENT_FAILURE',
    why: 'The deployment was not continued within the ready wait of 10 minutes (deploymentReadyOption STOP_DEPLOYMENT), so it was stopped before production traffic moved.',
  };
  const cases: Array<[string, DeploymentProgress, Parameters<typeof nextAction>[4], { exists: boolean; steady: boolean }, number, DeploymentAction]> = [
    ['AfterAllowTestTraffic runs before the wait', { phase: 'TestTraffic' }, hooks, present, 0, { kind: 'start-hook', event: 'AfterAllowTestTraffic' }],
    ['then the wait begins', { phase: 'TestTraffic' }, afterTest, present, 0, { kind: 'await-ready' }],
    ['waiting', { phase: 'Ready', since: 1000 }, afterTest, present, 1000 + 10 * MIN - 1, { kind: 'wait' }],
    ['the wait runs out', { phase: 'Ready', since: 1000 }, afterTest, present, 1000 + 10 * MIN, timedOut],
    ['the replacement deleted while waiting', { phase: 'Ready', since: 1000 }, afterTest, { exists: false, steady: false }, 1000,
      { kind: 'fail', code: 'ECS_UPDATE_ERROR', why: 'The replacement task set was deleted during the deployment.' }],
    ['continued: BeforeAllowTraffic before the first shift', { phase: 'AllowTraffic', startedAt: undefined, stepsDone: 0 }, afterTest, present, 20 * MIN,
      { kind: 'start-hook', event: 'BeforeAllowTraffic' }],
  ];
  for (const [what, progress, hookProgress, replacement, now, expected] of cases) {
    assert.deepEqual(nextAction(progress, timing, replacement, now, hookProgress), expected, what);
  }
});

test('nextAction: a canary interval counts from the first shift, not from the ready wait or hooks before it', () => {
  const timing: DeploymentTiming = {
    steps: trafficSteps({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } }), terminationWaitMs: 0, readyWaitMs: 60 * MIN,
  };
  const present = { exists: true, steady: true };
  // Continued 30 minutes after test traffic: the canary still holds 5 minutes.
  assert.deepEqual(nextAction({ phase: 'AllowTraffic', startedAt: undefined, stepsDone: 0 }, timing, present, 30 * MIN), { kind: 'shift', percent: 10 });
  assert.deepEqual(nextAction({ phase: 'AllowTraffic', startedAt: 30 * MIN, stepsDone: 1 }, timing, present, 34 * MIN), { kind: 'wait' });
  assert.deepEqual(nextAction({ phase: 'AllowTraffic', startedAt: 30 * MIN, stepsDone: 1 }, timing, present, 35 * MIN), { kind: 'shift', percent: 100 });
});

test('continueOutcome: ContinueDeployment ends the wait it names, only while the deployment is in it', () => {
  const cases: Array<[string, DeploymentProgress | undefined, 'READY_WAIT' | 'TERMINATION_WAIT', ContinueOutcome]> = [
    ['Ready, READY_WAIT', { phase: 'Ready', since: 0 }, 'READY_WAIT', { kind: 'end-ready-wait' }],
    ['termination wait, TERMINATION_WAIT', { phase: 'TerminationWait', since: 0 }, 'TERMINATION_WAIT', { kind: 'end-termination-wait' }],
    ['Ready, TERMINATION_WAIT', { phase: 'Ready', since: 0 }, 'TERMINATION_WAIT', { kind: 'refuse', why: 'other-wait' }],
    ['termination wait, READY_WAIT', { phase: 'TerminationWait', since: 0 }, 'READY_WAIT', { kind: 'refuse', why: 'other-wait' }],
    ['installing', { phase: 'Install', replacementCreated: true }, 'READY_WAIT', { kind: 'refuse', why: 'not-waiting' }],
    ['shifting', { phase: 'AllowTraffic', startedAt: 0, stepsDone: 1 }, 'TERMINATION_WAIT', { kind: 'refuse', why: 'not-waiting' }],
    ['ended', undefined, 'READY_WAIT', { kind: 'refuse', why: 'completed' }],
  ];
  for (const [what, progress, waitType, expected] of cases) assert.deepEqual(continueOutcome(progress, waitType), expected, what);
});
