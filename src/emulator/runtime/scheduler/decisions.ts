/**
 * The ECS service scheduler's decisions for REPLICA services with the ROLLING
 * strategy, as pure functions of what the scheduler sees. The effects (start,
 * drain, stop) live in service-scheduler.ts.
 */

/** A task that counts for its deployment: desired RUNNING and not yet STOPPED. */
export interface LiveTask {
  taskArn: string;
  /** Running and passing every health check that applies (load balancer, container). */
  healthy: boolean;
  createdAt: number;
}

export interface OlderDeployment {
  deploymentId: string;
  desiredCount: number;
  createdAt: number;
  tasks: LiveTask[];
}

export interface RollingInput {
  desiredCount: number;
  maximumPercent: number;
  minimumHealthyPercent: number;
  /** False once the PRIMARY deployment FAILED without a rollback: it launches nothing more. */
  primaryMayLaunch: boolean;
  primary: LiveTask[];
  /** ACTIVE deployments, any order. */
  older: OlderDeployment[];
  /** Tasks on their way to STOPPED (draining, stopping): they still count against maximumPercent. */
  stopping: number;
}

export type StopCause = 'scale-in' | 'rollout' | 'excess';

export interface RollingStep {
  startPrimary: number;
  /** Replacements for older deployments' tasks that stopped on their own (ECS replaces with the task's revision). */
  startOlder: Array<{ deploymentId: string; count: number }>;
  stop: Array<{ taskArn: string; deploymentId: string | 'PRIMARY'; cause: StopCause }>;
  /** New desiredCount of each older deployment (never grows). */
  olderDesired: Array<{ deploymentId: string; desiredCount: number }>;
}

export function maximumTasks(desiredCount: number, maximumPercent: number): number {
  return Math.floor((desiredCount * maximumPercent) / 100);
}

export function minimumHealthyTasks(desiredCount: number, minimumHealthyPercent: number): number {
  return Math.ceil((desiredCount * minimumHealthyPercent) / 100);
}

const unhealthyFirst = (a: LiveTask, b: LiveTask): number => Number(a.healthy) - Number(b.healthy) || b.createdAt - a.createdAt;

/**
 * One scheduling step. Old tasks go only while the healthy count stays at or
 * above minimumHealthyPercent; new tasks start only while running + pending +
 * stopping stays at or below maximumPercent.
 */
export function planRollingStep(input: RollingInput): RollingStep {
  const desired = Math.max(0, input.desiredCount);
  const maxTotal = maximumTasks(desired, input.maximumPercent);
  const minHealthy = minimumHealthyTasks(desired, input.minimumHealthyPercent);
  const stop: RollingStep['stop'] = [];

  // Scale-in of the PRIMARY is not bound by minimumHealthyPercent: the user asked for fewer.
  const primaryExcess = Math.max(0, input.primary.length - desired);
  const primaryStops = [...input.primary].sort(unhealthyFirst).slice(0, primaryExcess);
  for (const t of primaryStops) stop.push({ taskArn: t.taskArn, deploymentId: 'PRIMARY', cause: 'scale-in' });
  const primaryKept = input.primary.filter((t) => !primaryStops.includes(t));
  const primaryHealthy = primaryKept.filter((t) => t.healthy).length;

  // Older deployments never need more than what the PRIMARY has not yet covered with healthy tasks.
  let uncovered = Math.max(0, desired - primaryHealthy);
  const older = [...input.older].sort((a, b) => b.createdAt - a.createdAt).map((d) => {
    const desiredCount = Math.min(d.desiredCount, uncovered);
    uncovered -= desiredCount;
    return { ...d, desiredCount, kept: [...d.tasks] };
  });

  let healthyTotal = primaryHealthy + older.reduce((n, d) => n + d.tasks.filter((t) => t.healthy).length, 0);
  const stopOlder = (d: (typeof older)[number], t: LiveTask, cause: StopCause): void => {
    stop.push({ taskArn: t.taskArn, deploymentId: d.deploymentId, cause });
    d.kept = d.kept.filter((k) => k !== t);
    if (t.healthy) healthyTotal -= 1;
  };

  // Above their desired count: unhealthy ones go freely, healthy ones only within the minimum-healthy budget.
  for (const d of older) {
    for (const t of [...d.kept].sort(unhealthyFirst)) {
      if (d.kept.length <= d.desiredCount) break;
      if (t.healthy && healthyTotal - 1 < minHealthy) break;
      stopOlder(d, t, 'excess');
    }
  }
  // The rollout itself: make room for the PRIMARY by stopping healthy old tasks the minimum allows.
  if (input.primaryMayLaunch) {
    const byAge = [...older].sort((a, b) => a.createdAt - b.createdAt);
    for (const d of byAge) {
      for (const t of [...d.kept].sort(unhealthyFirst)) {
        if (t.healthy && healthyTotal - 1 < minHealthy) break;
        stopOlder(d, t, 'rollout');
        d.desiredCount = Math.min(d.desiredCount, d.kept.length);
      }
    }
  }

  const liveAfterStops = primaryKept.length + older.reduce((n, d) => n + d.kept.length, 0);
  let room = Math.max(0, maxTotal - liveAfterStops - stop.length - input.stopping);
  const startPrimary = input.primaryMayLaunch ? Math.min(room, Math.max(0, desired - primaryKept.length)) : 0;
  room -= startPrimary;
  const startOlder: RollingStep['startOlder'] = [];
  for (const d of older) {
    const count = Math.min(room, Math.max(0, d.desiredCount - d.kept.length));
    if (count > 0) startOlder.push({ deploymentId: d.deploymentId, count });
    room -= count;
  }
  return {
    startPrimary,
    startOlder,
    stop,
    olderDesired: older.map((d) => ({ deploymentId: d.deploymentId, desiredCount: d.desiredCount })),
  };
}

/** The PRIMARY has its desired count of healthy tasks and nothing else is left running or stopping. */
export function isDeploymentComplete(input: { desiredCount: number; primary: LiveTask[]; olderLive: number; stopping: number }): boolean {
  return (
    input.primary.length === input.desiredCount &&
    input.primary.every((t) => t.healthy) &&
    input.olderLive === 0 &&
    input.stopping === 0
  );
}

export interface ThresholdConfig {
  type?: string | undefined;
  value?: number | undefined;
}

/**
 * ECS: BOUNDED_PERCENT (default, value 50) is value% of the desired count,
 * rounded up, between 3 and 200; UNBOUNDED_PERCENT has no bounds (at least 1);
 * COUNT is the value itself.
 */
export function circuitBreakerThreshold(desiredCount: number, config: ThresholdConfig | undefined): number {
  const type = config?.type ?? 'BOUNDED_PERCENT';
  const value = config?.value ?? 50;
  if (type === 'COUNT') return Math.max(1, Math.floor(value));
  const raw = Math.ceil((desiredCount * value) / 100);
  if (type === 'UNBOUNDED_PERCENT') return Math.max(1, raw);
  return Math.min(200, Math.max(3, raw));
}

export function hasCircuitBreakerTripped(failureCount: number, threshold: number): boolean {
  return failureCount >= threshold;
}

export interface DeploymentHistoryEntry {
  id: string;
  rolloutState: string | undefined;
  createdAt: number;
}

/** ECS rolls back to the last deployment that COMPLETED; none means no rollback is possible. */
export function rollbackTarget<T extends DeploymentHistoryEntry>(history: readonly T[], failedId: string): T | undefined {
  return history
    .filter((d) => d.id !== failedId && d.rolloutState === 'COMPLETED')
    .sort((a, b) => b.createdAt - a.createdAt)[0];
}
