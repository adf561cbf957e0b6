import type { EcsContext } from './operations/context.js';
import { activeTaskDefinition } from './operations/services.js';
import { loadBalancers } from './operations/service-validation.js';
import { addTaskSet, drainTaskSet, makePrimary } from './operations/task-sets.js';
import type { StoredService } from './model.js';
import { serviceKey, type Scope } from './store.js';
import { taskSetView } from './views.js';

/**
 * What CodeDeploy drives in ECS for a CODE_DEPLOY service: the task set calls
 * AWS's CodeDeploy makes on the customer's behalf (CreateTaskSet,
 * DeleteTaskSet, UpdateServicePrimaryTaskSet), which the public ECS API
 * refuses for such a service.
 */
export interface TaskSetPlane {
  service(scope: Scope, cluster: string, service: string): CodeDeployServiceView | undefined;
  /** Throws the AwsError ECS would answer CreateTaskSet with. */
  createTaskSet(scope: Scope, cluster: string, service: string, spec: ReplacementSpec): string;
  deleteTaskSet(scope: Scope, cluster: string, service: string, taskSetId: string): void;
  setPrimary(scope: Scope, cluster: string, service: string, taskSetId: string): void;
}

export interface ReplacementSpec {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  targetGroupArn: string;
  externalId: string;
}

export interface TaskSetState {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  /** STEADY_STATE at its computed desired count. */
  steady: boolean;
  targetGroupArn: string | undefined;
  containerName: string | undefined;
  containerPort: number | undefined;
  /** DescribeTaskSets' computedDesiredCount, pendingCount and runningCount: CodeDeploy's deployment targets show them. */
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
}

export interface CodeDeployServiceView {
  serviceArn: string;
  active: boolean;
  controller: string;
  taskSets: TaskSetState[];
}

export function createTaskSetPlane(c: EcsContext): TaskSetPlane {
  const find = (scope: Scope, cluster: string, name: string): StoredService | undefined => {
    const service = c.store.state(scope).services.get(serviceKey(cluster, name));
    return service && service.deploymentController.type === 'CODE_DEPLOY' ? service : undefined;
  };
  return {
    service(scope, cluster, name) {
      const service = c.store.state(scope).services.get(serviceKey(cluster, name));
      if (!service) return undefined;
      const state = c.store.state(scope);
      return {
        serviceArn: service.serviceArn,
        active: service.status === 'ACTIVE',
        controller: service.deploymentController.type ?? 'ECS',
        taskSets: (service.taskSets ?? []).map((ts) => {
          const counts = taskSetView(state, service, ts, false);
          return {
            id: ts.id,
            status: ts.status,
            steady: ts.stabilityStatus === 'STEADY_STATE',
            targetGroupArn: ts.loadBalancers[0]?.targetGroupArn,
            containerName: ts.loadBalancers[0]?.containerName,
            containerPort: ts.loadBalancers[0]?.containerPort,
            desiredCount: counts.computedDesiredCount ?? 0,
            pendingCount: counts.pendingCount ?? 0,
            runningCount: counts.runningCount ?? 0,
          };
        }),
      };
    },
    createTaskSet(scope, cluster, name, spec) {
      const service = find(scope, cluster, name);
      if (!service) throw new Error(`service ${name} in cluster ${cluster} is not a CODE_DEPLOY service`);
      const state = c.store.state(scope);
      const definition = activeTaskDefinition(state, spec.taskDefinition);
      const lbs = loadBalancers(
        [{ targetGroupArn: spec.targetGroupArn, containerName: spec.containerName, containerPort: spec.containerPort }], definition, c.loadBalancing, scope,
      );
      const taskSet = addTaskSet(c, scope, service, {
        taskDefinition: definition.taskDefinitionArn ?? '',
        launchType: service.launchType,
        networkConfiguration: service.networkConfiguration,
        loadBalancers: lbs,
        scale: { value: 100, unit: 'PERCENT' },
        externalId: spec.externalId,
        tags: [],
        status: 'ACTIVE',
      });
      return taskSet.id;
    },
    deleteTaskSet(scope, cluster, name, taskSetId) {
      const taskSet = find(scope, cluster, name)?.taskSets?.find((ts) => ts.id === taskSetId);
      if (taskSet) drainTaskSet(c, taskSet);
    },
    setPrimary(scope, cluster, name, taskSetId) {
      const service = find(scope, cluster, name);
      const taskSet = service?.taskSets?.find((ts) => ts.id === taskSetId);
      if (service && taskSet) makePrimary(c, service, taskSet);
    },
  };
}
