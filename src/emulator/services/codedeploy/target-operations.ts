import type {
  BatchGetDeploymentTargetsInput, BatchGetDeploymentTargetsOutput, GetDeploymentTargetInput, GetDeploymentTargetOutput, ListDeploymentTargetsInput,
  ListDeploymentTargetsOutput, TargetStatus,
} from '@aws-sdk/client-codedeploy';
import type { Operation } from '../../service.js';
import type { TaskSetPlane } from '../ecs/task-set-plane.js';
import { errors } from './catalogue.js';
import { deploymentTarget, targetIdOf } from './deployment-targets.js';
import { existingDeployment, scopeOf } from './inputs.js';
import { targetStatus } from './lifecycle-events.js';
import type { CodeDeployScope, StoredDeployment } from './model.js';
import type { CodeDeployStore } from './store.js';

/** An ECS deployment's one target: the service, "<clustername>:<servicename>". */
export type TargetOperations = {
  ListDeploymentTargets: Operation<ListDeploymentTargetsInput, ListDeploymentTargetsOutput>;
  GetDeploymentTarget: Operation<GetDeploymentTargetInput, GetDeploymentTargetOutput>;
  BatchGetDeploymentTargets: Operation<BatchGetDeploymentTargetsInput, BatchGetDeploymentTargetsOutput>;
};

const TARGET_STATUSES: readonly TargetStatus[] = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'Skipped', 'Unknown', 'Ready'];
/** A cluster name and a service name, each 1–255 letters, digits, hyphens and underscores. */
const ECS_TARGET_ID = /^[A-Za-z0-9_-]{1,255}:[A-Za-z0-9_-]{1,255}$/;

/** A deployment whose targets can be read: one that exists and has started. */
function startedDeployment(scope: CodeDeployScope, id: unknown): StoredDeployment {
  const deployment = existingDeployment(scope, id);
  if (deployment.info.status === 'Created' || deployment.info.status === 'Queued') throw errors.deploymentNotStarted(deployment.info.deploymentId);
  return deployment;
}

function checkedTargetId(deployment: StoredDeployment, id: unknown): string {
  if (id === undefined || id === null || id === '') throw errors.targetIdRequired();
  if (typeof id !== 'string' || !ECS_TARGET_ID.test(id)) throw errors.invalidTargetId(String(id));
  if (id !== targetIdOf(deployment.plan)) throw errors.targetNotFound(id, deployment.info.deploymentId);
  return id;
}

/**
 * ListDeploymentTargets' targetFilters: TargetStatus keeps the target when
 * its status is listed. ServerInstanceLabel (Blue, Green) labels EC2
 * instances; an ECS target, which holds both task sets, carries no label, so
 * it matches no label filter.
 */
function matches(deployment: StoredDeployment, filters: Record<string, string[] | undefined>): boolean {
  let keep = true;
  for (const [name, values] of Object.entries(filters)) {
    if (values === undefined || values === null) continue;
    if (name === 'TargetStatus') {
      for (const v of values) if (!(TARGET_STATUSES as readonly string[]).includes(v)) throw errors.invalidTargetStatus(v);
      if (values.length > 0 && !values.includes(targetStatus(deployment.info.status, deployment.progress))) keep = false;
    } else if (name === 'ServerInstanceLabel') {
      for (const v of values) if (v !== 'Blue' && v !== 'Green') throw errors.invalidInstanceLabel(v);
      if (values.length > 0) keep = false;
    } else {
      throw errors.invalidTargetFilterName(name);
    }
  }
  return keep;
}

export function targetOperations(store: CodeDeployStore, taskSets: TaskSetPlane): TargetOperations {
  const view = (d: StoredDeployment) => deploymentTarget(d, taskSets.service(d.plan, d.plan.cluster, d.plan.service));
  return {
    ListDeploymentTargets(input, ctx) {
      const deployment = startedDeployment(scopeOf(store, ctx), input.deploymentId);
      // One target fits on one page: no token this emulator hands out can come back.
      if (input.nextToken !== undefined && input.nextToken !== null) throw errors.invalidNextToken();
      return { targetIds: matches(deployment, input.targetFilters ?? {}) ? [targetIdOf(deployment.plan)] : [] };
    },

    GetDeploymentTarget(input, ctx) {
      const deployment = startedDeployment(scopeOf(store, ctx), input.deploymentId);
      checkedTargetId(deployment, input.targetId);
      return { deploymentTarget: view(deployment) };
    },

    BatchGetDeploymentTargets(input, ctx) {
      const deployment = startedDeployment(scopeOf(store, ctx), input.deploymentId);
      const ids = input.targetIds;
      if (!Array.isArray(ids) || ids.length === 0) throw errors.targetIdRequired();
      if (ids.length > 1) throw errors.targetListSize();
      checkedTargetId(deployment, ids[0]);
      return { deploymentTargets: [view(deployment)] };
    },
  };
}
