import type { Deployment, ServiceDeploymentStatus } from '@aws-sdk/client-ecs';

/** What the follower knows about the deployment it started. */
export interface Tracking {
  deploymentId: string;
  taskDefinitionArn: string;
  /** The task definition the service ran before: where a rollback goes. */
  previousTaskDefinitionArn: string;
  /** Set once ECS started rolling back our deployment. */
  rollback?: { deploymentId: string; reason: string } | undefined;
}

export type Verdict =
  | { kind: 'in-progress' }
  | { kind: 'completed' }
  | { kind: 'rollback-started'; rollbackDeploymentId: string; taskDefinitionArn: string | undefined; reason: string }
  | { kind: 'rolled-back'; reason: string }
  /** Failed and, as far as we can see, not rolled back. `rollbackExpected`: the service rolls back on failure, so wait a little for it. */
  | { kind: 'failed'; reason: string; rollbackExpected: boolean };

export interface Observation {
  deployments: readonly Deployment[];
  /** Whether the service's circuit breaker rolls back on failure. */
  rollbackOnFailure: boolean;
  /** Status of our deployment's service deployment, when the endpoint offers them. */
  serviceDeploymentStatus?: ServiceDeploymentStatus | undefined;
  serviceDeploymentReason?: string | undefined;
}

const ROLLBACK_WORDS = /rolling back|rollback/i;

/** Is the deployment we started done, failed, or rolled back? Pure. */
export function judgeDeployment(tracking: Tracking, observation: Observation): Verdict {
  const { deployments } = observation;
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const ours = deployments.find((d) => d.id === tracking.deploymentId);
  const sdStatus = observation.serviceDeploymentStatus;

  if (tracking.rollback) {
    const failure = tracking.rollback.reason;
    if (sdStatus === 'ROLLBACK_SUCCESSFUL') return { kind: 'rolled-back', reason: failure };
    if (sdStatus === 'ROLLBACK_FAILED') return { kind: 'failed', reason: `${failure}; the rollback failed too${suffix(observation.serviceDeploymentReason)}`, rollbackExpected: false };
    const rollback = deployments.find((d) => d.id === tracking.rollback?.deploymentId);
    if (!rollback) {
      return { kind: 'failed', reason: `${failure}; the rollback deployment ${tracking.rollback.deploymentId} was replaced by ${primary?.id ?? 'another deployment'}`, rollbackExpected: false };
    }
    if (rollback.rolloutState === 'COMPLETED') return { kind: 'rolled-back', reason: failure };
    if (rollback.rolloutState === 'FAILED') {
      return { kind: 'failed', reason: `${failure}; the rollback failed too: ${rollback.rolloutStateReason ?? 'no reason given'}`, rollbackExpected: false };
    }
    return { kind: 'in-progress' };
  }

  if (primary && primary.id === tracking.deploymentId) {
    if (sdStatus === 'SUCCESSFUL' || primary.rolloutState === 'COMPLETED') return { kind: 'completed' };
    if (primary.rolloutState === 'FAILED' || sdStatus === 'STOPPED' || sdStatus === 'ROLLBACK_FAILED') {
      const reason = primary.rolloutStateReason ?? observation.serviceDeploymentReason ?? 'the deployment failed';
      const rollbackExpected = observation.rollbackOnFailure || sdStatus === 'ROLLBACK_REQUESTED' || sdStatus === 'ROLLBACK_IN_PROGRESS';
      return { kind: 'failed', reason, rollbackExpected };
    }
    return { kind: 'in-progress' };
  }

  if (primary) {
    // Another deployment took over: ECS's rollback, or someone else's deploy.
    const isRollback =
      ours?.rolloutState === 'FAILED' ||
      ROLLBACK_WORDS.test(ours?.rolloutStateReason ?? '') ||
      ROLLBACK_WORDS.test(primary.rolloutStateReason ?? '') ||
      (sdStatus !== undefined && sdStatus.startsWith('ROLLBACK')) ||
      // Our deployment is gone already (the rollback finished between two looks): judge by where the service went.
      (!ours && primary.taskDefinition === tracking.previousTaskDefinitionArn && primary.taskDefinition !== tracking.taskDefinitionArn);
    if (isRollback) {
      const reason = ours?.rolloutStateReason ?? observation.serviceDeploymentReason ?? `ECS replaced deployment ${tracking.deploymentId} with ${primary.id}`;
      return { kind: 'rollback-started', rollbackDeploymentId: primary.id ?? '', taskDefinitionArn: primary.taskDefinition, reason };
    }
    return {
      kind: 'failed',
      reason: `deployment ${tracking.deploymentId} was replaced by deployment ${primary.id ?? '(unknown)'} of ${primary.taskDefinition ?? 'another task definition'} (another deploy started)`,
      rollbackExpected: false,
    };
  }
  return { kind: 'in-progress' };
}

function suffix(reason: string | undefined): string {
  return reason ? `: ${reason}` : '';
}
