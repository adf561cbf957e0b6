import { doing, RolloutError } from '../spec/errors.js';
import { readHistory } from './history.js';
import type { Ports } from './ports.js';
import { taskDefinitionLabel } from './revision.js';
import { chooseRollbackTarget } from './rollback-target.js';

export interface PruneRequest {
  cluster: string;
  service: string;
  /** How many of the newest ACTIVE revisions to keep besides the protected ones. */
  keep: number;
  dryRun: boolean;
  /** How many deployments back the history (and so the rollback target) is read. */
  historyLimit: number;
}

export interface PrunePlan {
  family: string;
  deregister: string[];
  kept: Array<{ taskDefinitionArn: string; why: string }>;
}

export interface PruneResult extends PrunePlan {
  dryRun: boolean;
  message: string;
}

/**
 * Which revisions to deregister, newest first in `revisions`. Pure. The
 * newest `keep` stay; so does every protected one (in use by a deployment,
 * or the revision rollback would go back to), whatever its age.
 */
export function planPrune(family: string, revisions: readonly string[], keep: number, protectedRevisions: ReadonlyMap<string, string>): PrunePlan {
  const plan: PrunePlan = { family, deregister: [], kept: [] };
  revisions.forEach((arn, index) => {
    const why = protectedRevisions.get(arn) ?? (index < keep ? `one of the newest ${keep}` : undefined);
    if (why) plan.kept.push({ taskDefinitionArn: arn, why });
    else plan.deregister.push(arn);
  });
  return plan;
}

/**
 * Deregisters old revisions of the service's task definition family (the
 * task definition it runs), keeping the newest N, every revision a
 * deployment of the service uses, and the current rollback target.
 */
export async function pruneRevisions(ports: Ports, request: PruneRequest, signal?: AbortSignal): Promise<PruneResult> {
  const { cluster, service: name } = request;
  const service = await doing(`describe service ${name} in cluster ${cluster}`, () => ports.ecs.findService(cluster, name, signal));
  if (!service?.taskDefinition) throw new RolloutError('InvalidArguments', `service ${name} does not exist in cluster ${cluster}; check --cluster and --service`);
  const current = await doing(`describe task definition ${taskDefinitionLabel(service.taskDefinition)}`, () => ports.ecs.readTaskDefinition(service.taskDefinition ?? '', signal));
  const family = current?.taskDefinition.family;
  if (!family) throw new RolloutError('InvalidArguments', `the task definition of service ${name} (${taskDefinitionLabel(service.taskDefinition)}) cannot be described`);

  const protectedRevisions = new Map<string, string>();
  for (const d of service.deployments ?? []) if (d.taskDefinition) protectedRevisions.set(d.taskDefinition, `in use by deployment ${d.id ?? ''} (${d.status ?? ''})`);
  const history = await readHistory(ports, { cluster, service: name }, request.historyLimit, signal);
  for (const e of history) {
    if (e.taskDefinitionArn && (e.outcome === 'in-progress') && !protectedRevisions.has(e.taskDefinitionArn)) protectedRevisions.set(e.taskDefinitionArn, `in use by a service deployment in progress (${e.status})`);
  }
  const target = chooseRollbackTarget(history, service.taskDefinition);
  if (target.ok && target.entry.taskDefinitionArn && !protectedRevisions.has(target.entry.taskDefinitionArn)) protectedRevisions.set(target.entry.taskDefinitionArn, 'what ecs-rollout rollback would go back to');

  const revisions = await doing(`list the revisions of task definition family ${family}`, () => ports.ecs.listRevisions(family, signal));
  const plan = planPrune(family, revisions, request.keep, protectedRevisions);
  if (!request.dryRun) {
    for (const arn of plan.deregister) await doing(`deregister ${taskDefinitionLabel(arn)}`, () => ports.ecs.deregisterRevision(arn, signal));
  }
  const count = plan.deregister.length;
  const message = count === 0
    ? `nothing to prune in family ${family}: ${plan.kept.length} ACTIVE revision${plan.kept.length === 1 ? '' : 's'}, all kept`
    : `${request.dryRun ? 'would deregister' : 'deregistered'} ${count} revision${count === 1 ? '' : 's'} of family ${family} (${plan.deregister.map(taskDefinitionLabel).join(', ')}); kept ${plan.kept.length}${request.dryRun ? '; nothing was changed' : ''}`;
  return { ...plan, dryRun: request.dryRun, message };
}
