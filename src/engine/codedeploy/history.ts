import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { parse as parseYaml } from 'yaml';
import { doing } from '../../spec/errors.js';
import { releaseFields, type HistoryEntry, type HistoryOutcome } from '../history.js';
import type { CodeDeployPort, Ports } from '../ports.js';
import { taskDefinitionLabel } from '../revision.js';
import { isOngoingDeployment } from './observation.js';
import { resolveGroup } from './prepare.js';

/** How a CodeDeploy deployment ended, in the history's words. */
export function codeDeployOutcome(info: DeploymentInfo): HistoryOutcome {
  const status = info.status ?? 'Unknown';
  if (status === 'Succeeded') return 'succeeded';
  if (isOngoingDeployment(status)) return 'in-progress';
  return info.rollbackInfo?.rollbackDeploymentId !== undefined ? 'rolled-back' : 'stopped';
}

/** The task definition an ECS AppSpec names; undefined when the revision is not AppSpec content the tool can read. */
export function appSpecTaskDefinition(info: DeploymentInfo): string | undefined {
  const text = info.revision?.appSpecContent?.content ?? info.revision?.string?.content;
  if (!text) return undefined;
  try {
    const doc = parseYaml(text) as { Resources?: Array<Record<string, { Properties?: { TaskDefinition?: unknown } }>> };
    const first = doc.Resources?.[0];
    const definition = first ? Object.values(first)[0]?.Properties?.TaskDefinition : undefined;
    return typeof definition === 'string' ? definition : undefined;
  } catch {
    return undefined;
  }
}

/** History entries of CodeDeploy deployments, newest first. Pure. */
export function assembleCodeDeployHistory(infos: readonly DeploymentInfo[], taskDefinitions: ReadonlyMap<string, { taskDefinition: TaskDefinition; tags: Tag[] }>): HistoryEntry[] {
  return infos.map((info) => {
    const taskDefinitionArn = appSpecTaskDefinition(info);
    const fields = releaseFields(taskDefinitionArn, taskDefinitionArn ? taskDefinitions.get(taskDefinitionArn) : undefined, info.startTime ?? info.createTime, info.completeTime);
    const outcome = codeDeployOutcome(info);
    return {
      serviceDeploymentArn: info.deploymentId ?? '',
      status: info.status ?? 'Unknown',
      outcome,
      ...fields,
      // A rollback deployment carries an earlier revision, whose tags name who registered it, not who rolled back.
      who: info.creator === 'codeDeployRollback' ? 'CodeDeploy (rollback)' : fields.who,
      strategy: `CodeDeploy ${info.deploymentConfigName ?? ''}`.trim(),
      reason: outcome === 'succeeded' ? undefined : info.errorInformation?.message,
    };
  });
}

/**
 * The deployments of the service's CodeDeploy deployment group, newest first,
 * at most `limit`, each with the task definition its AppSpec names (and that
 * revision's release tags).
 */
export async function readCodeDeployHistory(
  ports: Ports, port: CodeDeployPort, target: { cluster: string; service: string }, limit: number,
  named: { application?: string | undefined; deploymentGroup?: string | undefined } | undefined, signal?: AbortSignal,
): Promise<HistoryEntry[]> {
  const { application, group } = await resolveGroup(port, target.cluster, target.service, named, signal);
  const name = group.deploymentGroupName ?? '';
  const ids = (await doing(`list the deployments of CodeDeploy deployment group ${name}`, () => port.listDeployments(application, name, undefined, signal))).slice(0, limit);
  const infos: DeploymentInfo[] = [];
  for (const id of ids) infos.push(await doing(`read CodeDeploy deployment ${id}`, () => port.readDeployment(id, signal)));
  // ListDeployments promises no order: newest first by createTime.
  infos.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
  const taskDefinitions = new Map<string, { taskDefinition: TaskDefinition; tags: Tag[] }>();
  for (const arn of new Set(infos.map(appSpecTaskDefinition).filter((a): a is string => a !== undefined))) {
    const definition = await doing(`describe task definition ${taskDefinitionLabel(arn)}`, () => ports.ecs.readTaskDefinition(arn, signal));
    if (definition) taskDefinitions.set(arn, definition);
  }
  return assembleCodeDeployHistory(infos, taskDefinitions);
}
