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
  /** startedAt: when the first production shift happened (hooks before it do not shorten the intervals). */
  | { phase: 'AllowTraffic'; startedAt: number | undefined; stepsDone: number }
  | { phase: 'TerminationWait'; since: number };

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
  /** Install is done: the test listeners go to the replacement, and production shifting begins. */
  | { kind: 'route-test' }
  | { kind: 'shift'; percent: number }
  /** All production traffic is on the replacement: it becomes the primary task set. */
  | { kind: 'make-primary' }
  | { kind: 'terminate-original' }
  | { kind: 'start-hook'; event: HookEvent }
  | { kind: 'hook-succeeded'; event: HookEvent }
  | { kind: 'fail'; code: FailureCode; why: string };

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
 * AfterInstall, AllowTestTraffic, AfterAllowTestTraffic, BeforeAllowTraffic,
 * AllowTraffic, AfterAllowTraffic; then the original task set waits out
 * terminationWaitTimeInMinutes and goes.
 */
export function nextAction(
  progress: DeploymentProgress, steps: readonly TrafficStep[], terminationWaitMs: number, replacement: ReplacementObservation, now: number,
  hooks: HookProgress = { configured: [], done: [], running: undefined },
): DeploymentAction {
  if (progress.phase === 'Install' && !progress.replacementCreated) return hookGate('BeforeInstall', hooks, now) ?? { kind: 'create-replacement' };
  if (!replacement.exists) return { kind: 'fail', code: 'ECS_UPDATE_ERROR', why: 'The replacement task set was deleted during the deployment.' };
  switch (progress.phase) {
    case 'Install':
      if (!replacement.steady) return { kind: 'wait' };
      return hookGate('AfterInstall', hooks, now) ?? { kind: 'route-test' };
    case 'AllowTraffic': {
      if (progress.stepsDone === 0) {
        const held = hookGate('AfterAllowTestTraffic', hooks, now) ?? hookGate('BeforeAllowTraffic', hooks, now);
        if (held) return held;
      }
      const step = steps[progress.stepsDone];
      if (!step) return hookGate('AfterAllowTraffic', hooks, now) ?? { kind: 'make-primary' };
      const due = progress.startedAt === undefined || now >= progress.startedAt + step.afterMs;
      return due ? { kind: 'shift', percent: step.percent } : { kind: 'wait' };
    }
    case 'TerminationWait':
      return now >= progress.since + terminationWaitMs ? { kind: 'terminate-original' } : { kind: 'wait' };
  }
}
