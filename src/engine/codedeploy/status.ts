import { RolloutError } from '../../spec/errors.js';
import type { CodeDeployTaskSet } from './events.js';
import type { CodeDeployPort } from '../ports.js';
import { appSpecTaskDefinition } from './history.js';
import { inTerminationWait, isOngoingDeployment, taskSetsOf } from './observation.js';
import { resolveGroup } from './prepare.js';
import { ecsTargetId } from './plan.js';

/** What `status` shows of a CODE_DEPLOY service: its deployment group and the newest deployment in it. */
export interface CodeDeployStatus {
  application: string | undefined;
  deploymentGroup: string | undefined;
  /** Why the group or its deployment could not be shown; the rest of the status stands. */
  note: string | undefined;
  deployment: CodeDeployDeploymentStatus | undefined;
}

export interface CodeDeployDeploymentStatus {
  id: string;
  status: string;
  deploymentConfig: string | undefined;
  taskDefinitionArn: string | undefined;
  createdAt: string | undefined;
  completedAt: string | undefined;
  /** Each lifecycle event and its status, in CodeDeploy's order. */
  lifecycle: Array<{ name: string; status: string }>;
  taskSets: CodeDeployTaskSet[];
  terminationWaitStarted: boolean;
  error: string | undefined;
  rollbackDeploymentId: string | undefined;
  /** What a person can do now: promote (a wait promote ends), abort (it has not ended). */
  actions: Array<'promote' | 'abort'>;
}

/**
 * The service's deployment group and its newest deployment, with the
 * lifecycle events and task sets CodeDeploy shows. Detail only: a group that
 * cannot be found or read becomes a note, never a failed status.
 */
export async function readCodeDeployStatus(
  port: CodeDeployPort, target: { cluster: string; service: string; codeDeploy?: { application?: string | undefined; deploymentGroup?: string | undefined } | undefined },
  signal?: AbortSignal,
): Promise<CodeDeployStatus> {
  let found;
  try {
    found = await resolveGroup(port, target.cluster, target.service, target.codeDeploy, signal);
  } catch (err) {
    if (signal?.aborted) throw err;
    return { application: undefined, deploymentGroup: undefined, note: err instanceof RolloutError ? err.message.replace(/^preflight failed: /, '') : String(err), deployment: undefined };
  }
  const application = found.application;
  const deploymentGroup = found.group.deploymentGroupName ?? '';
  try {
    const [newest] = await port.listDeployments(application, deploymentGroup, undefined, signal);
    if (!newest) return { application, deploymentGroup, note: undefined, deployment: undefined };
    const info = await port.readDeployment(newest, signal);
    const ecsTarget = await port.readTarget(newest, ecsTargetId(target.cluster, target.service), signal);
    const status = info.status ?? 'Unknown';
    const ongoing = isOngoingDeployment(status);
    const terminationWaitStarted = inTerminationWait(info, ecsTarget);
    return {
      application,
      deploymentGroup,
      note: undefined,
      deployment: {
        id: newest,
        status,
        deploymentConfig: info.deploymentConfigName,
        taskDefinitionArn: appSpecTaskDefinition(info),
        createdAt: info.createTime?.toISOString(),
        completedAt: info.completeTime?.toISOString(),
        lifecycle: (ecsTarget?.lifecycleEvents ?? []).map((e) => ({ name: e.lifecycleEventName ?? '-', status: e.status ?? 'Unknown' })),
        taskSets: taskSetsOf(ecsTarget),
        terminationWaitStarted,
        error: info.errorInformation?.message,
        rollbackDeploymentId: info.rollbackInfo?.rollbackDeploymentId,
        actions: ongoing ? [...(status === 'Ready' || terminationWaitStarted ? (['promote'] as const) : []), 'abort'] : [],
      },
    };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { application, deploymentGroup, note: `could not read the group's deployments: ${(err as Error).message}`, deployment: undefined };
  }
}
