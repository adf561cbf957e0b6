import type { DeploymentStatus, Diagnostics, ErrorCode, LifecycleErrorCode, TargetStatus } from '@aws-sdk/client-codedeploy';
import type { DeploymentAction, DeploymentProgress, HookProgress, TrafficStep } from './deployment-decisions.js';

/**
 * The lifecycle events an ECS deployment target shows (GetDeploymentTarget's
 * ecsTarget.lifecycleEvents), as pure functions of where the deployment is.
 * The runner records them as it moves; these functions say what changes.
 */

/** CodeDeploy's ECS lifecycle events, in the order they run. */
export const ECS_LIFECYCLE_EVENTS = [
  'BeforeInstall', 'Install', 'AfterInstall', 'AllowTestTraffic', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic',
] as const;
export type LifecycleEventName = (typeof ECS_LIFECYCLE_EVENTS)[number];

/** One lifecycle event as the deployment target shows it; times are virtual epoch milliseconds. */
export interface LifecycleEventRecord {
  name: LifecycleEventName;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';
  startTime?: number;
  endTime?: number;
  diagnostics?: Diagnostics;
}

/**
 * A new deployment's events, all Pending. The test traffic events are listed
 * only when there is test traffic to route (a test listener, or an
 * AfterAllowTestTraffic hook): the CodeDeploy user guide's get-deployment-target
 * output for a group without a test listener lists the other six.
 */
export function initialLifecycle(withTestTraffic: boolean): LifecycleEventRecord[] {
  return ECS_LIFECYCLE_EVENTS
    .filter((name) => withTestTraffic || (name !== 'AllowTestTraffic' && name !== 'AfterAllowTestTraffic'))
    .map((name) => ({ name, status: 'Pending' }));
}

/** The event under way (begun) or next (not begun), or past all of them once the replacement is primary. */
export type LifecyclePosition = { event: LifecycleEventName; begun: boolean } | 'complete';

const pending = (event: 'BeforeInstall' | 'BeforeAllowTraffic', hooks: Pick<HookProgress, 'configured' | 'done'>): boolean =>
  hooks.configured.includes(event) && !hooks.done.includes(event);

/** Where a running deployment's progress puts it among the lifecycle events. */
export function lifecyclePosition(
  progress: DeploymentProgress, steps: readonly TrafficStep[], hooks: Pick<HookProgress, 'configured' | 'done' | 'running'>,
): LifecyclePosition {
  switch (progress.phase) {
    case 'Install':
      if (!progress.replacementCreated) return { event: pending('BeforeInstall', hooks) ? 'BeforeInstall' : 'Install', begun: true };
      return { event: hooks.running?.event === 'AfterInstall' || hooks.done.includes('AfterInstall') ? 'AfterInstall' : 'Install', begun: true };
    case 'TestTraffic':
      return { event: 'AfterAllowTestTraffic', begun: true };
    case 'Ready':
      // Test traffic is checked; production rerouting has not begun.
      return { event: 'BeforeAllowTraffic', begun: false };
    case 'AllowTraffic':
      if (progress.stepsDone === 0) return { event: pending('BeforeAllowTraffic', hooks) ? 'BeforeAllowTraffic' : 'AllowTraffic', begun: true };
      return { event: progress.stepsDone < steps.length ? 'AllowTraffic' : 'AfterAllowTraffic', begun: true };
    case 'TerminationWait':
      return 'complete';
  }
}

/** The lifecycle event an action belongs to, so that a failure while doing it fails that event. */
export function eventOfAction(action: DeploymentAction): LifecycleEventName | undefined {
  switch (action.kind) {
    case 'create-replacement':
      return 'Install';
    case 'route-test':
      return 'AllowTestTraffic';
    case 'shift':
      return 'AllowTraffic';
    case 'start-hook':
    case 'hook-succeeded':
      return action.event;
    default:
      return undefined;
  }
}

const order = (name: LifecycleEventName): number => ECS_LIFECYCLE_EVENTS.indexOf(name);
const open = (e: LifecycleEventRecord): boolean => e.status === 'Pending' || e.status === 'InProgress';

/**
 * Moves the events up to `position`: every open event before it Succeeded (an
 * event with nothing to do — a hook event without a hook — starts and ends at
 * once, as AWS shows it), the event itself InProgress once begun. Ended events
 * never change, so moving to the same position twice changes nothing.
 */
export function advanceLifecycle(events: readonly LifecycleEventRecord[], position: LifecyclePosition, now: number): LifecycleEventRecord[] {
  const at = position === 'complete' ? Infinity : order(position.event);
  return events.map((e) => {
    if (!open(e)) return e;
    if (order(e.name) < at) return { ...e, status: 'Succeeded', startTime: e.startTime ?? now, endTime: now };
    if (position !== 'complete' && e.name === position.event && position.begun && e.status === 'Pending') return { ...e, status: 'InProgress', startTime: now };
    return e;
  });
}

/** A deployment that ends early: the event under way Failed with the reason, the ones not reached Skipped. */
export function closeLifecycle(events: readonly LifecycleEventRecord[], now: number, diagnostics: Diagnostics): LifecycleEventRecord[] {
  return events.map((e) => {
    if (e.status === 'InProgress') return { ...e, status: 'Failed', endTime: now, diagnostics };
    if (e.status === 'Pending') return { ...e, status: 'Skipped' };
    return e;
  });
}

/** The diagnostics a failed event carries: a hook's failure as a failed script (the hook's function), anything else as unknown. */
export function diagnosticsFor(code: ErrorCode, message: string, hookFunction: string | undefined): Diagnostics {
  const errorCode: LifecycleErrorCode = code === 'HOOK_EXECUTION_FAILURE' ? 'ScriptFailed' : code === 'TIMEOUT' && hookFunction ? 'ScriptTimedOut' : 'UnknownError';
  return { errorCode, message, ...(hookFunction ? { scriptName: hookFunction } : {}) };
}

/**
 * The ECS target's status for the deployment's: Ready while it waits for
 * ContinueDeployment, Succeeded from the moment the replacement is primary
 * (the termination wait runs after the target has succeeded), Failed for a
 * deployment that failed or was stopped.
 */
export function targetStatus(status: DeploymentStatus, progress: DeploymentProgress | undefined): TargetStatus {
  switch (status) {
    case 'Created':
    case 'Queued':
      return 'Pending';
    case 'Ready':
      return 'Ready';
    case 'Succeeded':
      return 'Succeeded';
    case 'Failed':
    case 'Stopped':
      return 'Failed';
    default:
      return progress?.phase === 'TerminationWait' ? 'Succeeded' : 'InProgress';
  }
}
