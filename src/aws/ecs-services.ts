import {
  ContinueServiceDeploymentCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DesiredStatus,
  type ECSClient,
  type RegisterTaskDefinitionRequest,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type ServiceRevision,
  type Tag,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { EcsPort, StartDeploymentRequest } from '../engine/ports.js';
import { isUnsupportedOperation } from './unsupported.js';

/** DescribeTasks takes at most this many tasks per call. */
const DESCRIBE_TASKS_BATCH = 100;
/** DescribeServiceRevisions takes at most this many ARNs per call. */
const DESCRIBE_SERVICE_REVISIONS_BATCH = 20;
/** Service deployments looked at for status and to find the one we started. */
const RECENT_SERVICE_DEPLOYMENTS = 20;
/** ListServiceDeployments takes at most 100 per page; DescribeServiceDeployments at most 20 ARNs. */
const LIST_SERVICE_DEPLOYMENTS_PAGE = 100;
const DESCRIBE_SERVICE_DEPLOYMENTS_BATCH = 20;

/** The engine's ECS port over an SDK v3 ECS client. */
export class EcsServices implements EcsPort {
  constructor(private readonly ecs: ECSClient) {}

  async findCluster(cluster: string, signal?: AbortSignal) {
    const out = await this.ecs.send(new DescribeClustersCommand({ clusters: [cluster] }), { abortSignal: signal });
    const found = out.clusters?.[0];
    return found ? { clusterArn: found.clusterArn ?? '', status: found.status ?? 'UNKNOWN' } : undefined;
  }

  async findService(cluster: string, service: string, signal?: AbortSignal): Promise<Service | undefined> {
    const out = await this.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal: signal });
    return out.services?.[0];
  }

  async readTaskDefinition(taskDefinition: string, signal?: AbortSignal): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] } | undefined> {
    try {
      const out = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }), { abortSignal: signal });
      return out.taskDefinition ? { taskDefinition: out.taskDefinition, tags: out.tags ?? [] } : undefined;
    } catch (err) {
      // ECS answers an unknown task definition with ClientException "Unable to describe task definition."
      if (err instanceof Error && err.name === 'ClientException') return undefined;
      throw err;
    }
  }

  async listRevisions(family: string, signal?: AbortSignal): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', ...(nextToken ? { nextToken } : {}) }), { abortSignal: signal });
      arns.push(...(out.taskDefinitionArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return arns;
  }

  async deregisterRevision(taskDefinitionArn: string, signal?: AbortSignal): Promise<void> {
    await this.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }), { abortSignal: signal });
  }

  async registerRevision(request: RegisterTaskDefinitionRequest, signal?: AbortSignal): Promise<TaskDefinition> {
    const out = await this.ecs.send(new RegisterTaskDefinitionCommand(request), { abortSignal: signal });
    if (!out.taskDefinition) throw new Error('RegisterTaskDefinition returned no task definition');
    return out.taskDefinition;
  }

  async startDeployment(request: StartDeploymentRequest, signal?: AbortSignal): Promise<Service> {
    const out = await this.ecs.send(
      new UpdateServiceCommand({
        cluster: request.cluster,
        service: request.service,
        taskDefinition: request.taskDefinitionArn,
        // Always a new deployment, even when the revision equals the running one.
        forceNewDeployment: true,
        ...(request.desiredCount !== undefined ? { desiredCount: request.desiredCount } : {}),
        ...(request.deploymentConfiguration !== undefined ? { deploymentConfiguration: request.deploymentConfiguration } : {}),
        ...(request.loadBalancers !== undefined ? { loadBalancers: request.loadBalancers } : {}),
      }),
      { abortSignal: signal },
    );
    if (!out.service) throw new Error('UpdateService returned no service');
    return out.service;
  }

  findRunningTasks(cluster: string, service: string, signal?: AbortSignal): Promise<Task[]> {
    return this.listAndDescribe(cluster, { serviceName: service, desiredStatus: 'RUNNING' }, signal);
  }

  findStoppedServiceTasks(cluster: string, service: string, signal?: AbortSignal): Promise<Task[]> {
    return this.listAndDescribe(cluster, { serviceName: service, desiredStatus: 'STOPPED' }, signal);
  }

  findStoppedTasks(cluster: string, deploymentId: string, signal?: AbortSignal): Promise<Task[]> {
    return this.listAndDescribe(cluster, { startedBy: deploymentId, desiredStatus: 'STOPPED' }, signal);
  }

  async readServiceDeployment(cluster: string, serviceDeploymentArn: string, signal?: AbortSignal): Promise<ServiceDeployment | undefined> {
    try {
      const out = await this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }), { abortSignal: signal });
      return out.serviceDeployments?.[0];
    } catch (err) {
      if (isUnsupportedOperation(err)) return undefined;
      throw err;
    }
  }

  async listServiceDeployments(cluster: string, service: string, signal?: AbortSignal, limit = RECENT_SERVICE_DEPLOYMENTS): Promise<ServiceDeploymentBrief[] | undefined> {
    const briefs: ServiceDeploymentBrief[] = [];
    try {
      let nextToken: string | undefined;
      do {
        const maxResults = Math.min(LIST_SERVICE_DEPLOYMENTS_PAGE, limit - briefs.length);
        const out = await this.ecs.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults, ...(nextToken ? { nextToken } : {}) }), { abortSignal: signal });
        briefs.push(...(out.serviceDeployments ?? []));
        nextToken = out.nextToken;
      } while (nextToken && briefs.length < limit);
    } catch (err) {
      if (isUnsupportedOperation(err)) return undefined;
      throw err;
    }
    return briefs.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0)).slice(0, limit);
  }

  async readServiceDeployments(serviceDeploymentArns: readonly string[], signal?: AbortSignal): Promise<ServiceDeployment[] | undefined> {
    const found: ServiceDeployment[] = [];
    try {
      for (let i = 0; i < serviceDeploymentArns.length; i += DESCRIBE_SERVICE_DEPLOYMENTS_BATCH) {
        const batch = serviceDeploymentArns.slice(i, i + DESCRIBE_SERVICE_DEPLOYMENTS_BATCH);
        const out = await this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }), { abortSignal: signal });
        found.push(...(out.serviceDeployments ?? []));
      }
    } catch (err) {
      if (isUnsupportedOperation(err)) return undefined;
      throw err;
    }
    return found;
  }

  async readServiceRevisions(serviceRevisionArns: readonly string[], signal?: AbortSignal): Promise<ServiceRevision[] | undefined> {
    const revisions: ServiceRevision[] = [];
    try {
      for (let i = 0; i < serviceRevisionArns.length; i += DESCRIBE_SERVICE_REVISIONS_BATCH) {
        const batch = serviceRevisionArns.slice(i, i + DESCRIBE_SERVICE_REVISIONS_BATCH);
        const out = await this.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: batch }), { abortSignal: signal });
        revisions.push(...(out.serviceRevisions ?? []));
      }
    } catch (err) {
      if (isUnsupportedOperation(err)) return undefined;
      throw err;
    }
    return revisions;
  }

  async continueServiceDeployment(serviceDeploymentArn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK', signal?: AbortSignal): Promise<void> {
    await this.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action }), { abortSignal: signal });
  }

  async stopServiceDeployment(serviceDeploymentArn: string, stopType: 'ROLLBACK' | 'ABORT', signal?: AbortSignal): Promise<void> {
    await this.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType }), { abortSignal: signal });
  }

  private async listAndDescribe(
    cluster: string,
    filter: { serviceName?: string; startedBy?: string; desiredStatus: DesiredStatus },
    signal: AbortSignal | undefined,
  ): Promise<Task[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.ecs.send(new ListTasksCommand({ cluster, ...filter, nextToken }), { abortSignal: signal });
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const tasks: Task[] = [];
    for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_BATCH) {
      const out = await this.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + DESCRIBE_TASKS_BATCH) }), { abortSignal: signal });
      tasks.push(...(out.tasks ?? []));
    }
    return tasks;
  }
}
