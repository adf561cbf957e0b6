import type { DeploymentConfigInfo, DeploymentGroupInfo, TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import type { LoadBalancer } from '@aws-sdk/client-ecs';
import { parse as parseYaml } from 'yaml';
import { RolloutError } from '../../spec/errors.js';
import { wholeMinutes, type Gate, type StrategyConfig, type StrategyName } from '../../spec/strategy.js';
import { ECS_DEFAULTS } from '../strategies/native-config.js';

/**
 * Blue/green through CodeDeploy, decided before anything changes: which
 * deployment configuration, what the AppSpec says, and whether the group
 * can run the tool's gates. Pure; the effects are in deploy.ts beside it.
 */

/**
 * Where the tool's gates run on a CodeDeploy deployment: while it waits with
 * test traffic on the replacement and production still on the original
 * (deploymentReadyOption STOP_DEPLOYMENT), before ContinueDeployment.
 */
export const CODEDEPLOY_GATE_STAGES = ['POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT'] as const;

/** A cluster as CodeDeploy names it in ecsServices and target ids: its name, also when given as an ARN. */
export function clusterNameOf(cluster: string): string {
  const at = cluster.indexOf(':cluster/');
  return at >= 0 ? cluster.slice(at + ':cluster/'.length) : cluster;
}

/** The ECS deployment target id CodeDeploy gives a service: CLUSTER:SERVICE. */
export function ecsTargetId(cluster: string, service: string): string {
  return `${clusterNameOf(cluster)}:${service}`;
}

/** Whether a deployment group's ecsServices name this service in this cluster (either may be an ARN or a name). */
export function deploysService(ecsServices: ReadonlyArray<{ clusterName?: string | undefined; serviceName?: string | undefined }>, cluster: string, service: string): boolean {
  return ecsServices.some((s) => s.serviceName === service && clusterNameOf(s.clusterName ?? '') === clusterNameOf(cluster));
}

/** The configuration a deployment is created with: a name, and the traffic routing to create it with when it does not exist yet. */
export interface ConfigChoice {
  /** Undefined: the deployment group's own configuration. */
  name: string | undefined;
  routing: TrafficRoutingConfig | undefined;
  /** What the choice means, for the plan line. */
  describe: string;
}

const PREDEFINED = 'CodeDeployDefault.';

/**
 * The deployment configuration for a strategy: an explicit
 * codeDeploy.deploymentConfig wins; canary and linear become CodeDeploy's
 * TimeBasedCanary and TimeBasedLinear with the file's percent and minutes
 * (a predefined configuration when one matches, else one named after its
 * settings, created when missing); blue-green keeps the group's own.
 */
export function chooseConfig(strategy: StrategyName | undefined, config: StrategyConfig | undefined): ConfigChoice {
  if (strategy === 'rolling') {
    throw new RolloutError(
      'InvalidConfig',
      'a service with the CODE_DEPLOY deployment controller cannot do a rolling update: CodeDeploy deploys blue/green; use --strategy blue-green, canary or linear (or leave strategy.type out)',
    );
  }
  const explicit = config?.codeDeploy?.deploymentConfig;
  if (explicit !== undefined) return { name: explicit, routing: undefined, describe: `deployment configuration ${explicit}` };
  switch (strategy) {
    case undefined:
    case 'blue-green':
      return { name: undefined, routing: undefined, describe: "the deployment group's deployment configuration" };
    case 'canary': {
      const percent = wholePercent('strategy.canary.percent', config?.canary?.percent ?? ECS_DEFAULTS.canaryPercent);
      const minutes = minutesOf('strategy.canary.bake', config?.canary?.bake) ?? ECS_DEFAULTS.canaryBakeMinutes;
      const name = `${PREDEFINED}ECSCanary${percent}Percent${minutes}Minutes`;
      const predefined = (percent === 10 && (minutes === 5 || minutes === 15));
      return {
        name: predefined ? name : `EcsRollout.Canary${percent}Percent${minutes}Minutes`,
        routing: predefined ? undefined : { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: percent, canaryInterval: minutes } },
        describe: `canary ${percent}% for ${minutes}m, then 100%`,
      };
    }
    case 'linear': {
      const percent = wholePercent('strategy.linear.stepPercent', config?.linear?.stepPercent ?? ECS_DEFAULTS.linearStepPercent);
      const minutes = minutesOf('strategy.linear.stepBake', config?.linear?.stepBake) ?? ECS_DEFAULTS.linearStepBakeMinutes;
      const predefined = percent === 10 && (minutes === 1 || minutes === 3);
      return {
        name: predefined ? `${PREDEFINED}ECSLinear10PercentEvery${minutes}Minutes` : `EcsRollout.Linear${percent}PercentEvery${minutes}Minutes`,
        routing: predefined ? undefined : { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: percent, linearInterval: minutes } },
        describe: `linear ${percent}% every ${minutes}m`,
      };
    }
  }
}

