import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { doing } from '../../spec/errors.js';
import type { Clock } from '../clock.js';
import type { CodeDeployPort } from '../ports.js';
import { isOngoingDeployment, ONGOING_DEPLOYMENT_STATUSES } from './observation.js';

/**
 * The group's deployments that have not ended, described, newest first: the
 * one in progress (a deployment someone started) and CodeDeploy's own
 * rollback deployment, if one runs (creator codeDeployRollback), kept apart
 * so that nobody stops a rollback thinking it is the release.
 */
export async function ongoingDeployments(
  port: CodeDeployPort, application: string, group: string, signal?: AbortSignal,
): Promise<{ release: DeploymentInfo | undefined; rollback: DeploymentInfo | undefined }> {
  const ids = await doing(`list the deployments of CodeDeploy deployment group ${group}`, () => port.listDeployments(application, group, ONGOING_DEPLOYMENT_STATUSES, signal));
  const infos: DeploymentInfo[] = [];
  for (const id of ids) infos.push(await doing(`read CodeDeploy deployment ${id}`, () => port.readDeployment(id, signal)));
  // ListDeployments promises no order: newest first by createTime.
  infos.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
  return { release: infos.find((d) => d.creator !== 'codeDeployRollback'), rollback: infos.find((d) => d.creator === 'codeDeployRollback') };
}

/** How the deployment is polled: every `pollIntervalMs` until `deadline` (epoch ms on `clock`). */
export interface Polling {
  clock: Clock;
  pollIntervalMs: number;
  deadline: number;
  signal: AbortSignal | undefined;
}

/** How many more looks an ended deployment gets to name its rollback deployment before it is taken as not rolled back. */
export const ROLLBACK_ID_LOOKS = 3;

/** Polls a deployment until it ends; the last look, and whether it had ended before the deadline. */
export async function untilEnded(port: CodeDeployPort, deploymentId: string, polling: Polling): Promise<{ info: DeploymentInfo; ended: boolean }> {
  for (;;) {
    const info = await doing(`read CodeDeploy deployment ${deploymentId}`, () => port.readDeployment(deploymentId, polling.signal));
    if (!isOngoingDeployment(info.status)) return { info, ended: true };
    const remaining = polling.deadline - polling.clock.now();
    if (remaining <= 0) return { info, ended: false };
    await polling.clock.sleep(Math.min(polling.pollIntervalMs, remaining), polling.signal);
  }
}

/**
 * An ended deployment may name its rollback deployment a moment after it
 * shows Failed or Stopped (and a stop with rollback rolls back whatever the
 * group's own setting says): up to ROLLBACK_ID_LOOKS more looks, one poll
 * apart, until it does; the last look.
 */
export async function namingRollback(port: CodeDeployPort, ended: DeploymentInfo, polling: Polling): Promise<DeploymentInfo> {
  let info = ended;
  for (let looks = ROLLBACK_ID_LOOKS; looks > 0 && info.rollbackInfo?.rollbackDeploymentId === undefined; looks -= 1) {
    await polling.clock.sleep(polling.pollIntervalMs, polling.signal);
    const id = info.deploymentId ?? '';
    info = await doing(`read CodeDeploy deployment ${id}`, () => port.readDeployment(id, polling.signal));
  }
  return info;
}
