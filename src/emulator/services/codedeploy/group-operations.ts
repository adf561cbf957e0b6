import { randomUUID } from 'node:crypto';
import type {
  BatchGetDeploymentGroupsInput, BatchGetDeploymentGroupsOutput, CreateDeploymentGroupInput, CreateDeploymentGroupOutput,
  DeleteDeploymentGroupInput, DeleteDeploymentGroupOutput, GetDeploymentGroupInput, GetDeploymentGroupOutput, ListDeploymentGroupsInput,
  ListDeploymentGroupsOutput, UpdateDeploymentGroupInput, UpdateDeploymentGroupOutput,
} from '@aws-sdk/client-codedeploy';
import type { Operation } from '../../service.js';
import { errors } from './catalogue.js';
import { PREDEFINED_CONFIGS } from './deployment-configs.js';
import { ecsGroupSettings, type EcsGroupSettings, type GroupSettingsInput } from './deployment-group-settings.js';
import { applicationName, existingApplication, groupName, page, scopeOf } from './inputs.js';
import type { CodeDeployScope, StoredDeploymentGroup } from './model.js';
import type { CodeDeployStore } from './store.js';

export type GroupOperations = {
  CreateDeploymentGroup: Operation<CreateDeploymentGroupInput, CreateDeploymentGroupOutput>;
  GetDeploymentGroup: Operation<GetDeploymentGroupInput, GetDeploymentGroupOutput>;
  BatchGetDeploymentGroups: Operation<BatchGetDeploymentGroupsInput, BatchGetDeploymentGroupsOutput>;
  ListDeploymentGroups: Operation<ListDeploymentGroupsInput, ListDeploymentGroupsOutput>;
  UpdateDeploymentGroup: Operation<UpdateDeploymentGroupInput, UpdateDeploymentGroupOutput>;
  DeleteDeploymentGroup: Operation<DeleteDeploymentGroupInput, DeleteDeploymentGroupOutput>;
};

const BATCH_MAX = 100;

/** The members of an ECS group that are always shown, empty, because they belong to other compute platforms. */
const emptyServerMembers = (): Pick<
  StoredDeploymentGroup,
  'ec2TagFilters' | 'onPremisesInstanceTagFilters' | 'autoScalingGroups' | 'triggerConfigurations' | 'outdatedInstancesStrategy' | 'terminationHookEnabled'
> => ({
  ec2TagFilters: [],
  onPremisesInstanceTagFilters: [],
  autoScalingGroups: [],
  triggerConfigurations: [],
  outdatedInstancesStrategy: 'UPDATE',
  terminationHookEnabled: false,
});

function groupsOf(scope: CodeDeployScope, application: string): Map<string, StoredDeploymentGroup> {
  let groups = scope.groups.get(application);
  if (!groups) scope.groups.set(application, (groups = new Map()));
  return groups;
}

function existingGroup(scope: CodeDeployScope, application: string, name: string): StoredDeploymentGroup {
  const group = scope.groups.get(application)?.get(name);
  if (!group) throw errors.groupNotFound(name);
  return group;
}

/** The store-dependent rules: the config exists, and the ECS service belongs to no other group. */
function checkAgainstScope(scope: CodeDeployScope, settings: EcsGroupSettings, self: StoredDeploymentGroup | undefined): void {
  if (!PREDEFINED_CONFIGS.has(settings.deploymentConfigName) && !scope.configs.has(settings.deploymentConfigName)) {
    throw errors.configNotFound(settings.deploymentConfigName);
  }
  const [{ clusterName, serviceName }] = settings.ecsServices;
  for (const groups of scope.groups.values()) {
    for (const other of groups.values()) {
      if (other === self) continue;
      const mapped = other.ecsServices?.some((s) => s.clusterName === clusterName && s.serviceName === serviceName);
      if (mapped) throw errors.ecsServiceMapped(clusterName, serviceName, other.deploymentGroupName);
    }
  }
}

/** The settings an update leaves in place: every member the request does not name. */
function currentSettings(group: StoredDeploymentGroup): GroupSettingsInput {
  const { serviceRoleArn, deploymentConfigName, deploymentStyle, ecsServices, loadBalancerInfo, blueGreenDeploymentConfiguration, autoRollbackConfiguration, alarmConfiguration } = group;
  return { serviceRoleArn, deploymentConfigName, deploymentStyle, ecsServices, loadBalancerInfo, blueGreenDeploymentConfiguration, autoRollbackConfiguration, alarmConfiguration };
}

