import type { Clock } from '../../clock.js';
import { applicationOperations, type ApplicationOperations } from './application-operations.js';
import { configOperations, type ConfigOperations } from './config-operations.js';
import { groupOperations, type GroupOperations } from './group-operations.js';
import type { CodeDeployStore } from './store.js';

/**
 * Every CodeDeploy operation the emulator serves: the ECS control plane's
 * configuration. Any other operation, CreateDeployment among them for now,
 * gets UnsupportedOperation.
 */
export type CodeDeployOperations = ApplicationOperations & GroupOperations & ConfigOperations;

export function codeDeployOperations(store: CodeDeployStore, clock: Clock): CodeDeployOperations {
  return { ...applicationOperations(store, clock), ...groupOperations(store), ...configOperations(store, clock) };
}
