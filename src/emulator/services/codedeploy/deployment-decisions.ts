import type { TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import type { HookEvent } from './appspec.js';

/**
 * An ECS blue/green deployment's decisions as pure functions: which traffic
 * shift comes when, and what the deployment does next given what ECS shows.
 * The runner (deployment-runner.ts) observes, asks, and acts.
 */

/** Production traffic on the replacement, in percent, `afterMs` after the shifting began. */
export interface TrafficStep {
  percent: number;
  afterMs: number;
}

const MINUTE_MS = 60_000;

/**
 * CodeDeploy's traffic routing for ECS: AllAtOnce shifts everything at once;
 * TimeBasedCanary shifts canaryPercentage, then the rest canaryInterval minutes
 * later; TimeBasedLinear shifts linearPercentage every linearInterval minutes
 * until all of it has moved.
 */
export function trafficSteps(routing: TrafficRoutingConfig | undefined): TrafficStep[] {
  switch (routing?.type ?? 'AllAtOnce') {
    case 'TimeBasedCanary': {
      const percent = routing?.timeBasedCanary?.canaryPercentage ?? 100;
      const interval = (routing?.timeBasedCanary?.canaryInterval ?? 0) * MINUTE_MS;
      return percent >= 100 ? [{ percent: 100, afterMs: 0 }] : [{ percent, afterMs: 0 }, { percent: 100, afterMs: interval }];
    }
    case 'TimeBasedLinear': {
      // At least 1%, so a malformed config cannot loop forever.
      const percent = Math.max(1, routing?.timeBasedLinear?.linearPercentage ?? 100);
      const interval = (routing?.timeBasedLinear?.linearInterval ?? 0) * MINUTE_MS;
      const steps: TrafficStep[] = [];
      for (let i = 1; steps.at(-1)?.percent !== 100; i += 1) steps.push({ percent: Math.min(100, percent * i), afterMs: (i - 1) * interval });
      return steps;
    }
    default:
      return [{ percent: 100, afterMs: 0 }];
  }
}

/** Where a running deployment is: its ECS lifecycle event, and how far traffic has moved. */
export type DeploymentProgress =
  | { phase: 'Install'; replacementCreated: boolean }
  /** Test traffic is on the replacement: AfterAllowTestTraffic, then the ready wait if there is one. */
  | { phase: 'TestTraffic' }
  /** deploymentReadyOption STOP_DEPLOYMENT: status Ready, production untouched, until ContinueDeployment or the wait runs out. */
  | { phase: 'Ready'; since: number }
  /** startedAt: when the first production shift happened, so hooks and the ready wait before it do not shorten the intervals. */
  | { phase: 'AllowTraffic'; startedAt: number | undefined; stepsDone: number }
  | { phase: 'TerminationWait'; since: number };

/** The deployment's timings, fixed when it is created. */
export interface DeploymentTiming {
  steps: readonly TrafficStep[];
  terminationWaitMs: number;
  /** STOP_DEPLOYMENT's waitTimeInMinutes; undefined for CONTINUE_DEPLOYMENT, which does not wait. */
  readyWaitMs: number | undefined;
}

/** What ECS shows of the replacement task set right now. */
export interface ReplacementObservation {
  /** Absent: not created yet, or gone (someone deleted it). */
  exists: boolean;
  steady: boolean;
}

/** The AppSpec's hooks and where they stand: done ones, and the one running, if any. */
export interface HookProgress {
  configured: readonly HookEvent[];
  done: readonly HookEvent[];
  running: { event: HookEvent; status: 'InProgress' | 'Succeeded' | 'Failed'; since: number; why?: string } | undefined;
}

/** CodeDeploy fails a lifecycle hook that reports no status within an hour. */
export const HOOK_TIMEOUT_MS = 60 * MINUTE_MS;

export type FailureCode = 'ECS_UPDATE_ERROR' | 'HOOK_EXECUTION_FAILURE' | 'TIMEOUT';

export type DeploymentAction =
  | { kind: 'create-replacement' }
  | { kind: 'wait' }
  /** Install is done: the test listeners go to the replacement. */
  | { kind: 'route-test' }
  /** Test traffic is checked: wait for ContinueDeployment (STOP_DEPLOYMENT). */
  | { kind: 'await-ready' }
  /** Test traffic is checked, or ContinueDeployment came: production rerouting begins. */
  | { kind: 'allow-traffic' }
  | { kind: 'shift'; percent: number }
  /** All production traffic is on the replacement: it becomes the primary task set. */
  | { kind: 'make-primary' }
  | { kind: 'terminate-original' }
  | { kind: 'start-hook'; event: HookEvent }
  | { kind: 'hook-succeeded'; event: HookEvent }
  | { kind: 'fail'; code: FailureCode; why: string }
  /**
   * The deployment ends Stopped, not Failed: the ready wait ran out, or an
   * alarm went off. `rollbackOn` is the autoRollbackConfiguration event that
   * decides whether it is rolled back.
   */
  | { kind: 'stop'; code: 'TIMEOUT' | 'ALARM_ACTIVE'; why: string; rollbackOn: 'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' };

/** Whether a lifecycle event's hook holds the deployment back, and what to do about it; undefined lets it pass. */
function hookGate(event: HookEvent, hooks: HookProgress, now: number): DeploymentAction | undefined {
  if (!hooks.configured.includes(event) || hooks.done.includes(event)) return undefined;
  const running = hooks.running;
  if (!running || running.event !== event) return { kind: 'start-hook', event };
  switch (running.status) {
    case 'Succeeded':
      return { kind: 'hook-succeeded', event };
    case 'Failed':
      return { kind: 'fail', code: 'HOOK_EXECUTION_FAILURE', why: `The ${event} lifecycle event hook failed${running.why ? `: ${running.why}` : '.'}` };
    case 'InProgress':
      return now >= running.since + HOOK_TIMEOUT_MS
        ? { kind: 'fail', code: 'TIMEOUT', why: `The ${event} lifecycle event hook reported no status within ${HOOK_TIMEOUT_MS / MINUTE_MS} minutes.` }
        : { kind: 'wait' };
  }
}

/**
 * ECS lifecycle events in CodeDeploy's order: BeforeInstall, Install,
 * AfterInstall, AllowTestTraffic, AfterAllowTestTraffic, (the ready wait,)
 * BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic; then the original task
 * set waits out terminationWaitTimeInMinutes and goes.
 */
export function nextAction(
  progress: DeploymentProgress, timing: DeploymentTiming, replacement: ReplacementObservation, now: number,
  hooks: HookProgress = { configured: [], done: [], running: undefined },
): DeploymentAction {
  if (progress.phase === 'Install' && !progress.replacementCreated) return hookGate('BeforeInstall', hooks, now) ?? { kind: 'create-replacement' };
  if (!replacement.exists) return { kind: 'fail', code: 'ECS_UPDATE_ERROR', why: 'The replacement task set was deleted during the deployment.' };
  switch (progress.phase) {
    case 'Install':
      if (!replacement.steady) return { kind: 'wait' };
      return hookGate('AfterInstall', hooks, now) ?? { kind: 'route-test' };
    case 'TestTraffic':
      return hookGate('AfterAllowTestTraffic', hooks, now) ?? (timing.readyWaitMs === undefined ? { kind: 'allow-traffic' } : { kind: 'await-ready' });
    case 'Ready':
      // AWS documents only that the deployment becomes Stopped. Nobody asked
      // for the stop, so DEPLOYMENT_FAILURE (not _ON_REQUEST) decides its rollback.
      return now >= progress.since + (timing.readyWaitMs ?? 0)
        ? {
          kind: 'stop', code: 'TIMEOUT', rollbackOn: 'DEPLOYMENT_FAILURE',
          why: `The deployment was not continued within the ready wait of ${(timing.readyWaitMs ?? 0) / MINUTE_MS} minutes (deploymentReadyOption STOP_DEPLOYMENT), so it was stopped before production traffic moved.`,
        }
        : { kind: 'wait' };
    case 'AllowTraffic': {
      if (progress.stepsDone === 0) {
        const held = hookGate('BeforeAllowTraffic', hooks, now);
        if (held) return held;
      }
      const step = timing.steps[progress.stepsDone];
      if (!step) return hookGate('AfterAllowTraffic', hooks, now) ?? { kind: 'make-primary' };
      const due = progress.startedAt === undefined || now >= progress.startedAt + step.afterMs;
      return due ? { kind: 'shift', percent: step.percent } : { kind: 'wait' };
    }
    case 'TerminationWait':
      return now >= progress.since + timing.terminationWaitMs ? { kind: 'terminate-original' } : { kind: 'wait' };
  }
}

/** What ContinueDeployment does to a deployment, or why it is refused. */
export type ContinueOutcome =
  | { kind: 'end-ready-wait' }
  | { kind: 'end-termination-wait' }
  /** completed: the deployment has ended; not-waiting: it is in neither wait; other-wait: it is in the wait the call did not name. */
  | { kind: 'refuse'; why: 'completed' | 'not-waiting' | 'other-wait' };

/**
 * ContinueDeployment ends the wait it names, and only while the deployment is
 * in that wait: READY_WAIT while it is Ready (production rerouting begins),
 * TERMINATION_WAIT while the original task set waits to be terminated (it is
 * terminated now, and the deployment succeeds).
 */
export function continueOutcome(progress: DeploymentProgress | undefined, waitType: 'READY_WAIT' | 'TERMINATION_WAIT'): ContinueOutcome {
  if (!progress) return { kind: 'refuse', why: 'completed' };
  const waiting = progress.phase === 'Ready' ? 'READY_WAIT' : progress.phase === 'TerminationWait' ? 'TERMINATION_WAIT' : undefined;
  if (waiting === undefined) return { kind: 'refuse', why: 'not-waiting' };
  if (waiting !== waitType) return { kind: 'refuse', why: 'other-wait' };
  return waiting === 'READY_WAIT' ? { kind: 'end-ready-wait' } : { kind: 'end-termination-wait' };
}
