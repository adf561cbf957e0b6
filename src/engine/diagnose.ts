import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs';
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { doing, RolloutError } from '../spec/errors.js';
import type { ServiceEventRecord, StoppedTaskRecord } from './events.js';
import { outcomeOf } from './history.js';
import type { Ports } from './ports.js';
import { newServiceEvents, stoppedTaskRecord } from './progress.js';
import { taskDefinitionLabel } from './revision.js';

/** How many of a failing container's last log lines a diagnosis shows. */
export const LOG_TAIL_LINES = 20;

export interface UnhealthyTarget {
  targetGroupArn: string;
  target: string;
  state: string;
  reason: string | undefined;
  description: string | undefined;
}

export interface ContainerLogTail {
  taskArn: string;
  container: string;
  group: string;
  stream: string;
  lines: string[];
}

/** What explains a failure beyond the events and the stopped tasks: failing health checks and the failing containers' last words. */
export interface FailureDetail {
  unhealthyTargets: UnhealthyTarget[];
  logs: ContainerLogTail[];
}

export interface Diagnosis extends FailureDetail {
  cluster: string;
  service: string;
  /** The latest service deployment: what it deployed and how it stands. */
  deployment: { serviceDeploymentArn: string; status: string; outcome: string; revision: string; startedAt: string | undefined; reason: string | undefined } | undefined;
  /** Service events since that deployment started, oldest first. */
  events: ServiceEventRecord[];
  stoppedTasks: StoppedTaskRecord[];
}

/** The awslogs stream a container of a task writes to: PREFIX/CONTAINER/TASK-ID. Pure. */
export function awslogsStream(container: ContainerDefinition, taskArn: string): { group: string; stream: string; region: string | undefined } | undefined {
  const options = container.logConfiguration?.logDriver === 'awslogs' ? container.logConfiguration.options : undefined;
  const group = options?.['awslogs-group'];
  const prefix = options?.['awslogs-stream-prefix'];
  if (!group || !prefix || !container.name) return undefined;
  return { group, stream: `${prefix}/${container.name}/${taskArn.split('/').pop() ?? ''}`, region: options['awslogs-region'] };
}

/** Targets that are not healthy, with ELB's reason. Pure. */
export function unhealthyTargets(targetGroupArn: string, health: readonly TargetHealthDescription[]): UnhealthyTarget[] {
  return health
    .filter((h) => h.TargetHealth?.State !== 'healthy')
    .map((h) => ({
      targetGroupArn,
      target: `${h.Target?.Id ?? '?'}:${h.Target?.Port ?? '?'}`,
      state: h.TargetHealth?.State ?? 'unknown',
      reason: h.TargetHealth?.Reason,
      description: h.TargetHealth?.Description,
    }));
}

/**
 * The failing health checks of the service's target groups, and the last log
 * lines of each stopped task's containers that failed (a non-zero exit or a
 * reason), where they log with awslogs. Detail only: what cannot be read is
 * left out rather than failing the report.
 */
export async function failureDetail(ports: Ports, loadBalancerTargetGroups: readonly string[], stopped: readonly StoppedTaskRecord[], signal?: AbortSignal): Promise<FailureDetail> {
  const detail: FailureDetail = { unhealthyTargets: [], logs: [] };
  for (const arn of loadBalancerTargetGroups) {
    const health = await ports.loadBalancers?.readTargetHealth(arn, signal).catch(() => undefined);
    if (health) detail.unhealthyTargets.push(...unhealthyTargets(arn, health));
  }
  const logs = ports.logs;
  if (!logs) return detail;
  const definitions = new Map<string, TaskDefinition | undefined>();
  for (const task of stopped) {
    const arn = task.taskDefinitionArn;
    if (!arn) continue;
    if (!definitions.has(arn)) definitions.set(arn, (await ports.ecs.readTaskDefinition(arn, signal).catch(() => undefined))?.taskDefinition);
    for (const container of task.containers) {
      const failed = (container.exitCode !== undefined && container.exitCode !== 0) || container.reason !== undefined;
      const definition = definitions.get(arn)?.containerDefinitions?.find((c) => c.name === container.name);
      const where = definition && failed ? awslogsStream(definition, task.taskArn) : undefined;
      if (!where) continue;
      const lines = await logs.tail(where.group, where.stream, where.region, LOG_TAIL_LINES, signal).catch(() => undefined);
      if (lines?.length) detail.logs.push({ taskArn: task.taskArn, container: container.name, group: where.group, stream: where.stream, lines });
    }
  }
  return detail;
}

/**
 * Why the service's latest deployment stands as it does, without the
 * console: its status and reason, the service events since it started, the
 * stopped tasks with their reasons, stop codes and exit codes, failing
 * health checks, and the failing containers' last log lines.
 */
export async function diagnoseService(ports: Ports, target: { cluster: string; service: string }, signal?: AbortSignal): Promise<Diagnosis> {
  const { cluster, service: name } = target;
  const service = await doing(`describe service ${name} in cluster ${cluster}`, () => ports.ecs.findService(cluster, name, signal));
  if (!service) throw new RolloutError('InvalidArguments', `service ${name} does not exist in cluster ${cluster}; check --cluster and --service`);
  const latest = (await doing(`list the service deployments of service ${name}`, () => ports.ecs.listServiceDeployments(cluster, name, signal, 1)))?.[0];
  const since = (latest?.startedAt ?? latest?.createdAt)?.getTime() ?? 0;
  const revision = latest?.targetServiceRevisionArn
    ? (await ports.ecs.readServiceRevisions([latest.targetServiceRevisionArn], signal).catch(() => undefined))?.[0]?.taskDefinition
    : undefined;
  const stopped = (await doing(`list the stopped tasks of service ${name}`, () => ports.ecs.findStoppedServiceTasks(cluster, name, signal)))
    .filter((t) => (t.stoppedAt?.getTime() ?? 0) >= since)
    .map(stoppedTaskRecord);
  const groups = (service.loadBalancers ?? []).flatMap((lb) => [lb.targetGroupArn, lb.advancedConfiguration?.alternateTargetGroupArn]).filter((a): a is string => a !== undefined);
  const detail = await failureDetail(ports, [...new Set(groups)], stopped, signal);
  return {
    cluster,
    service: name,
    deployment: latest?.serviceDeploymentArn
      ? {
          serviceDeploymentArn: latest.serviceDeploymentArn,
          status: latest.status ?? 'UNKNOWN',
          outcome: outcomeOf(latest.status),
          revision: revision ? taskDefinitionLabel(revision) : '(unknown revision)',
          startedAt: (latest.startedAt ?? latest.createdAt)?.toISOString(),
          reason: latest.statusReason,
        }
      : undefined,
    events: newServiceEvents(service.events ?? [], since, new Set()),
    stoppedTasks: stopped,
    ...detail,
  };
}
