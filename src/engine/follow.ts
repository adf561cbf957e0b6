import type { Service, ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import { RolloutError } from '../spec/errors.js';
import type { Clock } from './clock.js';
import type { EventBody, ServiceEventRecord, StoppedTaskRecord } from './events.js';
import type { Ports } from './ports.js';
import { newServiceEvents, progressKey, stoppedTaskRecord, summarizeRevisions, taskCountsKey } from './progress.js';
import { judgeDeployment, type Tracking } from './verdict.js';

export type FollowEnd =
  | { kind: 'completed' }
  | { kind: 'rolled-back'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'timed-out' };

export interface FollowContext {
  ports: Ports;
  clock: Clock;
  signal: AbortSignal | undefined;
  emit: (event: EventBody) => void;
  cluster: string;
  service: string;
  pollIntervalMs: number;
  /** Epoch ms after which we stop following (the deployment goes on in ECS). */
  deadline: number;
  /** Events older than this are not ours. */
  since: number;
  /** Service event ids that existed before we deployed. */
  knownEventIds: Set<string>;
  serviceDeploymentArn: string | undefined;
}

export interface FollowReport {
  end: FollowEnd;
  tracking: Tracking;
  serviceEvents: ServiceEventRecord[];
  stoppedTasks: StoppedTaskRecord[];
}

/**
 * Watches the deployment we started until ECS finishes it, fails it, rolls it
 * back, or the deadline passes. One DescribeServices per tick; tasks are
 * described only when some deployment's task counts change.
 */
export async function followDeployment(ctx: FollowContext, initialTracking: Tracking): Promise<FollowReport> {
  const { ports, clock, signal, emit } = ctx;
  let tracking = initialTracking;
  const serviceEvents: ServiceEventRecord[] = [];
  const stopped = new Map<string, StoppedTaskRecord>();
  let lastCountsKey = '';
  let lastProgressKey = '';
  let lastDeploymentsKey = '';
  let runningTasks: Task[] | undefined;
  let serviceDeployment: ServiceDeployment | undefined;
  let serviceDeploymentsAvailable = ctx.serviceDeploymentArn !== undefined;
  let failingSince: number | undefined;
  const rollbackGraceMs = Math.max(3 * ctx.pollIntervalMs, 1000);

  const collectStopped = async (): Promise<void> => {
    const tasks = await ports.ecs.findStoppedTasks(ctx.cluster, tracking.deploymentId, signal);
    for (const task of tasks) {
      if (!task.taskArn || stopped.has(task.taskArn)) continue;
      const record = stoppedTaskRecord(task);
      stopped.set(task.taskArn, record);
      emit({ type: 'task-stopped', ...record });
    }
  };
  const report = (end: FollowEnd): FollowReport => ({ end, tracking, serviceEvents, stoppedTasks: [...stopped.values()] });

  for (;;) {
    const service: Service | undefined = await ports.ecs.findService(ctx.cluster, ctx.service, signal);
    if (!service) throw new RolloutError('AwsRequestFailed', `service ${ctx.service} in cluster ${ctx.cluster} disappeared while deployment ${tracking.deploymentId} was in progress`);
    const deployments = service.deployments ?? [];

    for (const event of newServiceEvents(service.events ?? [], ctx.since, ctx.knownEventIds)) {
      ctx.knownEventIds.add(event.id);
      serviceEvents.push(event);
      emit({ type: 'service-event', ...event });
    }

    const countsKey = taskCountsKey(deployments);
    if (countsKey !== lastCountsKey) {
      lastCountsKey = countsKey;
      runningTasks = await ports.ecs.findRunningTasks(ctx.cluster, ctx.service, signal);
      await collectStopped();
    }

    const followedId = tracking.rollback?.deploymentId ?? tracking.deploymentId;
    const revisions = summarizeRevisions(deployments, runningTasks);
    const key = progressKey(revisions);
    if (key !== lastProgressKey) {
      lastProgressKey = key;
      const followed = deployments.find((d) => d.id === followedId);
      emit({ type: 'deployment-progress', deploymentId: followedId, rolloutState: followed?.rolloutState, revisions });
    }

    const deploymentsKey = deployments.map((d) => `${d.id}:${d.status}:${d.rolloutState}`).join(',');
    if (serviceDeploymentsAvailable && ctx.serviceDeploymentArn && deploymentsKey !== lastDeploymentsKey) {
      serviceDeployment = await ports.ecs.readServiceDeployment(ctx.cluster, ctx.serviceDeploymentArn, signal);
      if (!serviceDeployment) serviceDeploymentsAvailable = false;
    }
    lastDeploymentsKey = deploymentsKey;

    const observation = {
      deployments,
      rollbackOnFailure: service.deploymentConfiguration?.deploymentCircuitBreaker?.rollback === true,
      serviceDeploymentStatus: serviceDeployment?.status,
      serviceDeploymentReason: serviceDeployment?.statusReason,
    };
    let verdict = judgeDeployment(tracking, observation);
    if (verdict.kind === 'rollback-started') {
      tracking = { ...tracking, rollback: { deploymentId: verdict.rollbackDeploymentId, reason: verdict.reason } };
      emit({ type: 'deployment-failed', deploymentId: tracking.deploymentId, reason: verdict.reason });
      emit({ type: 'rollback-started', deploymentId: tracking.deploymentId, rollbackDeploymentId: verdict.rollbackDeploymentId, taskDefinitionArn: verdict.taskDefinitionArn, reason: verdict.reason });
      // The same observation may already show the rollback finished.
      verdict = judgeDeployment(tracking, observation);
    }

    switch (verdict.kind) {
      case 'completed':
        emit({ type: 'deployment-completed', deploymentId: tracking.deploymentId, taskDefinitionArn: tracking.taskDefinitionArn });
        return report({ kind: 'completed' });
      case 'rollback-started':
        // Not returned once tracking holds a rollback (judged again above).
        break;
      case 'rolled-back':
        await collectStopped();
        emit({ type: 'deployment-rolled-back', deploymentId: tracking.deploymentId, rollbackDeploymentId: tracking.rollback?.deploymentId ?? '', reason: verdict.reason });
        return report({ kind: 'rolled-back', reason: verdict.reason });
      case 'failed':
        failingSince ??= clock.now();
        if (!verdict.rollbackExpected || clock.now() - failingSince >= rollbackGraceMs) {
          await collectStopped();
          emit({ type: 'deployment-failed', deploymentId: tracking.deploymentId, reason: verdict.reason });
          return report({ kind: 'failed', reason: verdict.reason });
        }
        break;
      case 'in-progress':
        failingSince = undefined;
        break;
    }

    const remaining = ctx.deadline - clock.now();
    if (remaining <= 0) {
      await collectStopped();
      return report({ kind: 'timed-out' });
    }
    await clock.sleep(Math.min(ctx.pollIntervalMs, remaining), signal);
  }
}
