import type { ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import { RolloutError, systemError } from '../spec/errors.js';
import type { ServiceEventRecord } from './events.js';
import { LOCK_TAG, parseLock, type DeployLock } from './deploy-lock.js';
import type { Ports } from './ports.js';
import { RevisionNames } from './revision-names.js';
import { deploymentToShow, serviceDeploymentDetail, type ServiceDeploymentDetail } from './service-deployment-detail.js';
import { readCodeDeployStatus, type CodeDeployStatus } from './codedeploy/status.js';

export interface DeploymentStatus {
  id: string;
  status: string;
  taskDefinitionArn: string;
  rolloutState: string | undefined;
  reason: string | undefined;
  desired: number;
  pending: number;
  running: number;
  failed: number;
  createdAt: string | undefined;
  updatedAt: string | undefined;
}

export interface ServiceDeploymentStatus {
  arn: string;
  status: string | undefined;
  reason: string | undefined;
  targetRevisionArn: string | undefined;
  createdAt: string | undefined;
  finishedAt: string | undefined;
}

export interface ServiceStatus {
  cluster: string;
  service: string;
  status: string;
  taskDefinitionArn: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  deployments: DeploymentStatus[];
  /** Newest first. */
  events: ServiceEventRecord[];
  /** Undefined when the endpoint does not offer service deployments. */
  serviceDeployments: ServiceDeploymentStatus[] | undefined;
  /**
   * The service deployment in progress (else the most recent one) in detail:
   * strategy, stage, weights per revision, hooks. Undefined when there is none
   * or the endpoint does not describe service deployments.
   */
  serviceDeployment: ServiceDeploymentDetail | undefined;
  /** The deploy lock on the service (deploy-lock.ts), and whether it has expired; undefined when none. */
  lock: (DeployLock & { expired: boolean }) | undefined;
  /** A CODE_DEPLOY service: its CodeDeploy deployment group and newest deployment; undefined for other services. */
  codeDeploy?: CodeDeployStatus | undefined;
}

export const STATUS_EVENT_LIMIT = 10;

/** What a service is doing now, as ECS shows it. */
export async function getServiceStatus(
  ports: Ports, request: { cluster: string; service: string; codeDeploy?: { application?: string | undefined; deploymentGroup?: string | undefined } | undefined }, signal?: AbortSignal,
): Promise<ServiceStatus> {
  const { cluster, service: name } = request;
  const doing = `describe service ${name} in cluster ${cluster}`;
  let service;
  try {
    service = await ports.ecs.findService(cluster, name, signal);
  } catch (err) {
    throw systemError(doing, err);
  }
  if (!service) {
    const clusterFound = await ports.ecs.findCluster(cluster, signal).catch((err: unknown) => Promise.reject(systemError(doing, err)));
    if (!clusterFound) throw new RolloutError('InvalidArguments', `cluster ${cluster} does not exist (DescribeClusters reports it MISSING); check --cluster and --region`);
    throw new RolloutError('InvalidArguments', `service ${name} does not exist in cluster ${cluster}; check --service`);
  }
  let serviceDeployments: ServiceDeploymentBrief[] | undefined;
  try {
    serviceDeployments = await ports.ecs.listServiceDeployments(cluster, name, signal);
  } catch {
    // Detail only: a service without service deployments still has a status.
    serviceDeployments = undefined;
  }
  const serviceDeployment = await describeDeployment(ports, cluster, serviceDeployments ?? [], signal);
  const lock = await readLock(ports, service.serviceArn, signal);
  const codeDeploy = service.deploymentController?.type === 'CODE_DEPLOY' && ports.codeDeploy ? await readCodeDeployStatus(ports.codeDeploy, request, signal) : undefined;
  return {
    cluster,
    service: name,
    status: service.status ?? 'UNKNOWN',
    taskDefinitionArn: service.taskDefinition ?? '',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    deployments: (service.deployments ?? []).map((d) => ({
      id: d.id ?? '',
      status: d.status ?? 'UNKNOWN',
      taskDefinitionArn: d.taskDefinition ?? '',
      rolloutState: d.rolloutState,
      reason: d.rolloutStateReason,
      desired: d.desiredCount ?? 0,
      pending: d.pendingCount ?? 0,
      running: d.runningCount ?? 0,
      failed: d.failedTasks ?? 0,
      createdAt: d.createdAt?.toISOString(),
      updatedAt: d.updatedAt?.toISOString(),
    })),
    events: (service.events ?? []).slice(0, STATUS_EVENT_LIMIT).map((e) => ({ id: e.id ?? '', createdAt: e.createdAt?.toISOString() ?? '', message: e.message ?? '' })),
    serviceDeployments: serviceDeployments?.map((d) => ({
      arn: d.serviceDeploymentArn ?? '',
      status: d.status,
      reason: d.statusReason,
      targetRevisionArn: d.targetServiceRevisionArn,
      createdAt: d.createdAt?.toISOString(),
      finishedAt: d.finishedAt?.toISOString(),
    })),
    serviceDeployment,
    lock,
    ...(codeDeploy ? { codeDeploy } : {}),
  };
}

async function readLock(ports: Ports, serviceArn: string | undefined, signal: AbortSignal | undefined): Promise<ServiceStatus['lock']> {
  if (!ports.services || !serviceArn) return undefined;
  try {
    const lock = parseLock((await ports.services.readTags(serviceArn, signal)).find((t) => t.key === LOCK_TAG)?.value);
    return lock ? { ...lock, expired: Date.parse(lock.expires) <= Date.now() } : undefined;
  } catch (err) {
    if (signal?.aborted) throw err;
    // Detail only: the service's status stands without it.
    return undefined;
  }
}

async function describeDeployment(ports: Ports, cluster: string, briefs: readonly ServiceDeploymentBrief[], signal: AbortSignal | undefined): Promise<ServiceDeploymentDetail | undefined> {
  const arn = deploymentToShow(briefs)?.serviceDeploymentArn;
  if (!arn) return undefined;
  try {
    const sd = await ports.ecs.readServiceDeployment(cluster, arn, signal);
    if (!sd) return undefined;
    const revisions = [sd.targetServiceRevision?.arn, ...(sd.sourceServiceRevisions ?? []).map((r) => r.arn)].filter((a): a is string => a !== undefined);
    const names = await new RevisionNames(ports.ecs).lookUp(revisions, signal);
    return serviceDeploymentDetail(sd, names);
  } catch (err) {
    if (signal?.aborted) throw err;
    // Detail only, as the list above: the service's status stands without it.
    return undefined;
  }
}
