import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { doing, RolloutError } from '../../spec/errors.js';
import type { CodeDeployPort } from '../ports.js';
import { inTerminationWait } from './observation.js';
import { ongoingDeployments } from './ongoing.js';
import { resolveGroup } from './prepare.js';
import { ecsTargetId } from './plan.js';

/**
 * promote and abort on a CODE_DEPLOY service: they find the group's
 * deployment that has not ended from what CodeDeploy shows, never from the
 * deploying process. promote ends a wait (ContinueDeployment); abort stops
 * the deployment and rolls it back (StopDeployment with autoRollbackEnabled).
 */
export interface CodeDeployOperatorRequest {
  cluster: string;
  service: string;
  /** strategy.codeDeploy of the settings file: names the group when the service has several. */
  codeDeploy?: { application?: string | undefined; deploymentGroup?: string | undefined } | undefined;
}

export interface CodeDeployOperatorResult {
  outcome: 'continued' | 'nothing-to-continue' | 'rollback-requested' | 'already-stopping';
  deploymentId: string;
  status: string;
  message: string;
}

export async function promoteCodeDeploy(port: CodeDeployPort, request: CodeDeployOperatorRequest, signal?: AbortSignal): Promise<CodeDeployOperatorResult> {
  const info = await findOngoing(port, request, 'promote', signal);
  const id = info.deploymentId ?? '';
  const status = info.status ?? 'Unknown';
  if (status === 'Ready') {
    await doing(`continue CodeDeploy deployment ${id} (ContinueDeployment READY_WAIT)`, () => port.continueDeployment(id, 'READY_WAIT', signal));
    return { outcome: 'continued', deploymentId: id, status, message: `continued CodeDeploy deployment ${id}: production traffic shifts to the new tasks` };
  }
  const target = await doing(`read the ECS target of CodeDeploy deployment ${id}`, () => port.readTarget(id, ecsTargetId(request.cluster, request.service), signal));
  if (inTerminationWait(info, target)) {
    await doing(`end the termination wait of CodeDeploy deployment ${id} (ContinueDeployment TERMINATION_WAIT)`, () => port.continueDeployment(id, 'TERMINATION_WAIT', signal));
    return { outcome: 'continued', deploymentId: id, status, message: `ended the termination wait of CodeDeploy deployment ${id}: the original task set is terminated now` };
  }
  return {
    outcome: 'nothing-to-continue',
    deploymentId: id,
    status,
    message:
      `CodeDeploy deployment ${id} is ${status} and waits for nothing promote can end: it is not waiting with test traffic (Ready) nor in its termination wait. ` +
      'CodeDeploy has no API to skip a canary or linear interval; nothing was changed. ecs-rollout abort stops it and rolls back',
  };
}

export async function abortCodeDeploy(port: CodeDeployPort, request: CodeDeployOperatorRequest, signal?: AbortSignal): Promise<CodeDeployOperatorResult> {
  const info = await findOngoing(port, request, 'abort', signal);
  const id = info.deploymentId ?? '';
  const status = info.status ?? 'Unknown';
  await doing(`stop CodeDeploy deployment ${id} with rollback`, () => port.stopDeployment(id, true, signal));
  return {
    outcome: 'rollback-requested',
    deploymentId: id,
    status,
    message: `stopped CodeDeploy deployment ${id} (was ${status}) with rollback; production traffic goes back to the original task set`,
  };
}

/** The newest deployment of the service's group that has not ended, described; CodeDeploy's rolling back is said, not returned. */
async function findOngoing(port: CodeDeployPort, request: CodeDeployOperatorRequest, verb: string, signal: AbortSignal | undefined): Promise<DeploymentInfo> {
  const { application, group } = await resolveGroup(port, request.cluster, request.service, request.codeDeploy, signal);
  const name = group.deploymentGroupName ?? '';
  const { release, rollback } = await ongoingDeployments(port, application, name, signal);
  if (release) return release;
  const why = rollback
    ? `CodeDeploy is rolling back deployment ${rollback.rollbackInfo?.rollbackTriggeringDeploymentId ?? '-'} with deployment ${rollback.deploymentId ?? '-'}; let it finish`
    : 'it has no deployment in progress';
  throw new RolloutError('InvalidArguments', `nothing to ${verb}: CodeDeploy deployment group ${name} (application ${application}) of service ${request.service}: ${why}`);
}
