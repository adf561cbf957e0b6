import type { ServiceDeployment } from '@aws-sdk/client-ecs';

/** What the follower of a native (blue/green, canary, linear) deployment has learnt so far. */
export interface NativeTracking {
  /** Set when the tool itself asked ECS to roll back (a gate failed): the reason. */
  gateRollback?: string | undefined;
  /** Someone stopped the deployment (StopServiceDeployment: `ecs-rollout abort`, the console, the CLI). */
  abortSeen: boolean;
}

export type NativeVerdict =
  | { kind: 'in-progress' }
  | { kind: 'completed' }
  | { kind: 'rolled-back'; reason: string }
  | { kind: 'aborted'; reason: string; rolledBack: boolean }
  | { kind: 'failed'; reason: string };

/**
 * Is a native deployment done? Judged by the service deployment's status
 * alone, the one place ECS reports the outcome of every stage. Pure.
 */
export function judgeServiceDeployment(tracking: NativeTracking, sd: Pick<ServiceDeployment, 'status' | 'statusReason' | 'rollback'>): NativeVerdict {
  const reason = tracking.gateRollback ?? sd.rollback?.reason ?? sd.statusReason;
  switch (sd.status) {
    case 'SUCCESSFUL':
      return { kind: 'completed' };
    case 'ROLLBACK_SUCCESSFUL':
      if (tracking.abortSeen && !tracking.gateRollback) return { kind: 'aborted', reason: reason ?? 'stopped with StopServiceDeployment', rolledBack: true };
      return { kind: 'rolled-back', reason: reason ?? 'ECS rolled the deployment back' };
    case 'STOPPED':
      if (tracking.abortSeen) return { kind: 'aborted', reason: reason ?? 'stopped with StopServiceDeployment', rolledBack: false };
      return { kind: 'failed', reason: reason ?? 'ECS stopped the deployment' };
    case 'ROLLBACK_FAILED':
      return { kind: 'failed', reason: `${reason ?? 'the deployment failed'}; the rollback failed too` };
    default:
      return { kind: 'in-progress' };
  }
}

type StopEvidence = Pick<ServiceDeployment, 'status' | 'statusReason' | 'rollback' | 'alarms' | 'deploymentCircuitBreaker' | 'lifecycleHookDetails'>;

/**
 * Whether this look shows an operator's stop (StopServiceDeployment, from
 * `ecs-rollout abort`, the console or another CLI). ROLLBACK_REQUESTED and
 * STOP_REQUESTED can be too brief to be seen between two looks, so a
 * reason that names StopServiceDeployment counts too; a rollback that the
 * tool's gate, a deployment alarm, the circuit breaker or a hook timeout
 * explains never does.
 */
export function showsOperatorStop(tracking: NativeTracking, sd: StopEvidence): boolean {
  if (tracking.gateRollback) return false;
  if (sd.alarms?.status === 'TRIGGERED' || sd.deploymentCircuitBreaker?.status === 'TRIGGERED') return false;
  // A hook that timed out, or a Lambda hook that answered FAILED, rolls back on its own: ROLLBACK_REQUESTED is ECS's doing then,
  // not a person's. (A PAUSE hook shows FAILED after a person's stop, so only Lambda hooks count.)
  if (sd.lifecycleHookDetails?.some((h) => h.status === 'TIMED_OUT' || (h.status === 'FAILED' && h.targetType === 'AWS_LAMBDA'))) return false;
  const reason = `${sd.statusReason ?? ''} ${sd.rollback?.reason ?? ''}`;
  if (/circuit breaker|alarm|timed out|lifecycle hook/i.test(reason)) return false;
  return (
    sd.status === 'STOP_REQUESTED' ||
    sd.status === 'ROLLBACK_REQUESTED' ||
    /StopServiceDeployment/i.test(reason)
  );
}
