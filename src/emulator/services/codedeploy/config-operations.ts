import { randomUUID } from 'node:crypto';
import type {
  CreateDeploymentConfigInput, CreateDeploymentConfigOutput, DeleteDeploymentConfigInput, GetDeploymentConfigInput, GetDeploymentConfigOutput,
  ListDeploymentConfigsInput, ListDeploymentConfigsOutput,
} from '@aws-sdk/client-codedeploy';
import type { Clock } from '../../clock.js';
import type { Operation } from '../../service.js';
import { errors } from './catalogue.js';
import { checkedTrafficRouting, PREDEFINED_CONFIGS } from './deployment-configs.js';
import { configName, page, scopeOf } from './inputs.js';
import type { CodeDeployStore } from './store.js';

type Empty = Record<string, never>;

export type ConfigOperations = {
  CreateDeploymentConfig: Operation<CreateDeploymentConfigInput, CreateDeploymentConfigOutput>;
  GetDeploymentConfig: Operation<GetDeploymentConfigInput, GetDeploymentConfigOutput>;
  ListDeploymentConfigs: Operation<ListDeploymentConfigsInput, ListDeploymentConfigsOutput>;
  DeleteDeploymentConfig: Operation<DeleteDeploymentConfigInput, Empty>;
};

const PLATFORMS = ['Server', 'Lambda', 'ECS'];

export function configOperations(store: CodeDeployStore, clock: Clock): ConfigOperations {
  return {
    CreateDeploymentConfig(input, ctx) {
      const scope = scopeOf(store, ctx);
      const name = configName(input.deploymentConfigName);
      // AWS's default compute platform is Server.
      const platform = input.computePlatform ?? 'Server';
      if (!PLATFORMS.includes(platform)) throw errors.invalidComputePlatform(String(platform));
      if (platform !== 'ECS') throw errors.platformNotEmulated(platform);
      if (input.minimumHealthyHosts) throw errors.minimumHealthyHostsForEcs();
      if (input.zonalConfig) throw errors.zonalConfigForEcs();
      const trafficRoutingConfig = checkedTrafficRouting(input.trafficRoutingConfig);
      if (PREDEFINED_CONFIGS.has(name) || scope.configs.has(name)) throw errors.configExists(name);
      const deploymentConfigId = randomUUID();
      scope.configs.set(name, { deploymentConfigId, deploymentConfigName: name, createTime: new Date(clock.now()), computePlatform: 'ECS', trafficRoutingConfig });
      return { deploymentConfigId };
    },

    GetDeploymentConfig(input, ctx) {
      const name = configName(input.deploymentConfigName);
      const config = PREDEFINED_CONFIGS.get(name) ?? scopeOf(store, ctx).configs.get(name);
      if (!config) throw errors.configNotFound(name);
      return { deploymentConfigInfo: config };
    },

    ListDeploymentConfigs(input, ctx) {
      const { items, nextToken } = page([...PREDEFINED_CONFIGS.keys(), ...scopeOf(store, ctx).configs.keys()], input.nextToken);
      return { deploymentConfigsList: items, ...(nextToken ? { nextToken } : {}) };
    },

    DeleteDeploymentConfig(input, ctx) {
      const scope = scopeOf(store, ctx);
      const name = configName(input.deploymentConfigName);
      if (PREDEFINED_CONFIGS.has(name)) throw errors.predefinedConfig(name);
      for (const groups of scope.groups.values()) {
        for (const g of groups.values()) if (g.deploymentConfigName === name) throw errors.configInUse(name);
      }
      // The API reference lists no not-found error here: deleting what is gone succeeds.
      scope.configs.delete(name);
      return {};
    },
  };
}
