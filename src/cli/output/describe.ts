import type { RevisionProgress, RolloutEvent, StoppedTaskRecord } from '../../engine/events.js';
import { taskDefinitionLabel } from '../../engine/revision.js';
import { formatDuration } from '../../spec/duration.js';

/** One line of text per event, shared by the plain and live renderers. */
export function describeEvent(event: RolloutEvent): string {
  switch (event.type) {
    case 'preflight-passed':
      return `preflight ok: ${event.message}`;
    case 'preflight-failed':
      return `preflight FAILED: ${event.message}`;
    case 'revision-planned':
      return `dry run: would register a new revision of ${event.family} from ${taskDefinitionLabel(event.basedOn)}: container ${event.container} ${event.previousImage} -> ${event.image}`;
    case 'revision-registered':
      return `registered ${taskDefinitionLabel(event.taskDefinitionArn)}: container ${event.container} ${event.previousImage} -> ${event.image}`;
    case 'service-updated':
      return `updated service ${event.service}: deployment ${event.deploymentId} of ${taskDefinitionLabel(event.taskDefinitionArn)} started${event.desiredCount !== undefined ? ` (desired count ${event.desiredCount})` : ''}`;
    case 'deployment-progress':
      return `progress ${event.deploymentId}${event.rolloutState ? ` ${event.rolloutState}` : ''}: ${event.revisions.map(describeRevision).join('; ')}`;
    case 'service-event':
      return `ecs: ${event.message}`;
    case 'task-stopped':
      return describeStoppedTask(event);
    case 'deployment-completed':
      return `deployment ${event.deploymentId} completed: ${taskDefinitionLabel(event.taskDefinitionArn)} is running`;
    case 'deployment-failed':
      return `deployment ${event.deploymentId} FAILED: ${event.reason}`;
    case 'rollback-started':
      return `ECS is rolling back to ${taskDefinitionLabel(event.taskDefinitionArn)} (deployment ${event.rollbackDeploymentId})`;
    case 'deployment-rolled-back':
      return `rolled back: deployment ${event.rollbackDeploymentId} completed`;
    case 'deployment-timed-out':
      return `timed out after ${formatDuration(event.timeoutMs)} following deployment ${event.deploymentId}; it keeps going in ECS`;
  }
}

export function describeRevision(r: RevisionProgress): string {
  const health = r.healthy === undefined ? '' : `, ${r.healthy} healthy`;
  const failed = r.failed > 0 ? `, ${r.failed} failed` : '';
  return `${taskDefinitionLabel(r.taskDefinitionArn)} ${r.status} ${r.running}/${r.desired} running, ${r.pending} pending${health}${failed}`;
}

export function describeStoppedTask(task: StoppedTaskRecord): string {
  const id = task.taskArn.slice(task.taskArn.lastIndexOf('/') + 1);
  const exits = task.containers
    .filter((c) => c.exitCode !== undefined || c.reason !== undefined)
    .map((c) => [c.name, c.exitCode !== undefined ? `exit ${c.exitCode}` : undefined, c.reason ? `(${c.reason})` : undefined].filter(Boolean).join(' '));
  return `task ${id} (${taskDefinitionLabel(task.taskDefinitionArn)}) stopped: ${task.stopCode ?? 'no stop code'}: ${task.stoppedReason ?? 'no reason given'}${exits.length ? `; ${exits.join(', ')}` : ''}`;
}
