import type { DeploymentAlarms, ServiceDeploymentAlarms } from '@aws-sdk/client-ecs';
import { circuitBreakerThreshold } from '../../runtime/scheduler/decisions.js';
import { newDeploymentId, newNumericId, serviceDeploymentArn, serviceRevisionArn } from './arns.js';
import { rolloutReasons, serviceDeploymentReasons } from './catalogue.js';
import type { EcsScopeState, StoredDeployment, StoredService, StoredServiceDeployment, StoredTask } from './model.js';
import type { Scope } from './store.js';

/** How many deployments a service keeps as history (rollback targets) besides the visible ones. */
const HISTORY_LIMIT = 20;

/** Tasks of a service that are not STOPPED yet. */
export function serviceTasks(state: EcsScopeState, service: StoredService): StoredTask[] {
  return [...state.tasks.values()].filter(
    (t) => t.clusterName === service.clusterName && t.serviceName === service.serviceName && t.lastStatus !== 'STOPPED',
  );
}

export function liveTasksOf(state: EcsScopeState, service: StoredService, deploymentId: string): StoredTask[] {
  return serviceTasks(state, service).filter((t) => t.startedBy === deploymentId && t.desiredStatus === 'RUNNING');
}

export function primaryOf(service: StoredService): StoredDeployment | undefined {
  return service.deployments.find((d) => d.status === 'PRIMARY');
}

/**
 * A new PRIMARY deployment (CreateService, UpdateService that changes what
 * runs, forceNewDeployment, or a circuit-breaker rollback). The previous
 * PRIMARY becomes ACTIVE and keeps the tasks it has; the scheduler scales it in.
 */
export function startDeployment(
  scope: Scope,
  state: EcsScopeState,
  service: StoredService,
  now: Date,
  options: { rollbackTo?: StoredDeployment; rollbackCause?: string } = {},
): StoredDeployment {
  const previous = primaryOf(service);
  const rollbackTo = options.rollbackTo;
  const id = newDeploymentId();

  for (const d of service.deployments) {
    if (d.status !== 'PRIMARY') continue;
    d.status = 'ACTIVE';
    d.desiredCount = liveTasksOf(state, service, d.id).length;
    d.updatedAt = now;
  }

  let revisionArn: string;
  if (rollbackTo) {
    revisionArn = rollbackTo.serviceRevisionArn;
  } else {
    revisionArn = serviceRevisionArn(scope, service.clusterName, service.serviceName, newNumericId());
    state.serviceRevisions.set(revisionArn, {
      serviceRevisionArn: revisionArn,
      serviceArn: service.serviceArn,
      clusterArn: service.clusterArn,
      taskDefinition: service.taskDefinition,
      launchType: service.launchType,
      loadBalancers: service.loadBalancers,
      serviceRegistries: service.serviceRegistries,
      networkConfiguration: service.networkConfiguration,
      containerImages: containerImagesOf(state, service.taskDefinition),
      createdAt: now,
    });
  }

  let serviceDeploymentArnValue: string;
  const failedRecord = previous ? state.serviceDeployments.get(previous.serviceDeploymentArn) : undefined;
  if (rollbackTo && failedRecord) {
    // ECS shows a circuit-breaker rollback on the failed service deployment itself.
    failedRecord.status = 'ROLLBACK_IN_PROGRESS';
    failedRecord.statusReason = rolloutReasons.rollingBack(rollbackTo.id, options.rollbackCause);
    failedRecord.rollback = { reason: serviceDeploymentReasons.rollbackReason, startedAt: now, serviceRevisionArn: revisionArn };
    failedRecord.rollbackDeploymentId = id;
    failedRecord.updatedAt = now;
    serviceDeploymentArnValue = failedRecord.serviceDeploymentArn;
  } else {
    for (const record of state.serviceDeployments.values()) {
      if (record.serviceArn !== service.serviceArn) continue;
      if (record.status !== 'IN_PROGRESS' && record.status !== 'PENDING' && record.status !== 'ROLLBACK_IN_PROGRESS') continue;
      record.status = 'STOPPED';
      record.statusReason = serviceDeploymentReasons.superseded(id);
      record.stoppedAt = now;
      record.updatedAt = now;
    }
    serviceDeploymentArnValue = serviceDeploymentArn(scope, service.clusterName, service.serviceName, newNumericId());
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    const record: StoredServiceDeployment = {
      serviceDeploymentArn: serviceDeploymentArnValue,
      serviceArn: service.serviceArn,
      clusterArn: service.clusterArn,
      deploymentId: id,
      createdAt: now,
      startedAt: now,
      finishedAt: undefined,
      stoppedAt: undefined,
      updatedAt: now,
      sourceServiceRevisionArns: [
        ...new Set(service.deployments.filter((d) => d.status !== 'INACTIVE').map((d) => d.serviceRevisionArn)),
      ],
      targetServiceRevisionArn: revisionArn,
      status: 'IN_PROGRESS',
      statusReason: undefined,
      deploymentConfiguration: service.deploymentConfiguration,
      rollback: undefined,
      rollbackDeploymentId: undefined,
      deploymentCircuitBreaker: {
        status: breaker?.enable ? 'MONITORING' : 'DISABLED',
        failureCount: 0,
        threshold: circuitBreakerThreshold(service.desiredCount, breaker?.thresholdConfiguration),
      },
      alarms: deploymentAlarms(service.deploymentConfiguration.alarms),
    };
    state.serviceDeployments.set(record.serviceDeploymentArn, record);
  }

  const deployment: StoredDeployment = {
    id,
    status: 'PRIMARY',
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    launchType: service.launchType,
    networkConfiguration: service.networkConfiguration,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: rollbackTo ? rolloutReasons.rollingBack(rollbackTo.id, options.rollbackCause) : rolloutReasons.inProgress(id),
    serviceRevisionArn: revisionArn,
    serviceDeploymentArn: serviceDeploymentArnValue,
  };
  service.deployments.unshift(deployment);
  service.currentServiceDeployment = serviceDeploymentArnValue;
  service.steadyAnnouncedAt = undefined;
  pruneHistory(service);
  return deployment;
}

function pruneHistory(service: StoredService): void {
  const visible = service.deployments.filter((d) => d.status !== 'INACTIVE');
  const history = service.deployments.filter((d) => d.status === 'INACTIVE').slice(0, HISTORY_LIMIT);
  service.deployments = [...visible, ...history].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

function containerImagesOf(state: EcsScopeState, taskDefinitionArn: string): Array<{ containerName: string; image: string }> {
  const match = /task-definition\/([^:]+):(\d+)$/.exec(taskDefinitionArn);
  const def = match ? state.taskDefinitions.get(match[1] ?? '')?.[Number(match[2]) - 1]?.definition : undefined;
  return (def?.containerDefinitions ?? []).map((c) => ({ containerName: c.name ?? '', image: c.image ?? '' }));
}

/** The service deployment's alarm monitor as it starts: MONITORING when enabled. */
function deploymentAlarms(config: DeploymentAlarms | undefined): ServiceDeploymentAlarms {
  if (!config?.enable) return { status: 'DISABLED' };
  return { status: 'MONITORING', alarmNames: [...(config.alarmNames ?? [])] };
}
