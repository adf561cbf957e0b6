import type { DeploymentInfo, DeploymentOverview, DeploymentTarget, ECSTaskSet, TargetStatus } from '@aws-sdk/client-codedeploy';
import type { CodeDeployServiceView } from '../ecs/task-set-plane.js';
import { targetStatus } from './lifecycle-events.js';
import type { DeploymentPlan, StoredDeployment } from './model.js';

/**
 * What a deployment shows of its one ECS target (ListDeploymentTargets,
 * GetDeploymentTarget, BatchGetDeploymentTargets) and its overview on
 * GetDeployment: views of the stored deployment and of ECS now.
 */

/** An ECS deployment's target id: "<clustername>:<servicename>", as the API reference gives it. */
export const targetIdOf = (plan: Pick<DeploymentPlan, 'cluster' | 'service'>): string => `${plan.cluster}:${plan.service}`;

/** A target group's name from its ARN (arn:…:targetgroup/NAME/ID). */
export const targetGroupName = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1).split('/')[1] ?? arn;

/**
 * The deployment's two task sets as ECS shows them now: the original (Blue)
 * and the replacement (Green, once created), each with the percent of
 * production traffic the deployment has put on it. A task set ECS no longer
 * has is left out.
 */
export function taskSetsInfo(d: Pick<StoredDeployment, 'plan' | 'replacementTaskSetId' | 'production'>, service: CodeDeployServiceView | undefined): ECSTaskSet[] {
  const { plan } = d;
  const sets = [
    { id: plan.originalTaskSetId, targetGroupArn: plan.originalTargetGroupArn, label: 'Blue' as const, weight: 100 - d.production },
    ...(d.replacementTaskSetId
      ? [{ id: d.replacementTaskSetId, targetGroupArn: plan.replacementTargetGroupArn, label: 'Green' as const, weight: d.production }]
      : []),
  ];
  return sets.flatMap((set) => {
    const live = service?.taskSets.find((ts) => ts.id === set.id);
    if (!live) return [];
    return [{
      identifer: set.id,
      desiredCount: live.desiredCount,
      pendingCount: live.pendingCount,
      runningCount: live.runningCount,
      status: live.status,
      trafficWeight: set.weight,
      targetGroup: { name: targetGroupName(set.targetGroupArn) },
      taskSetLabel: set.label,
    }];
  });
}

/** The deployment's ECS target; an ended deployment shows its task sets as they were when it ended. */
export function deploymentTarget(d: StoredDeployment, service: CodeDeployServiceView | undefined): DeploymentTarget {
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: d.info.deploymentId,
      targetId: targetIdOf(d.plan),
      targetArn: d.plan.serviceArn,
      lastUpdatedAt: new Date(d.targetUpdatedAt),
      lifecycleEvents: d.lifecycle.map((e) => ({
        lifecycleEventName: e.name,
        status: e.status,
        ...(e.startTime !== undefined ? { startTime: new Date(e.startTime) } : {}),
        ...(e.endTime !== undefined ? { endTime: new Date(e.endTime) } : {}),
        ...(e.diagnostics ? { diagnostics: e.diagnostics } : {}),
      })),
      status: targetStatus(d.info.status, d.progress),
      taskSetsInfo: d.progress === undefined && d.taskSetsAtEnd ? d.taskSetsAtEnd : taskSetsInfo(d, service),
    },
  };
}

/** deploymentOverview counts targets by status; an ECS deployment has one. */
function overview(status: TargetStatus): DeploymentOverview {
  const counts: Required<DeploymentOverview> = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  if (status !== 'Unknown') counts[status] += 1;
  return counts;
}

/** GetDeployment's deploymentInfo: the stored info and the overview of its target. */
export function deploymentView(d: StoredDeployment): DeploymentInfo {
  return { ...d.info, deploymentOverview: overview(targetStatus(d.info.status, d.progress)) };
}
