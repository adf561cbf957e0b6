import type { AlarmConfiguration, DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { doing, RolloutError, systemError } from '../../spec/errors.js';
import { gateBudgetMs, type Gate, type StrategyConfig, type StrategyName } from '../../spec/strategy.js';
import type { EventBody } from '../events.js';
import type { CodeDeployGroup, CodeDeployPort, Ports } from '../ports.js';
import { ongoingDeployments } from './ongoing.js';
import { appSpecFor, checkExistingConfig, checkGroup, chooseConfig, clusterNameOf, deploysService, trafficContainer, type ConfigChoice } from './plan.js';

/** What a deploy through CodeDeploy was planned with, before anything changed. */
export interface CodeDeployPlan {
  port: CodeDeployPort;
  application: string;
  deploymentGroup: string;
  group: DeploymentGroupInfo;
  config: ConfigChoice;
  /** The chosen configuration must be created before the deployment (it is named after its settings and does not exist yet). */
  createConfig: boolean;
  container: string;
  containerPort: number;
  appSpecFile: { path: string; text: string } | undefined;
  readyWaitMinutes: number | undefined;
  testListener: string | undefined;
  waitForTermination: boolean;
}

export interface CodeDeployRequest {
  service: string;
  cluster: string;
  strategy: StrategyName | undefined;
  strategyConfig: StrategyConfig | undefined;
  appSpecFile: { path: string; text: string } | undefined;
}

/**
 * Reads what a deploy through CodeDeploy needs and checks it before
 * anything changes: the deployment group (named in the file, or the one
 * that deploys the service), the configuration, the gates against the
 * group's ready wait, the AppSpec file. Emits the plan.
 */
export async function prepareCodeDeploy(
  ports: Ports, request: CodeDeployRequest, gates: readonly Gate[], service: Service, emit: (event: EventBody) => void, signal?: AbortSignal,
): Promise<CodeDeployPlan> {
  const port = ports.codeDeploy;
  if (!port) throw new RolloutError('PreflightFailed', `preflight failed: service ${request.service} uses the CODE_DEPLOY deployment controller, and this endpoint has no CodeDeploy`);
  const { application, group, deploymentGroup, label } = await checkedGroup(port, request, gates, signal).catch((err: unknown) => {
    if (err instanceof RolloutError && err.kind === 'user') emit({ type: 'preflight-failed', check: 'deployment-group', message: err.message.replace(/^preflight failed: /, '') });
    throw err;
  });
  const config = chooseConfig(request.strategy, request.strategyConfig);
  let createConfig = false;
  if (config.name !== undefined) {
    const name = config.name;
    const existing = await doing(`read CodeDeploy deployment configuration ${name}`, () => port.readConfig(name, signal));
    if (existing) checkExistingConfig(config, existing);
    else if (config.routing) createConfig = true;
    else {
      const message = `CodeDeploy deployment configuration ${name} does not exist; check strategy.codeDeploy.deploymentConfig`;
      emit({ type: 'preflight-failed', check: 'deployment-group', message });
      throw new RolloutError('PreflightFailed', `preflight failed: ${message}`);
    }
  }
  const { container, port: containerPort } = trafficContainer(service.loadBalancers ?? [], request.service);
  // A bad AppSpec file is found now, before anything is registered.
  appSpecFor(request.appSpecFile, { taskDefinitionArn: 'check', container, port: containerPort });
  const plan: CodeDeployPlan = {
    port, application, deploymentGroup, group, config, createConfig, container, containerPort, appSpecFile: request.appSpecFile,
    ...followSettings(group, request.strategyConfig),
  };
  const { readyWaitMinutes } = plan;
  emit({ type: 'preflight-passed', check: 'deployment-group', message: `CodeDeploy deployment group ${label} deploys service ${request.service}` });
  const notes: string[] = [];
  if (readyWaitMinutes !== undefined && !gates.length) notes.push(`the group waits up to ${readyWaitMinutes}m for ecs-rollout promote with test traffic on the new tasks, then stops the deployment`);
  if (!plan.testListener && gates.length) notes.push('the group has no test listener: gates reach the new tasks only through their own URLs');
  const gatesMs = gates.reduce((sum, g) => sum + gateBudgetMs(g.check), 0);
  if (readyWaitMinutes !== undefined && gates.length && gatesMs > readyWaitMinutes * 60_000) {
    notes.push(`the gates can take up to ${Math.ceil(gatesMs / 60_000)}m but the group waits ${readyWaitMinutes}m: CodeDeploy may stop the deployment before they finish (raise waitTimeInMinutes)`);
  }
  if (createConfig) notes.push(`deployment configuration ${config.name} will be created`);
  emit({
    type: 'codedeploy-planned',
    application,
    deploymentGroup,
    deploymentConfig: config.name ?? group.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
    describe: config.describe,
    readyWaitMinutes,
    terminationWaitMinutes: group.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes ?? 0,
    notes,
  });
  return plan;
}

/** How a deployment of this group is followed: its ready wait (STOP_DEPLOYMENT), its test listener, and whether to follow through the termination wait. */
export function followSettings(
  group: DeploymentGroupInfo, strategyConfig: StrategyConfig | undefined,
): Pick<CodeDeployPlan, 'readyWaitMinutes' | 'testListener' | 'waitForTermination'> {
  const ready = group.blueGreenDeploymentConfiguration?.deploymentReadyOption;
  return {
    readyWaitMinutes: ready?.actionOnTimeout === 'STOP_DEPLOYMENT' ? ready.waitTimeInMinutes ?? 0 : undefined,
    testListener: group.loadBalancerInfo?.targetGroupPairInfoList?.[0]?.testTrafficRoute?.listenerArns?.[0],
    waitForTermination: strategyConfig?.codeDeploy?.waitForTermination ?? false,
  };
}

/**
 * The group, checked: it deploys this service, suits the gates, and runs no
 * deployment already (CodeDeploy runs one per group, and one started
 * elsewhere, the console or a pipeline, is not ours to replace).
 */
async function checkedGroup(
  port: CodeDeployPort, request: CodeDeployRequest, gates: readonly Gate[], signal: AbortSignal | undefined,
): Promise<CodeDeployGroup & { deploymentGroup: string; label: string }> {
  const found = await resolveGroup(port, request.cluster, request.service, request.strategyConfig?.codeDeploy, signal);
  const deploymentGroup = found.group.deploymentGroupName ?? '';
  const label = `${deploymentGroup} (application ${found.application})`;
  checkGroup(found.group, label, gates);
  const { release, rollback } = await ongoingDeployments(port, found.application, deploymentGroup, signal);
  const busy = release ?? rollback;
  if (busy) {
    throw new RolloutError(
      'PreflightFailed',
      `preflight failed: CodeDeploy deployment group ${label} already has deployment ${busy.deploymentId ?? '-'} ${busy.status ?? ''}${busy === rollback ? ' (a rollback)' : ''}; ` +
      'wait for it, or follow it with ecs-rollout deploy --resume, or stop it with ecs-rollout abort',
    );
  }
  return { ...found, deploymentGroup, label };
}

/**
 * The deployment group that deploys the service: the one strategy.codeDeploy
 * names, else the one ECS deployment group whose ecsServices names it.
 * None, or several, is a PreflightFailed error saying what to set.
 */
export async function resolveGroup(
  port: CodeDeployPort, cluster: string, service: string, named: { application?: string | undefined; deploymentGroup?: string | undefined } | undefined, signal?: AbortSignal,
): Promise<CodeDeployGroup> {
  const fail = (message: string): never => {
    throw new RolloutError('PreflightFailed', `preflight failed: ${message}`);
  };
  if (named?.application !== undefined && named.deploymentGroup !== undefined) {
    const { application, deploymentGroup } = named;
    const found = await doing(`read CodeDeploy deployment group ${deploymentGroup} of application ${application}`, () => port.readGroup(application, deploymentGroup, signal));
    if (!found) return fail(`CodeDeploy deployment group ${deploymentGroup} of application ${application} does not exist; check strategy.codeDeploy`);
    const deploys = found.group.ecsServices ?? [];
    if (!deploysService(deploys, cluster, service)) {
      fail(`CodeDeploy deployment group ${deploymentGroup} deploys ${deploys.map((s) => `service ${s.serviceName} in cluster ${clusterNameOf(s.clusterName ?? '')}`).join(', ') || 'no ECS service'}, not service ${service} in cluster ${clusterNameOf(cluster)}; check strategy.codeDeploy and --cluster`);
    }
    return found;
  }
  const groups = await doing(`find the CodeDeploy deployment group of service ${service}`, () => port.findGroupsOf(cluster, service, signal));
  const [only] = groups;
  if (!only) return fail(`no CodeDeploy deployment group deploys service ${service} in cluster ${cluster}; create one (aws deploy create-deployment-group) or name it in strategy.codeDeploy.application and deploymentGroup`);
  if (groups.length > 1) fail(`${groups.length} CodeDeploy deployment groups deploy service ${service} (${groups.map((g) => `${g.application}/${g.group.deploymentGroupName}`).join(', ')}); name one in strategy.codeDeploy.application and deploymentGroup`);
  return only;
}

/**
 * Alarms already in ALARM that the deploy proceeds past (preexistingAlarm:
 * proceed, and every rollback) would have CodeDeploy stop the deployment at
 * its first look: the deployment is created with the group's alarms but
 * those (overrideAlarmConfiguration; AWS requires UpdateDeploymentGroup
 * permission for it). Undefined: the group's own alarm configuration.
 */
export function alarmsOverride(group: DeploymentGroupInfo, firing: readonly string[]): AlarmConfiguration | undefined {
  if (firing.length === 0) return undefined;
  const config = group.alarmConfiguration;
  const alarms = (config?.alarms ?? []).filter((a) => !firing.includes(a.name ?? ''));
  return { enabled: (config?.enabled ?? false) && alarms.length > 0, ignorePollAlarmFailure: config?.ignorePollAlarmFailure ?? false, alarms };
}

/** Creates the deployment of a registered revision (and the configuration it needs, when missing); its id. */
export async function startCodeDeploy(
  plan: CodeDeployPlan, taskDefinitionArn: string, description: string, emit: (event: EventBody) => void, signal?: AbortSignal, firingAlarms: readonly string[] = [],
): Promise<string> {
  const { port, config } = plan;
  if (plan.createConfig && config.name !== undefined && config.routing) {
    const { name, routing } = config;
    try {
      await port.createConfig(name, routing, signal);
      emit({ type: 'codedeploy-config-created', deploymentConfig: name, describe: config.describe });
    } catch (err) {
      // Another deploy with the same settings made it first: fine if it routes the same.
      if (!(err instanceof Error && err.name === 'DeploymentConfigAlreadyExistsException')) throw systemError(`create CodeDeploy deployment configuration ${name}`, err);
      const made = await doing(`read CodeDeploy deployment configuration ${name}`, () => port.readConfig(name, signal));
      if (made) checkExistingConfig(config, made);
    }
  }
  const appSpec = appSpecFor(plan.appSpecFile, { taskDefinitionArn, container: plan.container, port: plan.containerPort });
  const deploymentId = await doing(`create a CodeDeploy deployment in group ${plan.deploymentGroup} of application ${plan.application}`, () =>
    port.createDeployment({ application: plan.application, group: plan.deploymentGroup, config: config.name, appSpec, description, alarms: alarmsOverride(plan.group, firingAlarms) }, signal),
  );
  emit({ type: 'codedeploy-created', deploymentId, application: plan.application, deploymentGroup: plan.deploymentGroup, taskDefinitionArn, alarmsLeftOut: [...firingAlarms] });
  return deploymentId;
}
