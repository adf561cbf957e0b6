import type {
  AlarmConfiguration, AutoRollbackEvent, BatchGetDeploymentsInput, BatchGetDeploymentsOutput, CreateDeploymentInput, CreateDeploymentOutput, GetDeploymentInput,
  GetDeploymentOutput, ListDeploymentsInput, ListDeploymentsOutput, RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import type { Clock } from '../../clock.js';
import type { Operation } from '../../service.js';
import type { TaskSetPlane } from '../ecs/task-set-plane.js';
import type { LoadBalancingPlane } from '../elbv2/load-balancing-plane.js';
import { appSpecText, parseAppSpec } from './appspec.js';
import { errors } from './catalogue.js';
import { lastSucceededRevision } from './rollback-deployment.js';
import { NO_ALARMS, type MonitoredAlarms } from './deployment-alarms.js';
import { trafficSteps } from './deployment-decisions.js';
import { PREDEFINED_CONFIGS } from './deployment-configs.js';
import { checkedAlarmConfiguration } from './deployment-group-settings.js';
import { newDeploymentId } from './deployment-ids.js';
import { deploymentView } from './deployment-targets.js';
import { applicationName, configName, existingApplication, existingDeployment, groupName, scopeOf } from './inputs.js';
import { initialLifecycle } from './lifecycle-events.js';
import type { DeploymentPlan } from './model.js';
import type { CodeDeployStore } from './store.js';

export type DeploymentOperations = {
  CreateDeployment: Operation<CreateDeploymentInput, CreateDeploymentOutput>;
  GetDeployment: Operation<GetDeploymentInput, GetDeploymentOutput>;
  BatchGetDeployments: Operation<BatchGetDeploymentsInput, BatchGetDeploymentsOutput>;
  ListDeployments: Operation<ListDeploymentsInput, ListDeploymentsOutput>;
};

export interface DeploymentDeps {
  clock: Clock;
  taskSets: TaskSetPlane;
  loadBalancing: LoadBalancingPlane;
  /** Lets the runner look at a new deployment without waiting for its next tick. */
  wake(): void;
}

const BATCH_MAX = 25;
const PAGE_SIZE = 100;
const MINUTE_MS = 60_000;

/** The alarms a deployment watches: none unless monitoring is enabled with alarms named. */
function monitored(config: AlarmConfiguration | undefined): MonitoredAlarms {
  if (!config?.enabled || !config.alarms?.length) return NO_ALARMS;
  return { names: config.alarms.flatMap((a) => (a.name ? [a.name] : [])), ignorePollFailure: config.ignorePollAlarmFailure === true };
}

export function deploymentOperations(store: CodeDeployStore, deps: DeploymentDeps): DeploymentOperations {
  return {
    CreateDeployment(input, ctx) {
      const scope = scopeOf(store, ctx);
      const app = existingApplication(scope, applicationName(input.applicationName));
      const name = groupName(input.deploymentGroupName);
      const group = scope.groups.get(app.info.applicationName)?.get(name);
      if (!group) throw errors.groupNotFound(name);
      const configRef = input.deploymentConfigName === undefined || input.deploymentConfigName === null
        ? group.deploymentConfigName
        : configName(input.deploymentConfigName);
      const config = PREDEFINED_CONFIGS.get(configRef) ?? scope.configs.get(configRef);
      if (!config) throw errors.configNotFound(configRef);
      const appSpec = parseAppSpec(appSpecText(input.revision ?? undefined));
      const override = input.overrideAlarmConfiguration ? checkedAlarmConfiguration(input.overrideAlarmConfiguration) : undefined;
      const active = [...scope.deployments.values()].find(
        (d) => d.progress !== undefined && d.info.applicationName === app.info.applicationName && d.info.deploymentGroupName === name,
      );
      if (active) throw errors.activeDeployment(name, active.info.deploymentId);

      const where = { account: ctx.account, region: ctx.region };
      const [{ clusterName, serviceName }] = group.ecsServices as [{ clusterName: string; serviceName: string }];
      const service = deps.taskSets.service(where, clusterName, serviceName);
      if (!service || !service.active) throw errors.invalidEcsService(`The ECS service ${serviceName} in cluster ${clusterName} does not exist or is not active.`);
      if (service.controller !== 'CODE_DEPLOY') {
        throw errors.invalidEcsService(`The ECS service ${serviceName} in cluster ${clusterName} must use the CODE_DEPLOY deployment controller.`);
      }
      const original = service.taskSets.find((ts) => ts.status === 'PRIMARY');
      if (!original?.targetGroupArn) throw errors.invalidEcsService(`The ECS service ${serviceName} in cluster ${clusterName} has no primary task set behind a target group.`);
      const [pair] = group.loadBalancerInfo?.targetGroupPairInfoList ?? [];
      const pairArns = (pair?.targetGroups ?? []).map((tg) => (tg.name ? deps.loadBalancing.targetGroupArnByName(where, tg.name) : undefined));
      if (pairArns.some((arn) => arn === undefined)) {
        throw errors.invalidTargetGroupPair(`The target groups ${(pair?.targetGroups ?? []).map((tg) => tg.name).join(', ')} of deployment group ${name} must exist.`);
      }
      if (!pairArns.includes(original.targetGroupArn)) {
        throw errors.invalidTargetGroupPair(`The primary task set of ${serviceName} is behind ${original.targetGroupArn}, which is not one of deployment group ${name}'s target groups.`);
      }
      const replacementTargetGroupArn = pairArns.find((arn) => arn !== original.targetGroupArn) as string;
      const rollback = group.autoRollbackConfiguration;
      const rollbackOn = (event: AutoRollbackEvent): boolean => (rollback?.enabled ?? false) && (rollback?.events ?? []).includes(event);
      const ready = group.blueGreenDeploymentConfiguration?.deploymentReadyOption;

      const now = new Date(deps.clock.now());
      const deploymentId = newDeploymentId();
      const plan: DeploymentPlan = {
        ...where,
        cluster: clusterName,
        service: serviceName,
        serviceArn: service.serviceArn,
        taskDefinition: appSpec.taskDefinition,
        containerName: appSpec.containerName,
        containerPort: appSpec.containerPort,
        originalTaskSetId: original.id,
        originalTargetGroupArn: original.targetGroupArn,
        replacementTargetGroupArn,
        productionListeners: pair?.prodTrafficRoute?.listenerArns ?? [],
        testListeners: pair?.testTrafficRoute?.listenerArns ?? [],
        steps: trafficSteps(config.trafficRoutingConfig),
        terminationWaitMs: (group.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes ?? 0) * MINUTE_MS,
        readyWaitMs: ready?.actionOnTimeout === 'STOP_DEPLOYMENT' ? (ready.waitTimeInMinutes ?? 0) * MINUTE_MS : undefined,
        rollbackOnFailure: rollbackOn('DEPLOYMENT_FAILURE'),
        rollbackOnStop: rollbackOn('DEPLOYMENT_STOP_ON_REQUEST'),
        rollbackOnAlarm: rollbackOn('DEPLOYMENT_STOP_ON_ALARM'),
        alarms: monitored(override ?? group.alarmConfiguration),
        hooks: appSpec.hooks,
      };
      const withTestTraffic = plan.testListeners.length > 0 || plan.hooks.some((h) => h.event === 'AfterAllowTestTraffic');
      scope.deployments.set(deploymentId, {
        info: {
          applicationName: app.info.applicationName,
          deploymentGroupName: name,
          deploymentConfigName: configRef,
          deploymentId,
          revision: input.revision ?? undefined,
          ...withPrevious(lastSucceededRevision(scope, app.info.applicationName, name)),
          status: 'Created',
          createTime: now,
          ...(input.description ? { description: input.description } : {}),
          creator: 'user',
          ignoreApplicationStopFailures: false,
          autoRollbackConfiguration: group.autoRollbackConfiguration,
          updateOutdatedInstancesOnly: false,
          deploymentStyle: group.deploymentStyle,
          blueGreenDeploymentConfiguration: group.blueGreenDeploymentConfiguration,
          loadBalancerInfo: group.loadBalancerInfo,
          instanceTerminationWaitTimeStarted: false,
          ...(override ? { overrideAlarmConfiguration: override } : {}),
          computePlatform: 'ECS',
          deploymentStatusMessages: [],
        },
        plan,
        progress: { phase: 'Install', replacementCreated: false },
        replacementTaskSetId: undefined,
        hooks: { done: [], finished: [], running: undefined },
        lifecycle: initialLifecycle(withTestTraffic),
        production: 0,
        targetUpdatedAt: now.getTime(),
        taskSetsAtEnd: undefined,
      });
      deps.wake();
      return { deploymentId };
    },

    GetDeployment(input, ctx) {
      return { deploymentInfo: deploymentView(existingDeployment(scopeOf(store, ctx), input.deploymentId)) };
    },

    BatchGetDeployments(input, ctx) {
      const scope = scopeOf(store, ctx);
      const ids = input.deploymentIds;
      if (!Array.isArray(ids) || ids.length === 0) throw errors.deploymentIdRequired();
      if (ids.length > BATCH_MAX) throw errors.batchLimit();
      return { deploymentsInfo: ids.flatMap((id) => {
        const found = scope.deployments.get(id);
        return found ? [deploymentView(found)] : [];
      }) };
    },

    ListDeployments(input, ctx) {
      const scope = scopeOf(store, ctx);
      let appName: string | undefined;
      if (input.applicationName !== undefined && input.applicationName !== null) {
        appName = existingApplication(scope, applicationName(input.applicationName)).info.applicationName;
      }
      let group: string | undefined;
      if (input.deploymentGroupName !== undefined && input.deploymentGroupName !== null) {
        if (appName === undefined) throw errors.applicationNameRequired();
        group = groupName(input.deploymentGroupName);
        if (!scope.groups.get(appName)?.has(group)) throw errors.groupNotFound(group);
      }
      const statuses = input.includeOnlyStatuses ?? [];
      const after = input.createTimeRange?.start ? new Date(input.createTimeRange.start).getTime() : -Infinity;
      const before = input.createTimeRange?.end ? new Date(input.createTimeRange.end).getTime() : Infinity;
      // Newest first, as CodeDeploy lists them.
      const ids = [...scope.deployments.values()]
        .filter((d) => (appName === undefined || d.info.applicationName === appName) && (group === undefined || d.info.deploymentGroupName === group))
        .filter((d) => statuses.length === 0 || statuses.includes(d.info.status))
        .filter((d) => d.info.createTime.getTime() >= after && d.info.createTime.getTime() <= before)
        .reverse()
        .map((d) => d.info.deploymentId);
      let start = 0;
      if (input.nextToken !== undefined && input.nextToken !== null) {
        start = ids.indexOf(Buffer.from(input.nextToken, 'base64url').toString('utf8')) + 1;
        if (start === 0) throw errors.invalidNextToken();
      }
      const items = ids.slice(start, start + PAGE_SIZE);
      const last = items.at(-1);
      return { deployments: items, ...(start + PAGE_SIZE < ids.length && last ? { nextToken: Buffer.from(last, 'utf8').toString('base64url') } : {}) };
    },
  };
}

/** previousRevision: the group's last successful revision, absent before the group's first success. */
function withPrevious(revision: RevisionLocation | undefined): { previousRevision?: RevisionLocation } {
  return revision ? { previousRevision: revision } : {};
}
