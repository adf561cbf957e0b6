import type { DeploymentAlarms, DeploymentConfiguration, DeploymentController, LaunchType, LoadBalancer, TaskDefinition } from '@aws-sdk/client-ecs';
import type { LoadBalancingPlane } from '../../elbv2/load-balancing-plane.js';
import { errors } from '../catalogue.js';
import type { Scope } from '../store.js';
import { lifecycleHooks, strategySettings, type FunctionFinder } from './strategy-validation.js';

/** Checks of CreateService/UpdateService inputs, with ECS's wording where it is known. */

const NOT_EMULATED = (what: string): string =>
  `The ecs-rollout emulator does not run ${what} yet; only the ECS, EXTERNAL and CODE_DEPLOY deployment controllers are emulated (see docs/emulator-fidelity.md).`;

export function deploymentConfiguration(
  value: DeploymentConfiguration | undefined, base: DeploymentConfiguration | undefined, findFunction: FunctionFinder,
): DeploymentConfiguration {
  if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw errors.invalid('deploymentConfiguration must be an object.');
  }
  const merged: DeploymentConfiguration = { ...base, ...value };
  const max = merged.maximumPercent ?? 200;
  const min = merged.minimumHealthyPercent ?? 100;
  if (!Number.isInteger(max) || max < 0) throw errors.invalid('deploymentConfiguration.maximumPercent must be a non-negative integer.');
  if (!Number.isInteger(min) || min < 0 || min > 100) throw errors.invalid('deploymentConfiguration.minimumHealthyPercent must be an integer between 0 and 100.');
  if (max < min) throw errors.invalid('deploymentConfiguration.maximumPercent must be greater than or equal to minimumHealthyPercent.');
  const settings = strategySettings(merged);
  // JSON null is an absent member, as in every AWS JSON protocol.
  const breaker = merged.deploymentCircuitBreaker ?? undefined;
  if (breaker !== undefined && (typeof breaker.enable !== 'boolean' || typeof breaker.rollback !== 'boolean')) {
    throw errors.invalid('deploymentConfiguration.deploymentCircuitBreaker requires enable and rollback.');
  }
  const threshold = breaker?.thresholdConfiguration;
  if (threshold && (!['COUNT', 'BOUNDED_PERCENT', 'UNBOUNDED_PERCENT'].includes(threshold.type ?? '') || !Number.isInteger(threshold.value) || (threshold.value ?? 0) < 1)) {
    throw errors.invalid('deploymentCircuitBreaker.thresholdConfiguration needs a type of COUNT, BOUNDED_PERCENT or UNBOUNDED_PERCENT and a positive integer value.');
  }
  const hooks = lifecycleHooks(merged.lifecycleHooks ?? undefined, settings.strategy, findFunction);
  const alarms = deploymentAlarms(merged.alarms ?? undefined);
  return {
    ...merged,
    ...settings,
    maximumPercent: max,
    minimumHealthyPercent: min,
    deploymentCircuitBreaker: breaker ?? { enable: false, rollback: false },
    ...(hooks ? { lifecycleHooks: hooks } : {}),
    ...(alarms ? { alarms } : {}),
  };
}

/**
 * deploymentConfiguration.alarms: all three members are required. Like ECS,
 * the alarms are not looked up here; a name with no alarm never reads ALARM.
 */
function deploymentAlarms(value: DeploymentAlarms | undefined): DeploymentAlarms | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalid('deploymentConfiguration.alarms must be an object.');
  const names = value.alarmNames;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n.length === 0)) {
    throw errors.invalid('deploymentConfiguration.alarms.alarmNames must be a list of alarm names.');
  }
  if (typeof value.enable !== 'boolean' || typeof value.rollback !== 'boolean') {
    throw errors.invalid('deploymentConfiguration.alarms requires alarmNames, enable and rollback.');
  }
  return { alarmNames: [...names], enable: value.enable, rollback: value.rollback };
}

export function deploymentController(value: DeploymentController | undefined): DeploymentController {
  const type = value?.type ?? 'ECS';
  // EXTERNAL: task sets run the service (operations/task-sets.ts).
  if (type === 'EXTERNAL') return { type: 'EXTERNAL' };
  // CODE_DEPLOY: an initial task set runs the service; CodeDeploy deployments (services/codedeploy) replace it.
  if (type === 'CODE_DEPLOY') return { type: 'CODE_DEPLOY' };
  if (type !== 'ECS') throw errors.invalid(NOT_EMULATED(`the ${type} deployment controller`));
  return { type: 'ECS' };
}

export function launchType(value: unknown): LaunchType {
  if (value === undefined || value === null) return 'EC2';
  if (value === 'EC2' || value === 'FARGATE' || value === 'EXTERNAL') return value;
  throw errors.invalid(`launchType must be one of EC2, FARGATE, EXTERNAL.`);
}

