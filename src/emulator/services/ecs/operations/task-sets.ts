import type {
  CreateTaskSetRequest, CreateTaskSetResponse, DeleteTaskSetRequest, DeleteTaskSetResponse, DescribeTaskSetsRequest,
  DescribeTaskSetsResponse, Failure, Scale, UpdateServicePrimaryTaskSetRequest, UpdateServicePrimaryTaskSetResponse,
  UpdateTaskSetRequest, UpdateTaskSetResponse,
} from '@aws-sdk/client-ecs';
import { fields } from '../../../input-validation.js';
import type { Operation } from '../../../service.js';
import { newDeploymentId, taskSetArn, taskSetIdOf } from '../arns.js';
import { errors } from '../catalogue.js';
import type { StoredService, StoredTaskSet } from '../model.js';
import { taskSetView } from '../views.js';
import { taskSetDesiredCount } from '../../../runtime/scheduler/task-set-scheduler.js';
import { findService, includesTags, runsOnTaskSets, scopeOf, validTags, type EcsContext } from './context.js';
import type { Scope } from '../store.js';
import { activeTaskDefinition } from './services.js';
import { launchType, loadBalancers } from './service-validation.js';

/**
 * Task sets of services with the EXTERNAL deployment controller (CreateTaskSet
 * and friends). The scheduler runs each task set's tasks; see
 * runtime/scheduler/task-set-scheduler.ts.
 */

export type TaskSetOps = {
  CreateTaskSet: Operation<CreateTaskSetRequest, CreateTaskSetResponse>;
  DescribeTaskSets: Operation<DescribeTaskSetsRequest, DescribeTaskSetsResponse>;
  UpdateTaskSet: Operation<UpdateTaskSetRequest, UpdateTaskSetResponse>;
  DeleteTaskSet: Operation<DeleteTaskSetRequest, DeleteTaskSetResponse>;
  UpdateServicePrimaryTaskSet: Operation<UpdateServicePrimaryTaskSetRequest, UpdateServicePrimaryTaskSetResponse>;
};

/** ECS's quota of task sets per service; the message is the one ECS returns. */
const MAX_TASK_SETS = 5;

const NOT_EMULATED = (what: string): string =>
  `The ecs-rollout emulator does not emulate ${what} for task sets (see docs/emulator-fidelity.md).`;

/** ECS's wording for a task set operation on a service whose deployment controller is not EXTERNAL. */
function externalService(service: StoredService): StoredTaskSet[] {
  if (service.deploymentController.type !== 'EXTERNAL') {
    throw errors.invalid('Amazon ECS only supports task set management on services configured to use external deployment controllers.');
  }
  service.taskSets ??= [];
  return service.taskSets;
}

/** DescribeTaskSets also shows the task sets CodeDeploy manages for a CODE_DEPLOY service. */
function describableTaskSets(service: StoredService): StoredTaskSet[] {
  if (!runsOnTaskSets(service)) {
    throw errors.invalid('Amazon ECS only supports task set management on services configured to use external deployment controllers.');
  }
  service.taskSets ??= [];
  return service.taskSets;
}

function findTaskSet(service: StoredService, ref: string): StoredTaskSet {
  const id = taskSetIdOf(ref);
  const found = externalService(service).find((ts) => ts.id === id);
  if (!found) throw errors.taskSetNotFound();
  return found;
}

/** scale: a percentage from 0 to 100; ECS's default when absent is not documented, the emulator takes 100%. */
function scaleOf(value: Scale | undefined): Required<Scale> {
  if (value === undefined || value === null) return { value: 100, unit: 'PERCENT' };
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalid('scale must be an object with value and unit.');
  const unit = value.unit ?? 'PERCENT';
  if (unit !== 'PERCENT') throw errors.invalid('scale.unit must be PERCENT.');
  const percent = value.value;
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw errors.invalid('scale.value must be a number from 0 to 100.');
  }
  return { value: percent, unit };
}

