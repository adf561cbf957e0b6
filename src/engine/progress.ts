import type { Deployment, ServiceEvent, Task } from '@aws-sdk/client-ecs';
import type { RevisionProgress, ServiceEventRecord, StoppedTaskRecord } from './events.js';

/** Counts per deployment; `tasks` (described running tasks) fills in health when known. */
export function summarizeRevisions(deployments: readonly Deployment[], tasks: readonly Task[] | undefined): RevisionProgress[] {
  return deployments.map((d) => ({
    deploymentId: d.id ?? '',
    status: d.status ?? 'UNKNOWN',
    taskDefinitionArn: d.taskDefinition ?? '',
    rolloutState: d.rolloutState,
    desired: d.desiredCount ?? 0,
    pending: d.pendingCount ?? 0,
    running: d.runningCount ?? 0,
    healthy: tasks === undefined ? undefined : tasks.filter((t) => t.startedBy === d.id && isHealthy(t)).length,
    failed: d.failedTasks ?? 0,
  }));
}

/**
 * A running task counts as healthy unless a health check says otherwise:
 * ECS reports UNKNOWN for tasks without container health checks, and load
 * balancer health is not on the task (ECS stops tasks that fail it).
 */
export function isHealthy(task: Task): boolean {
  return task.lastStatus === 'RUNNING' && task.healthStatus !== 'UNHEALTHY';
}

/** Changes exactly when some deployment's task counts change: then tasks are worth describing. */
export function taskCountsKey(deployments: readonly Deployment[]): string {
  return deployments.map((d) => `${d.id}:${d.desiredCount}/${d.pendingCount}/${d.runningCount}/${d.failedTasks}`).join(',');
}

export function progressKey(revisions: readonly RevisionProgress[]): string {
  return JSON.stringify(revisions);
}

export function stoppedTaskRecord(task: Task): StoppedTaskRecord {
  return {
    taskArn: task.taskArn ?? '',
    taskDefinitionArn: task.taskDefinitionArn,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    stoppedAt: task.stoppedAt?.toISOString(),
    containers: (task.containers ?? []).map((c) => ({ name: c.name ?? '', exitCode: c.exitCode, reason: c.reason })),
  };
}

/** Service events created at or after `since` that we have not reported, oldest first. */
export function newServiceEvents(events: readonly ServiceEvent[], since: number, seen: ReadonlySet<string>): ServiceEventRecord[] {
  return events
    .filter((e) => e.id !== undefined && !seen.has(e.id) && (e.createdAt?.getTime() ?? 0) >= since)
    .map((e) => ({ id: e.id ?? '', createdAt: (e.createdAt ?? new Date(0)).toISOString(), message: e.message ?? '' }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
