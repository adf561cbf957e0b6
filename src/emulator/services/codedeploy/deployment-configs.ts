import type { TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import { errors } from './catalogue.js';
import type { StoredDeploymentConfig } from './model.js';

export const DEFAULT_ECS_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';

/**
 * The predefined ECS deployment configurations, as the CodeDeploy user guide
 * lists them ("Predefined deployment configurations for an Amazon ECS compute
 * platform"). AWS also predefines Server and Lambda configurations; the
 * emulator serves ECS only, so it lists these five. Their ids and creation
 * time are the emulator's own, fixed so that they read the same every time.
 */
const PREDEFINED_CREATE_TIME = new Date('2018-11-27T00:00:00Z');
const predefined = (name: string, index: number, trafficRoutingConfig: TrafficRoutingConfig): StoredDeploymentConfig => ({
  deploymentConfigId: `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`,
  deploymentConfigName: name,
  createTime: PREDEFINED_CREATE_TIME,
  computePlatform: 'ECS',
  trafficRoutingConfig,
});

export const PREDEFINED_CONFIGS: ReadonlyMap<string, StoredDeploymentConfig> = new Map(
  [
    predefined(DEFAULT_ECS_CONFIG, 1, { type: 'AllAtOnce' }),
    predefined('CodeDeployDefault.ECSLinear10PercentEvery1Minutes', 2, { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } }),
    predefined('CodeDeployDefault.ECSLinear10PercentEvery3Minutes', 3, { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 3 } }),
    predefined('CodeDeployDefault.ECSCanary10Percent5Minutes', 4, { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } }),
    predefined('CodeDeployDefault.ECSCanary10Percent15Minutes', 5, { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 } }),
  ].map((c) => [c.deploymentConfigName, c]),
);

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function percentAndInterval(kind: string, percent: unknown, interval: unknown, percentName: string, intervalName: string): void {
  if (!isInteger(percent) || percent < 1 || percent > 99) {
    throw errors.invalidTrafficRouting(`${kind}.${percentName} must be a whole number of percent from 1 to 99, not ${String(percent)}.`);
  }
  if (!isInteger(interval) || interval < 1) {
    throw errors.invalidTrafficRouting(`${kind}.${intervalName} must be a whole number of minutes, at least 1, not ${String(interval)}.`);
  }
}

/**
 * CreateDeploymentConfig's trafficRoutingConfig, checked: the type names which
 * one of timeBasedCanary / timeBasedLinear applies, and only that one may be
 * given. Absent, an ECS configuration shifts all traffic at once.
 */
export function checkedTrafficRouting(value: TrafficRoutingConfig | undefined): TrafficRoutingConfig {
  if (value === undefined || value === null) return { type: 'AllAtOnce' };
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalidTrafficRouting('trafficRoutingConfig must be a structure.');
  const { type, timeBasedCanary, timeBasedLinear } = value;
  switch (type) {
    case 'AllAtOnce':
      if (timeBasedCanary || timeBasedLinear) throw errors.invalidTrafficRouting('An AllAtOnce trafficRoutingConfig takes neither timeBasedCanary nor timeBasedLinear.');
      return { type };
    case 'TimeBasedCanary':
      if (!timeBasedCanary || timeBasedLinear) throw errors.invalidTrafficRouting('A TimeBasedCanary trafficRoutingConfig takes timeBasedCanary, and not timeBasedLinear.');
      percentAndInterval('timeBasedCanary', timeBasedCanary.canaryPercentage, timeBasedCanary.canaryInterval, 'canaryPercentage', 'canaryInterval');
      return { type, timeBasedCanary: { canaryPercentage: timeBasedCanary.canaryPercentage, canaryInterval: timeBasedCanary.canaryInterval } };
    case 'TimeBasedLinear':
      if (!timeBasedLinear || timeBasedCanary) throw errors.invalidTrafficRouting('A TimeBasedLinear trafficRoutingConfig takes timeBasedLinear, and not timeBasedCanary.');
      percentAndInterval('timeBasedLinear', timeBasedLinear.linearPercentage, timeBasedLinear.linearInterval, 'linearPercentage', 'linearInterval');
      return { type, timeBasedLinear: { linearPercentage: timeBasedLinear.linearPercentage, linearInterval: timeBasedLinear.linearInterval } };
    default:
      throw errors.invalidTrafficRouting(`trafficRoutingConfig.type must be one of TimeBasedCanary, TimeBasedLinear, AllAtOnce, not ${String(type)}.`);
  }
}