/** A configuration found under the chosen name must route traffic as the file says, or the deploy would not do what it shows. */
export function checkExistingConfig(choice: ConfigChoice, found: DeploymentConfigInfo): void {
  if (found.computePlatform !== undefined && found.computePlatform !== 'ECS') {
    throw new RolloutError('PreflightFailed', `preflight failed: deployment configuration ${choice.name ?? ''} is for ${found.computePlatform}, not ECS; name an ECS one (CodeDeployDefault.ECS...) in strategy.codeDeploy.deploymentConfig`);
  }
  const want = choice.routing;
  if (!want || !choice.name) return;
  const have = found.trafficRoutingConfig;
  const same = have?.type === want.type
    && have?.timeBasedCanary?.canaryPercentage === want.timeBasedCanary?.canaryPercentage
    && have?.timeBasedCanary?.canaryInterval === want.timeBasedCanary?.canaryInterval
    && have?.timeBasedLinear?.linearPercentage === want.timeBasedLinear?.linearPercentage
    && have?.timeBasedLinear?.linearInterval === want.timeBasedLinear?.linearInterval;
  if (!same) {
    throw new RolloutError('PreflightFailed', `preflight failed: deployment configuration ${choice.name} exists but routes traffic differently (${JSON.stringify(have ?? {})}); delete it or name another with strategy.codeDeploy.deploymentConfig`);
  }
}

/** What a deployment group must have for the tool to drive it; the gates decide whether it must wait for readiness. */
export function checkGroup(group: DeploymentGroupInfo, label: string, gates: readonly Gate[]): void {
  const fail = (why: string): never => {
    throw new RolloutError('PreflightFailed', `preflight failed: deployment group ${label} ${why}`);
  };
  if (group.computePlatform !== undefined && group.computePlatform !== 'ECS') fail(`is for ${group.computePlatform}, not ECS`);
  if (group.deploymentStyle?.deploymentType !== 'BLUE_GREEN' || group.deploymentStyle.deploymentOption !== 'WITH_TRAFFIC_CONTROL') {
    fail('must deploy BLUE_GREEN WITH_TRAFFIC_CONTROL (deploymentStyle), as every ECS deployment group does');
  }
  const outside = gates.filter((g) => !(CODEDEPLOY_GATE_STAGES as readonly string[]).includes(g.stage));
  if (outside.length) {
    throw new RolloutError('InvalidConfig', `strategy.gates: ${outside.map((g) => `${g.name} at ${g.stage}`).join(', ')}: on a CodeDeploy deployment gates run while it waits with test traffic on the new tasks, so their stage must be ${CODEDEPLOY_GATE_STAGES.join(' or ')}`);
  }
  const ready = group.blueGreenDeploymentConfiguration?.deploymentReadyOption;
  if (gates.length && ready?.actionOnTimeout !== 'STOP_DEPLOYMENT') {
    fail(
      `reroutes production traffic without waiting (deploymentReadyOption ${ready?.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT'}), so the gates ${gates.map((g) => g.name).join(', ')} would have no time to run; ` +
      'set blueGreenDeploymentConfiguration.deploymentReadyOption to STOP_DEPLOYMENT with a waitTimeInMinutes (aws deploy update-deployment-group), or remove the gates',
    );
  }
}

