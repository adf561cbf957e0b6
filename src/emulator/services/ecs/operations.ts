import { clusterOperations, type ClusterOps } from './operations/clusters.js';
import type { EcsContext } from './operations/context.js';
import { serviceDeploymentOperations, type ServiceDeploymentOps } from './operations/service-deployments.js';
import { serviceOperations, type ServiceOps } from './operations/services.js';
import { tagOperations, type TagOps } from './operations/tags.js';
import { taskSetOperations, type TaskSetOps } from './operations/task-sets.js';
import { taskDefinitionOperations, type TaskDefinitionOps } from './operations/task-definitions.js';
import { taskOperations, type TaskOps } from './operations/tasks.js';

/** Every ECS operation the emulator serves, keyed by AWS operation name. */
export type EcsOperations = ClusterOps & TaskDefinitionOps & ServiceOps & TaskOps & ServiceDeploymentOps & TaskSetOps & TagOps;

export function ecsOperations(c: EcsContext): EcsOperations {
  return {
    ...clusterOperations(c),
    ...taskDefinitionOperations(c),
    ...serviceOperations(c),
    ...taskOperations(c),
    ...serviceDeploymentOperations(c),
    ...taskSetOperations(c),
    ...tagOperations(c),
  };
}
