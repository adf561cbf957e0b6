import type { Clock } from '../../clock.js';
import { applicationOperations, type ApplicationOperations } from './application-operations.js';
import { configOperations, type ConfigOperations } from './config-operations.js';
import { deploymentOperations, type DeploymentDeps, type DeploymentOperations } from './deployment-operations.js';
import { groupOperations, type GroupOperations } from './group-operations.js';
import type { CodeDeployStore } from './store.js';

/**
 * Every CodeDeploy operation the emulator serves: the ECS control plane's
 * configuration, and ECS blue/green deployments. Any other operation gets
 * UnsupportedOperation.
 */
export type CodeDeployOperations = ApplicationOperations & GroupOperations & ConfigOperations & DeploymentOperations;

export function codeDeployOperations(store: CodeDeployStore, clock: Clock, deployments: DeploymentDeps): CodeDeployOperations {
  return {
    ...applicationOperations(store, clock),
    ...groupOperations(store),
    ...configOperations(store, clock),
    ...deploymentOperations(store, deployments),
  };
}
