import type { Clock } from '../../clock.js';
import type { TaskSetPlane } from '../ecs/task-set-plane.js';
import { applicationOperations, type ApplicationOperations } from './application-operations.js';
import { configOperations, type ConfigOperations } from './config-operations.js';
import { controlOperations, type ControlDeps, type ControlOperations } from './control-operations.js';
import { deploymentOperations, type DeploymentDeps, type DeploymentOperations } from './deployment-operations.js';
import { groupOperations, type GroupOperations } from './group-operations.js';
import type { CodeDeployStore } from './store.js';
import { targetOperations, type TargetOperations } from './target-operations.js';

/**
 * Every CodeDeploy operation the emulator serves: the ECS control plane's
 * configuration, ECS blue/green deployments, their targets, and the calls that
 * steer them. Any other operation gets UnsupportedOperation.
 */
export type CodeDeployOperations = ApplicationOperations & GroupOperations & ConfigOperations & DeploymentOperations & ControlOperations & TargetOperations;

export interface CodeDeployOperationDeps {
  clock: Clock;
  taskSets: TaskSetPlane;
  deployments: DeploymentDeps;
  control: ControlDeps;
}

export function codeDeployOperations(store: CodeDeployStore, deps: CodeDeployOperationDeps): CodeDeployOperations {
  return {
    ...applicationOperations(store, deps.clock),
    ...groupOperations(store),
    ...configOperations(store, deps.clock),
    ...deploymentOperations(store, deps.deployments),
    ...controlOperations(store, deps.control),
    ...targetOperations(store, deps.taskSets),
  };
}
