import type { DeploymentInfo, DeploymentStatus, ECSTarget } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import type { AnalysisVariables } from '../../analysis/contract.js';
import { loadBalancerDimension, targetGroupDimension } from '../alb-canary/route.js';
import type { CodeDeployTaskSet } from './events.js';

/**
 * What a CodeDeploy deployment shows, read into the engine's terms: its
 * task sets and their traffic, its lifecycle events, and how it ended. Pure.
 */

export type CodeDeployVerdict =
  | { kind: 'in-progress' }
  | { kind: 'completed' }
  /** reason: CodeDeploy's error; rollbackDeploymentId: the deployment that puts traffic back, when CodeDeploy made one. */
  | { kind: 'rolled-back'; reason: string; rollbackDeploymentId: string | undefined }
  | { kind: 'aborted'; reason: string; rolledBack: boolean; rollbackDeploymentId: string | undefined }
  | { kind: 'failed'; reason: string };

/** What the follower did that changes how an end reads: a gate it stopped the deployment for. */
export interface CodeDeployTracking {
  gateRollback?: string | undefined;
}

/** The statuses of a deployment that has not ended. */
export const ONGOING_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

/** Whether a deployment with this status has not ended. */
export function isOngoingDeployment(status: string | undefined): boolean {
  return (ONGOING_DEPLOYMENT_STATUSES as readonly string[]).includes(status ?? '');
}

/**
 * Succeeded completes. Failed, or Stopped by anything but a person
 * (an alarm, the ready wait running out), is a failure: rolled back when
 * CodeDeploy says so. Stopped by a StopDeployment is an abort, unless the
 * follower stopped it because a gate failed.
 */
export function judgeDeployment(info: DeploymentInfo, tracking: CodeDeployTracking): CodeDeployVerdict {
  const rollbackDeploymentId = info.rollbackInfo?.rollbackDeploymentId;
  // A rollback message alone may say the rollback could not be done: only a rollback deployment is one.
  const rolledBack = rollbackDeploymentId !== undefined;
  const reason = info.errorInformation?.message ?? info.errorInformation?.code ?? `the deployment ended ${info.status}`;
  switch (info.status) {
    case 'Succeeded':
      return { kind: 'completed' };
    case 'Stopped':
      if (tracking.gateRollback !== undefined) {
        // Our stop asked for a rollback; only a rollback deployment says CodeDeploy made one.
        return rolledBack
          ? { kind: 'rolled-back', reason: tracking.gateRollback, rollbackDeploymentId }
          : { kind: 'failed', reason: `${tracking.gateRollback}; CodeDeploy made no rollback deployment${info.rollbackInfo?.rollbackMessage ? `: ${info.rollbackInfo.rollbackMessage}` : ''}` };
      }
      if (info.errorInformation?.code === undefined || info.errorInformation.code === 'MANUAL_STOP') return { kind: 'aborted', reason, rolledBack, rollbackDeploymentId };
      return rolledBack ? { kind: 'rolled-back', reason, rollbackDeploymentId } : { kind: 'failed', reason };
    case 'Failed':
      return rolledBack ? { kind: 'rolled-back', reason, rollbackDeploymentId } : { kind: 'failed', reason };
    default:
      return { kind: 'in-progress' };
  }
}

/**
 * Whether production is on the replacement and only the wait before the
 * original task set is terminated remains: the ECS target has succeeded
 * while the deployment goes on, or AfterAllowTraffic has passed with all
 * production on the replacement. GetDeployment's
 * instanceTerminationWaitTimeStarted says so too where it is set; it is not
 * relied on alone, as users report AWS leaving it false for ECS.
 */
export function inTerminationWait(info: DeploymentInfo, target: ECSTarget | undefined): boolean {
  if (!isOngoingDeployment(info.status)) return false;
  if (info.instanceTerminationWaitTimeStarted) return true;
  // The target is done while the deployment is not: only the original task set's termination remains.
  if (target?.status === 'Succeeded') return true;
  const afterAllowTraffic = target?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'AfterAllowTraffic');
  const passed = afterAllowTraffic?.status === 'Succeeded' || afterAllowTraffic?.status === 'Skipped';
  return passed && greenWeight(taskSetsOf(target)) === 100;
}

/** The target's task sets, blue first. */
export function taskSetsOf(target: ECSTarget | undefined): CodeDeployTaskSet[] {
  return (target?.taskSetsInfo ?? [])
    .map((ts) => ({
      label: ts.taskSetLabel ?? '-',
      id: ts.identifer ?? '',
      targetGroup: ts.targetGroup?.name,
      desired: ts.desiredCount ?? 0,
      running: ts.runningCount ?? 0,
      pending: ts.pendingCount ?? 0,
      trafficWeight: ts.trafficWeight ?? 0,
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The production percentage on the replacement (Green) task set. */
export function greenWeight(taskSets: readonly CodeDeployTaskSet[]): number {
  return taskSets.find((ts) => ts.label === 'Green')?.trafficWeight ?? 0;
}

/** Lifecycle events whose status differs from what was seen, in CodeDeploy's order. */
export function lifecycleChanges(target: ECSTarget | undefined, seen: ReadonlyMap<string, string>): Array<{ name: string; status: string; diagnostics: string | undefined }> {
  return (target?.lifecycleEvents ?? []).flatMap((e) => {
    const name = e.lifecycleEventName ?? '';
    const status = e.status ?? 'Unknown';
    if (!name || seen.get(name) === status || status === 'Pending') return [];
    const diagnostics = e.diagnostics?.message ?? e.diagnostics?.errorCode;
    return [{ name, status, diagnostics }];
  });
}

/**
 * The {{variables}} an analysis gate sees while a CodeDeploy deployment
 * waits with test traffic on the replacement: the service's task sets as
 * ECS shows them (the replacement is the one CodeDeploy started for this
 * deployment, the original the PRIMARY one), in CloudWatch's dimension form.
 */
export function codeDeployAnalysisVariables(input: { cluster: string; service: Service; deploymentId: string; testListener: string | undefined }): AnalysisVariables {
  const sets = input.service.taskSets ?? [];
  const canary = sets.find((ts) => ts.externalId === input.deploymentId) ?? sets.find((ts) => ts.status === 'ACTIVE');
  const stable = sets.find((ts) => ts.status === 'PRIMARY' && ts !== canary);
  const name = input.service.serviceName ?? '';
  const variables: Record<string, string> = {
    cluster: input.cluster,
    service: name,
    'canary.service': name,
    'stable.service': name,
    step: '1',
    'canary.weight': '0',
    stage: 'POST_TEST_TRAFFIC_SHIFT',
  };
  const canaryTg = canary?.loadBalancers?.[0]?.targetGroupArn;
  const stableTg = stable?.loadBalancers?.[0]?.targetGroupArn;
  if (canary?.taskDefinition) variables['canary.taskDefinition'] = canary.taskDefinition;
  if (stable?.taskDefinition) variables['stable.taskDefinition'] = stable.taskDefinition;
  if (canaryTg) variables['canary.targetGroup'] = targetGroupDimension(canaryTg);
  if (stableTg) variables['stable.targetGroup'] = targetGroupDimension(stableTg);
  const loadBalancer = input.testListener ? loadBalancerDimension({ kind: 'listener', arn: input.testListener }) : '';
  if (loadBalancer) variables.loadBalancer = loadBalancer;
  return variables;
}
