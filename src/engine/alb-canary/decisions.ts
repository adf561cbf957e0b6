import type { Deployment } from '@aws-sdk/client-ecs';
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AnalysisVerdict } from '../../analysis/contract.js';
import { largestWeight, type CanaryStep } from '../../spec/canary-steps.js';
import { taskDefinitionLabel } from '../revision.js';
import type { AbortMarker, CanaryRecord, CanaryState, PromoteMarker } from './state-tag.js';

/**
 * The canary's step machine as pure decisions: data in, data out, no AWS.
 * The driver (run.ts) observes, asks these, and acts.
 */

/** How a deploy begins, given what the canary service's tags record. */
export type StartDecision =
  | { kind: 'fresh' }
  | { kind: 'resume'; state: CanaryState }
  /** An abort was asked for this run and not finished: finish it. */
  | { kind: 'finish-abort'; state: CanaryState }
  | { kind: 'conflict'; state: CanaryState; message: string };

export function decideStart(record: CanaryRecord, requestedImage: string, recordedImage: string | undefined): StartDecision {
  const state = record.state;
  if (!state) return { kind: 'fresh' };
  if (record.abort?.run === state.run) return { kind: 'finish-abort', state };
  if (recordedImage === requestedImage) return { kind: 'resume', state };
  return {
    kind: 'conflict',
    state,
    message: `a canary of ${state.taskDefinition}${recordedImage ? ` (${recordedImage})` : ''} is under way at step ${state.step}/${state.totalSteps}; rerun that deploy to resume it, or run ecs-rollout abort to revert it before deploying ${requestedImage}`,
  };
}

/** Where a resumed canary picks up. Weights and the canary's health are checked again before anything moves. */
export type ResumePoint =
  | { kind: 'start' }
  | { kind: 'step'; index: number }
  | { kind: 'promote' }
  | { kind: 'finish' }
  | { kind: 'rollback' };

export function resumePoint(state: CanaryState): ResumePoint {
  switch (state.phase) {
    case 'starting':
      return { kind: 'start' };
    case 'step':
      return state.step >= 1 && state.step <= state.totalSteps ? { kind: 'step', index: state.step - 1 } : { kind: 'start' };
    case 'promoting':
      return { kind: 'promote' };
    case 'finishing':
      return { kind: 'finish' };
    case 'rolling-back':
      return { kind: 'rollback' };
  }
}

/**
 * Canary tasks: as configured, else enough that each canary task carries no
 * more than a stable task does at the largest weight, and at least one.
 */
export function canaryCountFor(configured: number | undefined, steps: readonly CanaryStep[], stableDesired: number): number {
  if (configured !== undefined) return configured;
  return Math.max(1, Math.ceil((stableDesired * largestWeight(steps)) / 100));
}

/** What an analysis verdict makes the canary do, as its onFailure says. */
export type VerdictAction = 'continue' | 'rollback' | 'wait-for-promote' | 'continue-with-warning';

export function verdictAction(verdict: Pick<AnalysisVerdict, 'phase' | 'onFailure'>): VerdictAction {
  if (verdict.phase === 'Successful') return 'continue';
  switch (verdict.onFailure) {
    case 'rollback':
      return 'rollback';
    case 'pause':
      return 'wait-for-promote';
    case 'report':
      return 'continue-with-warning';
  }
}

export function healthyCount(targets: readonly TargetHealthDescription[]): number {
  return targets.filter((t) => t.TargetHealth?.State === 'healthy').length;
}

/**
 * Traffic never goes to a target group with no healthy targets: ALB would
 * fail open and send it to unhealthy ones. Undefined when the shift may go.
 */
export function shiftRefusal(canaryPercent: number, health: { canaryHealthy: number; stableHealthy: number }): string | undefined {
  if (canaryPercent > 0 && health.canaryHealthy === 0) return `the canary target group has no healthy targets; refusing to send it ${canaryPercent}%`;
  if (canaryPercent < 100 && health.stableHealthy === 0) return `the stable target group has no healthy targets; refusing to send it ${100 - canaryPercent}%`;
  return undefined;
}

/** An ECS service taking a revision, with its target group's health: done, not yet, or failed. */
export interface ServiceObservation {
  deployments: readonly Deployment[];
  taskDefinitionArn: string;
  desired: number;
  healthyTargets: number;
  /** Failed tasks of our deployment at which we stop waiting. */
  failedTaskLimit: number;
}

export type Readiness = { kind: 'ready' } | { kind: 'waiting'; summary: string } | { kind: 'failed'; reason: string };

export function judgeReadiness(o: ServiceObservation): Readiness {
  const primary = o.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) return { kind: 'waiting', summary: 'no PRIMARY deployment yet' };
  // Compared as family:revision: the task definition may be known by its full ARN or by that label.
  if (taskDefinitionLabel(primary.taskDefinition) !== taskDefinitionLabel(o.taskDefinitionArn)) {
    return { kind: 'failed', reason: `ECS moved the service to ${primary.taskDefinition ? taskDefinitionLabel(primary.taskDefinition) : 'another task definition'}${primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : ''}` };
  }
  if (primary.rolloutState === 'FAILED') return { kind: 'failed', reason: primary.rolloutStateReason ?? 'the deployment FAILED' };
  const failed = primary.failedTasks ?? 0;
  if (failed >= o.failedTaskLimit) return { kind: 'failed', reason: `${failed} task${failed === 1 ? '' : 's'} of ${taskDefinitionLabel(o.taskDefinitionArn)} failed to start or to stay healthy` };
  const running = primary.runningCount ?? 0;
  const summary = `${running}/${o.desired} running, ${o.healthyTargets} healthy in the target group, ${o.deployments.length} deployment${o.deployments.length === 1 ? '' : 's'}`;
  const ready = o.deployments.length === 1 && running >= o.desired && o.healthyTargets >= o.desired;
  return ready ? { kind: 'ready' } : { kind: 'waiting', summary };
}

/** Between steps and while waiting: whether to stop, and why. */
export type WatchVerdict = { kind: 'ok' } | { kind: 'abort'; by: string } | { kind: 'canary-unhealthy'; reason: string };

export function watchCanary(run: string, abort: AbortMarker | undefined, canaryHealthy: number): WatchVerdict {
  if (abort?.run === run) return { kind: 'abort', by: abort.by };
  if (canaryHealthy === 0) return { kind: 'canary-unhealthy', reason: 'the canary target group has no healthy targets left (canary tasks failing)' };
  return { kind: 'ok' };
}

/** Whether `ecs-rollout promote` was asked for this run at this step (or a later one). */
export function promotedAt(promote: PromoteMarker | undefined, run: string, step: number): boolean {
  return promote?.run === run && promote.step >= step;
}

/** Whether the deploy that wrote the state is still running: it rewrites the state every heartbeat. */
export function isLive(state: CanaryState, now: number): boolean {
  return now - state.updatedAt <= 3 * state.heartbeatMs + 1000;
}

/**
 * How often a running deploy rewrites its state: often enough that promote
 * and status can tell it is alive, rarely enough to be no burden on the ECS
 * API (one TagResource).
 */
export function heartbeatFor(pollIntervalMs: number): number {
  return Math.min(30_000, Math.max(1000, pollIntervalMs * 8));
}

/** When a timed pause ends: as recorded when resuming the same pause, else its full length from now. */
export function pauseEnd(state: Pick<CanaryState, 'waiting' | 'until' | 'step'> | undefined, step: number, durationMs: number, now: number): number {
  if (state?.waiting === 'pause' && state.step === step && state.until !== undefined) return state.until;
  return now + durationMs;
}
