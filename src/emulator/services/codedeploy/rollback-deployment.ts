import type { ECSTaskSet, RevisionLocation } from '@aws-sdk/client-codedeploy';
import type { CodeDeployScope, StoredDeployment } from './model.js';

/**
 * The deployment CodeDeploy creates to roll one back (creator
 * codeDeployRollback, rollbackInfo.rollbackTriggeringDeploymentId). For ECS
 * it has one thing to do — put production and test traffic back on the
 * original task set and delete the replacement — which the emulator does in
 * the same step that creates it, so it is Succeeded from the start. Its
 * target shows that one move as its AllowTraffic event.
 *
 * `revision` is what the group ran before: the last deployment that
 * succeeded, if any.
 */
export function rollbackDeployment(
  triggering: StoredDeployment, deploymentId: string, now: number, revision: RevisionLocation | undefined, taskSets: ECSTaskSet[],
): StoredDeployment {
  const t = triggering.info;
  const at = new Date(now);
  return {
    info: {
      applicationName: t.applicationName,
      deploymentGroupName: t.deploymentGroupName,
      deploymentConfigName: t.deploymentConfigName,
      deploymentId,
      ...(revision ? { revision } : {}),
      status: 'Succeeded',
      createTime: at,
      startTime: at,
      completeTime: at,
      creator: 'codeDeployRollback',
      ignoreApplicationStopFailures: false,
      autoRollbackConfiguration: t.autoRollbackConfiguration,
      updateOutdatedInstancesOnly: false,
      rollbackInfo: { rollbackTriggeringDeploymentId: t.deploymentId },
      deploymentStyle: t.deploymentStyle,
      blueGreenDeploymentConfiguration: t.blueGreenDeploymentConfiguration,
      loadBalancerInfo: t.loadBalancerInfo,
      instanceTerminationWaitTimeStarted: false,
      computePlatform: 'ECS',
      deploymentStatusMessages: [],
    },
    plan: triggering.plan,
    progress: undefined,
    replacementTaskSetId: triggering.replacementTaskSetId,
    hooks: { done: [], finished: [], running: undefined },
    lifecycle: [{ name: 'AllowTraffic', status: 'Succeeded', startTime: now, endTime: now }],
    production: 0,
    targetUpdatedAt: now,
    taskSetsAtEnd: taskSets,
  };
}

/**
 * The revision the group last deployed successfully (rollback deployments
 * aside, they carry an earlier one again): what a rollback goes back to, and
 * a new deployment's previousRevision.
 */
export function lastSucceededRevision(scope: CodeDeployScope, applicationName: string, deploymentGroupName: string): RevisionLocation | undefined {
  return [...scope.deployments.values()]
    .filter((other) => other.info.applicationName === applicationName && other.info.deploymentGroupName === deploymentGroupName)
    .filter((other) => other.info.status === 'Succeeded' && other.info.creator !== 'codeDeployRollback')
    .at(-1)?.info.revision;
}
