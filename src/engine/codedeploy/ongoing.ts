import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { doing } from '../../spec/errors.js';
import type { CodeDeployPort } from '../ports.js';
import { ONGOING_DEPLOYMENT_STATUSES } from './observation.js';

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