const given = <T extends object>(input: T): Partial<T> =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;

export function groupOperations(store: CodeDeployStore): GroupOperations {
  return {
    CreateDeploymentGroup(input, ctx) {
      const scope = scopeOf(store, ctx);
      const app = existingApplication(scope, applicationName(input.applicationName));
      const name = groupName(input.deploymentGroupName);
      const groups = groupsOf(scope, app.info.applicationName);
      if (groups.has(name)) throw errors.groupExists(name, app.info.applicationName);
      const settings = ecsGroupSettings(input);
      checkAgainstScope(scope, settings, undefined);
      const deploymentGroupId = randomUUID();
      groups.set(name, {
        applicationName: app.info.applicationName,
        deploymentGroupId,
        deploymentGroupName: name,
        ...settings,
        ...emptyServerMembers(),
        computePlatform: 'ECS',
      });
      return { deploymentGroupId };
    },

    GetDeploymentGroup(input, ctx) {
      const scope = scopeOf(store, ctx);
      const app = existingApplication(scope, applicationName(input.applicationName));
      return { deploymentGroupInfo: existingGroup(scope, app.info.applicationName, groupName(input.deploymentGroupName)) };
    },

    BatchGetDeploymentGroups(input, ctx) {
      const scope = scopeOf(store, ctx);
      const app = existingApplication(scope, applicationName(input.applicationName));
      const names = input.deploymentGroupNames;
      if (!Array.isArray(names) || names.length === 0) throw errors.groupNameRequired();
      if (names.length > BATCH_MAX) throw errors.batchLimit();
      const groups = scope.groups.get(app.info.applicationName);
      const found = names.map((n) => groups?.get(groupName(n))).filter((g): g is StoredDeploymentGroup => g !== undefined);
      const missing = names.filter((n) => !groups?.has(n));
      return {
        deploymentGroupsInfo: found,
        ...(missing.length > 0 ? { errorMessage: `Deployment groups not found for application ${app.info.applicationName}: ${missing.join(', ')}` } : {}),
      };
    },

    ListDeploymentGroups(input, ctx) {
      const scope = scopeOf(store, ctx);
      const app = existingApplication(scope, applicationName(input.applicationName));
      const { items, nextToken } = page([...(scope.groups.get(app.info.applicationName)?.keys() ?? [])], input.nextToken);
      return { applicationName: app.info.applicationName, deploymentGroups: items, ...(nextToken ? { nextToken } : {}) };
    },

    UpdateDeploymentGroup(input, ctx) {
      const scope = scopeOf(store, ctx);
      const app = existingApplication(scope, applicationName(input.applicationName));
      const groups = groupsOf(scope, app.info.applicationName);
      const group = existingGroup(scope, app.info.applicationName, groupName(input.currentDeploymentGroupName));
      const rename = input.newDeploymentGroupName === undefined || input.newDeploymentGroupName === null ? undefined : groupName(input.newDeploymentGroupName);
      if (rename !== undefined && rename !== group.deploymentGroupName && groups.has(rename)) throw errors.groupExists(rename, app.info.applicationName);
      const { applicationName: _a, currentDeploymentGroupName: _c, newDeploymentGroupName: _n, ...changes } = input;
      const settings = ecsGroupSettings({ ...currentSettings(group), ...given(changes) });
      checkAgainstScope(scope, settings, group);
      Object.assign(group, settings);
      if (rename !== undefined && rename !== group.deploymentGroupName) {
        groups.delete(group.deploymentGroupName);
        group.deploymentGroupName = rename;
        groups.set(rename, group);
      }
      return { hooksNotCleanedUp: [] };
    },

    DeleteDeploymentGroup(input, ctx) {
      const scope = scopeOf(store, ctx);
      const app = existingApplication(scope, applicationName(input.applicationName));
      // The API reference lists no not-found error for the group: deleting what is gone succeeds.
      scope.groups.get(app.info.applicationName)?.delete(groupName(input.deploymentGroupName));
      return { hooksNotCleanedUp: [] };
    },
  };
}
