import { RolloutError } from '../../spec/errors.js';
import { formatDuration } from '../../spec/duration.js';
import type { StoppedTaskRecord } from '../events.js';
import { newServiceEvents, progressKey, stoppedTaskRecord, summarizeRevisions } from '../progress.js';
import { taskDefinitionLabel } from '../revision.js';
import { checkpoint } from './checkpoint.js';
import type { CanaryContext, CanaryRecorder, ServiceRef } from './context.js';
import { healthyCount, judgeReadiness } from './decisions.js';
import { CanaryInterrupted } from './interruption.js';

/**
 * Failed tasks of one deployment at which a canary or a promotion is given
 * up: ECS's circuit breaker never trips below 3, and a service without one
 * would replace crashing tasks forever.
 */
export const FAILED_TASK_LIMIT = 3;

export interface ReadinessTarget {
  service: ServiceRef;
  taskDefinitionArn: string;
  desired: number;
  /** Whether the canary serves traffic meanwhile, so its health is watched too. */
  watchCanary: boolean;
  /** Service events older than this are not ours. */
  since: number;
  knownEventIds: Set<string>;
}

/**
 * Waits until the service runs only `taskDefinitionArn`, `desired` tasks,
 * all healthy in its target group. A failed deployment, too many failed
 * tasks, or the timeout stop the canary (CanaryInterrupted) with the tasks
 * that stopped.
 */
export async function waitUntilReady(ctx: CanaryContext, recorder: CanaryRecorder, target: ReadinessTarget): Promise<number> {
  const { ports, clock, signal, cluster, emit } = ctx;
  const { service } = target;
  const deadline = clock.now() + ctx.timeoutMs;
  let lastKey = '';
  let summary = '';
  for (;;) {
    const found = await ports.ecs.findService(cluster, service.name, signal);
    if (!found) throw new RolloutError('AwsRequestFailed', `service ${service.name} in cluster ${cluster} disappeared during the canary`);
    for (const event of newServiceEvents(found.events ?? [], target.since, target.knownEventIds)) {
      target.knownEventIds.add(event.id);
      emit({ type: 'service-event', ...event });
    }
    const deployments = found.deployments ?? [];
    const healthyTargets = healthyCount(await ports.loadBalancers.readTargetHealth(service.targetGroupArn, signal));
    const revisions = summarizeRevisions(deployments, undefined);
    const key = `${progressKey(revisions)}:${healthyTargets}`;
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    if (key !== lastKey) {
      lastKey = key;
      emit({ type: 'deployment-progress', deploymentId: primary?.id ?? '', rolloutState: primary?.rolloutState, revisions: revisions.map((r) => (r.deploymentId === primary?.id ? { ...r, healthy: healthyTargets } : r)) });
    }
    const judged = judgeReadiness({ deployments, taskDefinitionArn: target.taskDefinitionArn, desired: target.desired, healthyTargets, failedTaskLimit: FAILED_TASK_LIMIT });
    if (judged.kind === 'ready') return healthyTargets;
    if (judged.kind === 'failed') {
      throw new CanaryInterrupted('rolled-back', `service ${service.name} did not take ${taskDefinitionLabel(target.taskDefinitionArn)}: ${judged.reason}`, await stoppedTasks(ctx, primary?.id));
    }
    summary = judged.summary;
    await checkpoint(ctx, recorder, { canaryHealth: target.watchCanary });
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new CanaryInterrupted(
        'rolled-back',
        `service ${service.name} did not run ${target.desired} healthy task${target.desired === 1 ? '' : 's'} of ${taskDefinitionLabel(target.taskDefinitionArn)} within ${formatDuration(ctx.timeoutMs)} (${summary})`,
        await stoppedTasks(ctx, primary?.id),
      );
    }
    await clock.sleep(Math.min(ctx.pollIntervalMs, remaining), signal);
  }
}

async function stoppedTasks(ctx: CanaryContext, deploymentId: string | undefined): Promise<StoppedTaskRecord[]> {
  if (!deploymentId) return [];
  const tasks = await ctx.ports.ecs.findStoppedTasks(ctx.cluster, deploymentId, ctx.signal);
  const records = tasks.map(stoppedTaskRecord);
  for (const record of records) ctx.emit({ type: 'task-stopped', ...record });
  return records;
}