/** ECS's default quota of tasks per service; the scheduler creates task records up to the desired count. */
export const MAX_TASKS_PER_SERVICE = 5000;
/** Smithy Integer members are 32-bit. */
const MAX_INTEGER = 2147483647;

export function desiredCountOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw errors.invalid('desiredCount must be a non-negative integer.');
  if (value > MAX_TASKS_PER_SERVICE) {
    throw errors.invalid(`desiredCount ${value} is more than the ${MAX_TASKS_PER_SERVICE} tasks a service can run (the ECS tasks-per-service quota).`);
  }
  return value;
}

export function loadBalancers(
  value: LoadBalancer[] | undefined,
  definition: TaskDefinition,
  plane: LoadBalancingPlane,
  scope: Scope,
): LoadBalancer[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.invalid('loadBalancers must be a list.');
  return value.map((lb: LoadBalancer | null) => {
    if (typeof lb !== 'object' || lb === null || Array.isArray(lb)) throw errors.invalid('loadBalancers must be a list of load balancer objects.');
    if (lb.loadBalancerName) throw errors.invalid('Classic Load Balancers are not emulated; use targetGroupArn.');
    if (!lb.targetGroupArn) throw errors.invalid('targetGroupArn should not be null or empty.');
    const group = plane.describeTargetGroup(scope, lb.targetGroupArn);
    if (!group) throw errors.invalid(`The target group with targetGroupArn ${lb.targetGroupArn} does not exist.`);
    if (group.loadBalancerArns.length === 0) {
      throw errors.invalid(`The target group with targetGroupArn ${lb.targetGroupArn} does not have an associated load balancer.`);
    }
    if (!lb.containerName) throw errors.invalid('containerName should not be null or empty.');
    const container = definition.containerDefinitions?.find((cd) => cd.name === lb.containerName);
    if (!container) throw errors.invalid(`The container ${lb.containerName} does not exist in the task definition.`);
    if (typeof lb.containerPort !== 'number' || !(container.portMappings ?? []).some((m) => m.containerPort === lb.containerPort)) {
      throw errors.invalid(`The container ${lb.containerName} did not have a container port ${lb.containerPort ?? 'null'} defined.`);
    }
    const advanced = advancedConfiguration(lb, plane, scope);
    return { targetGroupArn: lb.targetGroupArn, containerName: lb.containerName, containerPort: lb.containerPort, ...(advanced ? { advancedConfiguration: advanced } : {}) };
  });
}

function advancedConfiguration(lb: LoadBalancer, plane: LoadBalancingPlane, scope: Scope): LoadBalancer['advancedConfiguration'] {
  const adv = lb.advancedConfiguration ?? undefined;
  if (adv === undefined) return undefined;
  if (typeof adv !== 'object' || Array.isArray(adv)) throw errors.invalid('advancedConfiguration must be an object.');
  const { alternateTargetGroupArn, productionListenerRule, testListenerRule, roleArn } = adv;
  if (!alternateTargetGroupArn) throw errors.invalid('advancedConfiguration.alternateTargetGroupArn should not be null or empty.');
  if (!productionListenerRule) throw errors.invalid('advancedConfiguration.productionListenerRule should not be null or empty.');
  if (!roleArn) throw errors.invalid('advancedConfiguration.roleArn should not be null or empty.');
  if (alternateTargetGroupArn === lb.targetGroupArn) throw errors.invalid('The alternate target group must be different from the target group.');
  if (!plane.describeTargetGroup(scope, alternateTargetGroupArn)) {
    throw errors.invalid(`The target group with targetGroupArn ${alternateTargetGroupArn} does not exist.`);
  }
  for (const [field, arn] of [['productionListenerRule', productionListenerRule], ['testListenerRule', testListenerRule]] as const) {
    if (arn === undefined || arn === null) continue;
    if (!plane.forwardWeights(scope, arn)) {
      throw errors.invalid(`The ${field} ${arn} does not exist or does not forward to target groups.`);
    }
  }
  return { alternateTargetGroupArn, productionListenerRule, roleArn, ...(testListenerRule ? { testListenerRule } : {}) };
}

/** BLUE_GREEN, LINEAR and CANARY shift traffic between two target groups: each load balancer must say which. */
export function checkStrategyWiring(config: DeploymentConfiguration, lbs: LoadBalancer[]): void {
  if ((config.strategy ?? 'ROLLING') === 'ROLLING') return;
  const missing = lbs.find((lb) => !lb.advancedConfiguration);
  if (missing) {
    throw errors.invalid(`advancedConfiguration is required for the load balancer with targetGroupArn ${missing.targetGroupArn} when the deployment strategy is ${config.strategy}.`);
  }
}

export function gracePeriod(value: unknown, hasLoadBalancers: boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_INTEGER) {
    throw errors.invalid(`healthCheckGracePeriodSeconds must be an integer from 0 to ${MAX_INTEGER}.`);
  }
  if (!hasLoadBalancers) {
    throw errors.invalid('Health check grace period is only valid for services configured to use load balancers');
  }
  return value;
}
