import type { Diagnosis, FailureDetail } from '../../engine/diagnose.js';
import type { ServiceEventRecord, StoppedTaskRecord } from '../../engine/events.js';
import { describeStoppedTask } from './describe.js';

/** Failing health checks and the failing containers' last log lines. Pure. */
export function failureDetailLines(detail: FailureDetail | undefined): string[] {
  if (!detail) return [];
  const lines: string[] = [];
  if (detail.unhealthyTargets.length) {
    lines.push('targets not healthy:');
    for (const t of detail.unhealthyTargets) {
      lines.push(`  ${t.target} in ${t.targetGroupArn.split(':').pop() ?? t.targetGroupArn}: ${t.state}${t.reason ? ` (${t.reason}${t.description ? `: ${t.description}` : ''})` : ''}`);
    }
  }
  for (const log of detail.logs) {
    lines.push(`last ${log.lines.length} log line${log.lines.length === 1 ? '' : 's'} of container ${log.container} in task ${log.taskArn.split('/').pop() ?? log.taskArn} (${log.group} ${log.stream}):`);
    for (const line of log.lines) lines.push(`  | ${line}`);
  }
  return lines;
}

/** ecs-rollout diagnose as text. Pure. */
export function diagnosisLines(d: Diagnosis): string[] {
  const lines: string[] = [];
  lines.push(
    d.deployment
      ? `service ${d.service} in cluster ${d.cluster}: latest deployment ${d.deployment.revision} ${d.deployment.status} (${d.deployment.outcome}), started ${d.deployment.startedAt ?? '-'}${d.deployment.reason ? `: ${d.deployment.reason}` : ''}`
      : `service ${d.service} in cluster ${d.cluster}: no service deployments on record`,
  );
  lines.push(...eventLines(d.events), ...stoppedLines(d.stoppedTasks), ...failureDetailLines(d));
  if (!d.stoppedTasks.length && !d.unhealthyTargets.length && !d.logs.length) lines.push('no stopped tasks, unhealthy targets or failing containers: nothing looks wrong');
  return lines;
}

function eventLines(events: readonly ServiceEventRecord[]): string[] {
  return [events.length ? 'service events since it started:' : 'no service events since it started', ...events.map((e) => `  ${e.createdAt}  ${e.message}`)];
}

function stoppedLines(tasks: readonly StoppedTaskRecord[]): string[] {
  return tasks.length ? ['stopped tasks:', ...tasks.map((t) => `  ${describeStoppedTask(t)}`)] : [];
}
