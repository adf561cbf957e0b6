import type { ServiceDeployment, ServiceDeploymentBrief, ServiceRevision, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { doing, RolloutError } from '../spec/errors.js';
import type { Ports } from './ports.js';
import { readReleaseTags } from './release-tags.js';
import { taskDefinitionLabel } from './revision.js';
import { readCodeDeployHistory } from './codedeploy/history.js';

/** How a service deployment ended, in the words the tool uses for its own outcomes. */
export type HistoryOutcome = 'succeeded' | 'rolled-back' | 'stopped' | 'in-progress';

/** One deployment of the service, newest first in a history. */
export interface HistoryEntry {
  serviceDeploymentArn: string;
  /** ECS's ServiceDeploymentStatus. */
  status: string;
  outcome: HistoryOutcome;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  durationMs: number | undefined;
  /** The task definition revision it deployed; undefined when ECS no longer describes its service revision. */
  taskDefinitionArn: string | undefined;
  /** family:revision. */
  revision: string;
  /** What the revision runs: the release tag's image, else each container's image. */
  image: string | undefined;
  commit: string | undefined;
  who: string | undefined;
  deploymentId: string | undefined;
  /** ROLLING, BLUE_GREEN, CANARY or LINEAR. */
  strategy: string | undefined;
  /** Why it did not succeed, as ECS says. */
  reason: string | undefined;
}

/** What a history is made of, as read from AWS. */
export interface HistorySources {
  briefs: readonly ServiceDeploymentBrief[];
  described: readonly ServiceDeployment[];
  revisions: readonly ServiceRevision[];
  taskDefinitions: ReadonlyMap<string, { taskDefinition: TaskDefinition; tags: Tag[] }>;
}

export function outcomeOf(status: string | undefined): HistoryOutcome {
  switch (status) {
    case 'SUCCESSFUL':
      return 'succeeded';
    case 'ROLLBACK_SUCCESSFUL':
    case 'ROLLBACK_FAILED':
      return 'rolled-back';
    case 'PENDING':
    case 'IN_PROGRESS':
    case 'STOP_REQUESTED':
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return 'in-progress';
    default:
      return 'stopped';
  }
}

/** The entries, newest first, from what AWS showed. Pure. */
export function assembleHistory(sources: HistorySources): HistoryEntry[] {
  const described = new Map(sources.described.map((d) => [d.serviceDeploymentArn ?? '', d]));
  const revisions = new Map(sources.revisions.map((r) => [r.serviceRevisionArn ?? '', r]));
  return sources.briefs.map((brief) => {
    const arn = brief.serviceDeploymentArn ?? '';
    const detail = described.get(arn);
    const revision = revisions.get(brief.targetServiceRevisionArn ?? detail?.targetServiceRevision?.arn ?? '');
    const taskDefinitionArn = revision?.taskDefinition;
    const status = brief.status ?? detail?.status ?? 'UNKNOWN';
    return {
      serviceDeploymentArn: arn,
      status,
      outcome: outcomeOf(status),
      ...releaseFields(
        taskDefinitionArn, taskDefinitionArn ? sources.taskDefinitions.get(taskDefinitionArn) : undefined,
        brief.startedAt ?? detail?.startedAt ?? brief.createdAt, brief.finishedAt ?? detail?.finishedAt ?? detail?.stoppedAt,
      ),
      strategy: detail?.deploymentConfiguration?.strategy,
      reason: status === 'SUCCESSFUL' ? undefined : detail?.rollback?.reason ?? brief.statusReason ?? detail?.statusReason,
    };
  });
}

/** What a history entry says of the revision deployed (from its release tags, else its images) and of the deployment's times. Pure. */
export function releaseFields(
  taskDefinitionArn: string | undefined, definition: { taskDefinition: TaskDefinition; tags: Tag[] } | undefined, started: Date | undefined, finished: Date | undefined,
): Pick<HistoryEntry, 'startedAt' | 'finishedAt' | 'durationMs' | 'taskDefinitionArn' | 'revision' | 'image' | 'commit' | 'who' | 'deploymentId'> {
  const release = readReleaseTags(definition?.tags ?? []);
  const containers = definition?.taskDefinition.containerDefinitions ?? [];
  const images = containers.map((c) => (containers.length === 1 ? c.image : `${c.name}=${c.image}`));
  return {
    startedAt: started?.toISOString(),
    finishedAt: finished?.toISOString(),
    durationMs: started && finished ? finished.getTime() - started.getTime() : undefined,
    taskDefinitionArn,
    revision: taskDefinitionArn ? taskDefinitionLabel(taskDefinitionArn) : '(unknown revision)',
    image: release.image ?? (images.length ? images.join(', ') : undefined),
    commit: release.commit,
    who: release.who,
    deploymentId: release.deploymentId,
  };
}

/**
 * The service's deployments, newest first, at most `limit`: ListServiceDeployments,
 * DescribeServiceDeployments and DescribeServiceRevisions (20 at a time), and each
 * revision's task definition with its tags (once per revision).
 */
export async function readHistory(
  ports: Ports, target: { cluster: string; service: string; codeDeploy?: { application?: string | undefined; deploymentGroup?: string | undefined } | undefined }, limit: number, signal?: AbortSignal,
): Promise<HistoryEntry[]> {
  const { cluster, service } = target;
  const found = await doing(`describe service ${service} in cluster ${cluster}`, () => ports.ecs.findService(cluster, service, signal));
  if (!found) throw new RolloutError('InvalidArguments', `service ${service} does not exist in cluster ${cluster}; check --cluster and --service`);
  // A CODE_DEPLOY service's deployments are CodeDeploy's.
  if (found.deploymentController?.type === 'CODE_DEPLOY' && ports.codeDeploy) return readCodeDeployHistory(ports, ports.codeDeploy, target, limit, target.codeDeploy, signal);
  const briefs = await doing(`list the service deployments of service ${service}`, () => ports.ecs.listServiceDeployments(cluster, service, signal, limit));
  if (briefs === undefined) throw new RolloutError('AwsRequestFailed', `the endpoint does not offer ListServiceDeployments; history reads the service's deployments from it`);
  const arns = briefs.flatMap((b) => (b.serviceDeploymentArn ? [b.serviceDeploymentArn] : []));
  const described = (await doing('describe the service deployments', () => ports.ecs.readServiceDeployments(arns, signal))) ?? [];
  const revisionArns = [...new Set(briefs.map((b) => b.targetServiceRevisionArn).filter((a): a is string => a !== undefined))];
  const revisions = (await doing('describe the service revisions', () => ports.ecs.readServiceRevisions(revisionArns, signal))) ?? [];
  const taskDefinitions = new Map<string, { taskDefinition: TaskDefinition; tags: Tag[] }>();
  for (const arn of new Set(revisions.map((r) => r.taskDefinition).filter((a): a is string => a !== undefined))) {
    const definition = await doing(`describe task definition ${taskDefinitionLabel(arn)}`, () => ports.ecs.readTaskDefinition(arn, signal));
    if (definition) taskDefinitions.set(arn, definition);
  }
  return assembleHistory({ briefs, described, revisions, taskDefinitions });
}