export function taskSetOperations(c: EcsContext): TaskSetOps {
  return {
    CreateTaskSet(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const service = findService(state, f.string('cluster'), f.string('service'));
      if (service.status !== 'ACTIVE') throw errors.serviceNotActive();
      const taskSets = externalService(service);
      const definition = activeTaskDefinition(state, f.string('taskDefinition'));
      if ((input.serviceRegistries ?? []).length > 0) throw errors.invalid(NOT_EMULATED('service discovery registries'));
      if ((input.capacityProviderStrategy ?? []).length > 0) throw errors.invalid(NOT_EMULATED('capacity provider strategies'));
      const lbs = loadBalancers(input.loadBalancers, definition, c.loadBalancing, scope);
      if (lbs.length > 1) throw errors.invalid('A task set can have at most one load balancer.');
      if (lbs.some((lb) => lb.advancedConfiguration)) throw errors.invalid('advancedConfiguration is for the ECS deployment controller; a task set takes targetGroupArn, containerName and containerPort.');
      const scale = scaleOf(input.scale);
      const externalId = f.optionalString('externalId');
      const tags = validTags(input.tags);
      if (taskSets.length >= MAX_TASK_SETS) {
        throw errors.invalid(`${taskSets.length} deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.`);
      }
      const taskSet = addTaskSet(c, scope, service, {
        taskDefinition: definition.taskDefinitionArn ?? '',
        launchType: input.launchType === undefined ? service.launchType : launchType(input.launchType),
        networkConfiguration: input.networkConfiguration ?? undefined,
        loadBalancers: lbs,
        scale,
        externalId,
        tags,
        status: 'ACTIVE',
      });
      return { taskSet: taskSetView(state, service, taskSet, true) };
    },

    DescribeTaskSets(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const service = findService(state, f.string('cluster'), f.string('service'));
      const taskSets = describableTaskSets(service);
      const withTags = includesTags(input.include);
      const refs = f.optionalStringList('taskSets');
      if (!refs || refs.length === 0) return { taskSets: taskSets.map((ts) => taskSetView(state, service, ts, withTags)), failures: [] };
      const failures: Failure[] = [];
      const found = refs.flatMap((ref) => {
        const taskSet = taskSets.find((ts) => ts.id === taskSetIdOf(ref));
        if (!taskSet) {
          failures.push({ arn: ref, reason: 'MISSING' });
          return [];
        }
        return [taskSetView(state, service, taskSet, withTags)];
      });
      return { taskSets: found, failures };
    },

    UpdateTaskSet(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const service = findService(state, f.string('cluster'), f.string('service'));
      const taskSet = findTaskSet(service, f.string('taskSet'));
      if (input.scale === undefined || input.scale === null) throw errors.invalid('scale should not be null or empty.');
      const scale = scaleOf(input.scale);
      if (taskSet.status === 'DRAINING') throw errors.invalid(`The task set ${taskSet.id} is DRAINING and cannot be updated.`);
      const now = new Date(c.clock.now());
      taskSet.scale = scale;
      taskSet.updatedAt = now;
      c.scheduler.wake();
      return { taskSet: taskSetView(state, service, taskSet, false) };
    },

    DeleteTaskSet(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const service = findService(state, f.string('cluster'), f.string('service'));
      const taskSet = findTaskSet(service, f.string('taskSet'));
      const force = f.optionalBoolean('force') ?? false;
      if (taskSet.status !== 'DRAINING' && !force && taskSetDesiredCount(service, taskSet) > 0) {
        throw errors.invalid(`The task set ${taskSet.id} cannot be deleted while it is scaled above 0; scale it to 0 or pass force.`);
      }
      drainTaskSet(c, taskSet);
      return { taskSet: taskSetView(state, service, taskSet, false) };
    },

    UpdateServicePrimaryTaskSet(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const service = findService(state, f.string('cluster'), f.string('service'));
      if (service.status !== 'ACTIVE') throw errors.serviceNotActive();
      const taskSet = findTaskSet(service, f.string('primaryTaskSet'));
      if (taskSet.status === 'DRAINING') throw errors.invalid(`The task set ${taskSet.id} is DRAINING and cannot become the primary task set.`);
      makePrimary(c, service, taskSet);
      return { taskSet: taskSetView(state, service, taskSet, false) };
    },
  };
}

export type NewTaskSet = Omit<StoredTaskSet, 'id' | 'taskSetArn' | 'stabilityStatus' | 'stabilityStatusAt' | 'createdAt' | 'updatedAt'>;

/** Adds a task set to a service that runs on task sets; the scheduler starts its tasks. */
export function addTaskSet(c: Pick<EcsContext, 'clock' | 'scheduler'>, scope: Scope, service: StoredService, fields: NewTaskSet): StoredTaskSet {
  const now = new Date(c.clock.now());
  const id = newDeploymentId();
  const taskSet: StoredTaskSet = {
    ...fields,
    id,
    taskSetArn: taskSetArn(scope, service.clusterName, service.serviceName, id),
    stabilityStatus: 'STABILIZING',
    stabilityStatusAt: now,
    createdAt: now,
    updatedAt: now,
  };
  service.taskSets = [...(service.taskSets ?? []), taskSet];
  c.scheduler.wake();
  return taskSet;
}

/** DeleteTaskSet's effect: the task set drains, and goes once its tasks have stopped. */
export function drainTaskSet(c: Pick<EcsContext, 'clock' | 'scheduler'>, taskSet: StoredTaskSet): void {
  if (taskSet.status !== 'DRAINING') {
    taskSet.status = 'DRAINING';
    taskSet.updatedAt = new Date(c.clock.now());
  }
  c.scheduler.wake();
}

/** UpdateServicePrimaryTaskSet's effect. */
export function makePrimary(c: Pick<EcsContext, 'clock' | 'scheduler'>, service: StoredService, taskSet: StoredTaskSet): void {
  const now = new Date(c.clock.now());
  for (const other of service.taskSets ?? []) {
    if (other !== taskSet && other.status === 'PRIMARY') {
      other.status = 'ACTIVE';
      other.updatedAt = now;
    }
  }
  if (taskSet.status !== 'PRIMARY') {
    taskSet.status = 'PRIMARY';
    taskSet.updatedAt = now;
  }
  // ECS: DescribeServices shows the primary task set's parameters as the service's.
  service.taskDefinition = taskSet.taskDefinition;
  service.launchType = taskSet.launchType;
  service.loadBalancers = taskSet.loadBalancers;
  service.networkConfiguration = taskSet.networkConfiguration;
  c.scheduler.wake();
}
