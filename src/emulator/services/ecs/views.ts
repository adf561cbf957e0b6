import type {
  Cluster, Container, Deployment, Service, ServiceDeployment, ServiceDeploymentBrief, ServiceRevisionSummary, Task, TaskSet,
} from '@aws-sdk/client-ecs';
import { taskSetDesiredCount } from '../../runtime/scheduler/task-set-scheduler.js';
import { liveTasksOf, serviceTasks } from './deployment-records.js';
import type { EcsScopeState, StoredCluster, StoredService, StoredServiceDeployment, StoredTask, StoredTaskSet } from './model.js';

/** Records as the ECS API returns them. Counts are read from the tasks at the time of the call. */

const isRunning = (t: StoredTask): boolean => t.lastStatus === 'RUNNING';
const isPending = (t: StoredTask): boolean => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(t.lastStatus);

export function clusterView(state: EcsScopeState, cluster: StoredCluster, withTags: boolean): Cluster {
  const tasks = [...state.tasks.values()].filter((t) => t.clusterName === cluster.clusterName && t.lastStatus !== 'STOPPED');
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter(isRunning).length,
    pendingTasksCount: tasks.filter(isPending).length,
    activeServicesCount: [...state.services.values()].filter((s) => s.clusterName === cluster.clusterName && s.status === 'ACTIVE').length,
    statistics: [],
    tags: withTags ? cluster.tags : undefined,
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

export function serviceView(state: EcsScopeState, service: StoredService, withTags: boolean): Service {
  const tasks = serviceTasks(state, service);
  const deployments: Deployment[] = service.deployments
    .filter((d) => d.status !== 'INACTIVE')
    .map((d) => {
      const own = tasks.filter((t) => t.startedBy === d.id);
      return {
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        desiredCount: d.status === 'PRIMARY' ? service.desiredCount : d.desiredCount,
        pendingCount: own.filter(isPending).length,
        runningCount: own.filter(isRunning).length,
        failedTasks: d.failedTasks,
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
        launchType: d.launchType,
        platformVersion: d.launchType === 'FARGATE' ? '1.4.0' : undefined,
        platformFamily: d.launchType === 'FARGATE' ? 'Linux' : undefined,
        networkConfiguration: d.networkConfiguration,
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
      };
    });
  const revisions = new Map<string, { arn: string; requestedTaskCount: number; runningTaskCount: number; pendingTaskCount: number }>();
  for (const d of service.deployments.filter((x) => x.status !== 'INACTIVE')) {
    const own = tasks.filter((t) => t.startedBy === d.id);
    const entry = revisions.get(d.serviceRevisionArn) ?? { arn: d.serviceRevisionArn, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 };
    entry.requestedTaskCount += d.status === 'PRIMARY' ? service.desiredCount : d.desiredCount;
    entry.runningTaskCount += own.filter(isRunning).length;
    entry.pendingTaskCount += own.filter(isPending).length;
    revisions.set(d.serviceRevisionArn, entry);
  }
  return {
    serviceArn: service.serviceArn,
    serviceName: service.serviceName,
    clusterArn: service.clusterArn,
    loadBalancers: service.loadBalancers,
    serviceRegistries: service.serviceRegistries,
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: tasks.filter(isRunning).length,
    pendingCount: tasks.filter(isPending).length,
    launchType: service.launchType,
    platformVersion: service.launchType === 'FARGATE' ? 'LATEST' : undefined,
    platformFamily: service.launchType === 'FARGATE' ? 'Linux' : undefined,
    taskDefinition: service.taskDefinition,
    deploymentConfiguration: service.deploymentConfiguration,
    // EXTERNAL and CODE_DEPLOY services have task sets instead of deployments.
    ...(service.deploymentController.type === 'EXTERNAL' || service.deploymentController.type === 'CODE_DEPLOY'
      ? { taskSets: (service.taskSets ?? []).map((ts) => taskSetView(state, service, ts, false)) }
      : { deployments }),
    events: service.events,
    createdAt: service.createdAt,
    currentServiceDeployment: service.currentServiceDeployment,
    currentServiceRevisions: [...revisions.values()],
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: service.networkConfiguration,
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: 'REPLICA',
    deploymentController: service.deploymentController,
    tags: withTags ? service.tags : undefined,
    createdBy: service.createdBy,
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    enableExecuteCommand: service.enableExecuteCommand,
    availabilityZoneRebalancing: 'DISABLED',
  };
}

export function taskSetView(state: EcsScopeState, service: StoredService, taskSet: StoredTaskSet, withTags: boolean): TaskSet {
  const own = serviceTasks(state, service).filter((t) => t.startedBy === taskSet.id && t.desiredStatus === 'RUNNING');
  return {
    id: taskSet.id,
    taskSetArn: taskSet.taskSetArn,
    serviceArn: service.serviceArn,
    clusterArn: service.clusterArn,
    externalId: taskSet.externalId,
    status: taskSet.status,
    taskDefinition: taskSet.taskDefinition,
    computedDesiredCount: taskSetDesiredCount(service, taskSet),
    pendingCount: own.filter(isPending).length,
    runningCount: own.filter(isRunning).length,
    createdAt: taskSet.createdAt,
    updatedAt: taskSet.updatedAt,
    launchType: taskSet.launchType,
    platformVersion: taskSet.launchType === 'FARGATE' ? '1.4.0' : undefined,
    platformFamily: taskSet.launchType === 'FARGATE' ? 'Linux' : undefined,
    networkConfiguration: taskSet.networkConfiguration,
    loadBalancers: taskSet.loadBalancers,
    serviceRegistries: [],
    scale: taskSet.scale,
    stabilityStatus: taskSet.stabilityStatus,
    stabilityStatusAt: taskSet.stabilityStatusAt,
    tags: withTags ? taskSet.tags : undefined,
  };
}

export function taskView(task: StoredTask, withTags: boolean): Task {
  const containers: Container[] = task.containers.map((c) => ({
    containerArn: c.containerArn,
    taskArn: task.taskArn,
    name: c.name,
    image: c.image,
    imageDigest: c.imageDigest,
    runtimeId: c.runtimeId,
    lastStatus: c.lastStatus,
    exitCode: c.exitCode,
    reason: c.reason,
    networkBindings: c.networkBindings,
    networkInterfaces: [],
    healthStatus: c.healthStatus,
    cpu: c.cpu,
    memory: c.memory,
    memoryReservation: c.memoryReservation,
  }));
  return {
    attachments: [],
    attributes: [],
    availabilityZone: undefined,
    clusterArn: task.clusterArn,
    connectivity: task.connectivityAt ? 'CONNECTED' : undefined,
    connectivityAt: task.connectivityAt,
    containers,
    cpu: task.cpu,
    createdAt: task.createdAt,
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: false,
    executionStoppedAt: task.executionStoppedAt,
    group: task.group,
    healthStatus: task.healthStatus,
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    memory: task.memory,
    overrides: { containerOverrides: task.containers.map((c) => ({ name: c.name })), inferenceAcceleratorOverrides: [] },
    pullStartedAt: task.pullStartedAt,
    pullStoppedAt: task.pullStoppedAt,
    startedAt: task.startedAt,
    startedBy: task.startedBy,
    stopCode: task.stopCode as Task['stopCode'],
    stoppedAt: task.stoppedAt,
    stoppedReason: task.stoppedReason,
    stoppingAt: task.stoppingAt,
    tags: withTags ? task.tags : undefined,
    taskArn: task.taskArn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: task.version,
  };
}

function revisionSummary(state: EcsScopeState, service: StoredService | undefined, arn: string): ServiceRevisionSummary {
  const summary: ServiceRevisionSummary = { arn, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 };
  if (!service) return summary;
  for (const d of service.deployments.filter((x) => x.serviceRevisionArn === arn && x.status !== 'INACTIVE')) {
    const own = liveTasksOf(state, service, d.id);
    summary.requestedTaskCount = (summary.requestedTaskCount ?? 0) + (d.status === 'PRIMARY' ? service.desiredCount : d.desiredCount);
    summary.runningTaskCount = (summary.runningTaskCount ?? 0) + own.filter(isRunning).length;
    summary.pendingTaskCount = (summary.pendingTaskCount ?? 0) + own.filter(isPending).length;
  }
  return summary;
}

export function serviceDeploymentView(state: EcsScopeState, record: StoredServiceDeployment): ServiceDeployment {
  const service = [...state.services.values()].find((s) => s.serviceArn === record.serviceArn);
  const progress = record.progress;
  const target = revisionSummary(state, service, record.targetServiceRevisionArn);
  const sources = record.sourceServiceRevisionArns.map((arn) => revisionSummary(state, service, arn));
  if (progress) {
    target.requestedProductionTrafficWeight = progress.productionPercent;
    target.requestedTestTrafficWeight = progress.testPercent;
    for (const source of sources) {
      source.requestedProductionTrafficWeight = 100 - progress.productionPercent;
      source.requestedTestTrafficWeight = 100 - progress.testPercent;
    }
  }
  return {
    serviceDeploymentArn: record.serviceDeploymentArn,
    serviceArn: record.serviceArn,
    clusterArn: record.clusterArn,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    stoppedAt: record.stoppedAt,
    updatedAt: record.updatedAt,
    sourceServiceRevisions: sources,
    targetServiceRevision: target,
    status: record.status,
    // PRE_PRODUCTION_TRAFFIC_SHIFT is documented as a stage but missing from the SDK's enum.
    lifecycleStage: progress?.stage as ServiceDeployment['lifecycleStage'],
    lifecycleHookDetails: progress?.hooks.map((h) => ({
      hookId: h.hookId, targetType: h.targetType, ...(h.targetArn ? { targetArn: h.targetArn } : {}), status: h.status, expiresAt: h.expiresAt, timeoutAction: h.timeoutAction,
    })),
    statusReason: record.statusReason,
    deploymentConfiguration: record.deploymentConfiguration,
    rollback: record.rollback,
    deploymentCircuitBreaker: record.deploymentCircuitBreaker,
    alarms: record.alarms ?? { status: 'DISABLED' },
  };
}

export function serviceDeploymentBrief(record: StoredServiceDeployment): ServiceDeploymentBrief {
  return {
    serviceDeploymentArn: record.serviceDeploymentArn,
    serviceArn: record.serviceArn,
    clusterArn: record.clusterArn,
    startedAt: record.startedAt,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
    targetServiceRevisionArn: record.targetServiceRevisionArn,
    status: record.status,
    statusReason: record.statusReason,
  };
}