/** Where the container takes traffic: the service's load balancer entry that CodeDeploy moves. */
export function trafficContainer(loadBalancers: readonly LoadBalancer[], service: string): { container: string; port: number } {
  const lb = loadBalancers.find((l) => l.containerName && l.containerPort !== undefined);
  if (!lb?.containerName || lb.containerPort === undefined) {
    throw new RolloutError('PreflightFailed', `preflight failed: service ${service} has no load balancer with a container name and port; CodeDeploy blue/green needs one`);
  }
  return { container: lb.containerName, port: lb.containerPort };
}

/**
 * The AppSpec to send. Without a file: one naming the new task definition
 * and the container and port that take traffic. With one: the file with
 * its TaskDefinition replaced (a <TASK_DEFINITION> placeholder or the old
 * ARN alike); its hooks and other properties are kept as written.
 */
export function appSpecFor(
  file: { path: string; text: string } | undefined,
  release: { taskDefinitionArn: string; container: string; port: number },
): string {
  if (!file) {
    return withAppSpecVersion(JSON.stringify({
      version: 0.0,
      Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: release.taskDefinitionArn, LoadBalancerInfo: { ContainerName: release.container, ContainerPort: release.port } } } }],
    }, null, 2));
  }
  const bad = (why: string): never => {
    throw new RolloutError('InvalidConfig', `strategy.codeDeploy.appSpec: ${file.path} ${why}`);
  };
  let doc: unknown;
  try {
    doc = parseYaml(file.text);
  } catch (err) {
    return bad(`is not YAML or JSON: ${(err as Error).message}`);
  }
  const resources = isRecord(doc) ? doc.Resources : undefined;
  if (!Array.isArray(resources) || resources.length !== 1) return bad('must have Resources with exactly one AWS::ECS::Service entry');
  const entry: unknown = resources[0];
  const [name, resource] = isRecord(entry) ? Object.entries(entry)[0] ?? [] : [];
  if (!name || !isRecord(resource) || resource.Type !== 'AWS::ECS::Service' || !isRecord(resource.Properties)) {
    return bad('must have Resources with exactly one AWS::ECS::Service entry with Properties');
  }
  const properties = resource.Properties;
  properties.TaskDefinition = release.taskDefinitionArn;
  const info = properties.LoadBalancerInfo;
  if (info === undefined) properties.LoadBalancerInfo = { ContainerName: release.container, ContainerPort: release.port };
  else if (!isRecord(info) || info.ContainerName !== release.container || Number(info.ContainerPort) !== release.port) {
    bad(`has LoadBalancerInfo ${JSON.stringify(info)}, but the service sends traffic to container ${release.container} port ${release.port}; make them agree or leave LoadBalancerInfo out`);
  }
  return withAppSpecVersion(JSON.stringify(doc, null, 2));
}

/** AppSpec's version is written 0.0; JSON.stringify writes the number as 0, so the text is put back as AppSpec documents it. */
function withAppSpecVersion(json: string): string {
  return json.replace(/^ {2}"version": 0,$/m, '  "version": 0.0,');
}

/** CodeDeploy's TimeBasedCanary and TimeBasedLinear take a whole percentage from 1 to 99. */
function wholePercent(field: string, percent: number): number {
  if (!Number.isInteger(percent)) throw new RolloutError('InvalidConfig', `${field}: CodeDeploy shifts whole percentages; ${percent} is not one`);
  if (percent < 1 || percent > 99) throw new RolloutError('InvalidConfig', `${field}: CodeDeploy shifts 1 to 99 percent in a step, not ${percent} (for everything at once use --strategy blue-green with an all-at-once configuration)`);
  return percent;
}

/** CodeDeploy's intervals are whole minutes, at least one. */
function minutesOf(field: string, value: string | undefined): number | undefined {
  const found = wholeMinutes(value);
  if (found?.rounded) throw new RolloutError('InvalidConfig', `${field}: CodeDeploy counts intervals in whole minutes; ${value} is not a whole number of minutes`);
  if (found !== undefined && found.minutes < 1) throw new RolloutError('InvalidConfig', `${field}: CodeDeploy's interval is at least 1 minute, not ${value}`);
  return found?.minutes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
