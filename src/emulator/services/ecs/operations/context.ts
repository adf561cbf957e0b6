import type { Tag } from '@aws-sdk/client-ecs';
import type { Clock } from '../../../clock.js';
import type { RequestContext } from '../../../request-context.js';
import type { LoadBalancingPlane } from '../../elbv2/load-balancing-plane.js';
import type { FunctionPlane } from '../../lambda/function-plane.js';
import { clusterNameOf, serviceRefOf } from '../arns.js';
import { errors } from '../catalogue.js';
import type { EcsScopeState, StoredCluster, StoredService, StoredServiceDeployment, StoredTask } from '../model.js';
import { serviceKey, type EcsStore, type Scope } from '../store.js';

/** What the API needs from the scheduler. */
export interface SchedulerHandle {
  wake(): void;
  stopTask(scope: Scope, task: StoredTask, reason: string): void;
  /** ContinueServiceDeployment on a PAUSE hook. */
  continueHook(record: StoredServiceDeployment, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): 'ok' | 'unknown-hook' | 'not-waiting';
  /** StopServiceDeployment. */
  stopDeployment(scope: Scope, record: StoredServiceDeployment, stopType: 'ROLLBACK' | 'ABORT'): 'ok' | 'not-stoppable';
}

export interface EcsContext {
  store: EcsStore;
  clock: Clock;
  loadBalancing: LoadBalancingPlane;
  /** Lambda functions, for AWS_LAMBDA lifecycle hook targets. */
  functions: FunctionPlane;
  scheduler: SchedulerHandle;
}

export const scopeOf = (ctx: RequestContext): Scope => ({ account: ctx.account, region: ctx.region });

/** EXTERNAL and CODE_DEPLOY services run task sets instead of ECS deployments. */
export const runsOnTaskSets = (service: Pick<StoredService, 'deploymentController'>): boolean =>
  service.deploymentController.type === 'EXTERNAL' || service.deploymentController.type === 'CODE_DEPLOY';

export function activeCluster(state: EcsScopeState, ref: string | undefined): StoredCluster {
  const cluster = state.clusters.get(clusterNameOf(ref));
  if (!cluster || cluster.status !== 'ACTIVE') throw errors.clusterNotFound();
  return cluster;
}

export function findService(state: EcsScopeState, clusterRef: string | undefined, serviceRef: string): StoredService {
  const cluster = activeCluster(state, clusterRef);
  const { clusterName, serviceName } = serviceRefOf(serviceRef);
  if (clusterName !== undefined && clusterName !== cluster.clusterName) throw errors.serviceNotFound();
  const service = state.services.get(serviceKey(cluster.clusterName, serviceName));
  if (!service) throw errors.serviceNotFound();
  return service;
}

export function includesTags(include: unknown): boolean {
  if (include === undefined || include === null) return false;
  if (!Array.isArray(include) || !include.every((v) => typeof v === 'string')) throw errors.invalid('include must be a list of strings, such as ["TAGS"].');
  return include.includes('TAGS');
}

export function validTags(tags: unknown, field = 'tags'): Tag[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw errors.invalid(`${field} must be a list of tags.`);
  return tags.map((t: unknown) => {
    const tag = (t ?? {}) as { key?: unknown; value?: unknown };
    if (typeof tag.key !== 'string' || tag.key.length === 0 || tag.key.length > 128) {
      throw errors.invalid(`Tag keys must be between 1 and 128 characters in length.`);
    }
    if (tag.value !== undefined && typeof tag.value !== 'string') throw errors.invalid(`Tag values must be strings.`);
    return { key: tag.key, value: (tag.value as string | undefined) ?? '' };
  });
}

/** Tags merge by key; the last value wins. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const map = new Map(existing.map((t) => [t.key, t.value]));
  for (const t of added) map.set(t.key, t.value);
  return [...map].map(([key, value]) => ({ key, value }));
}
