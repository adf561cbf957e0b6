/**
 * The scheduler's decisions for the task sets of EXTERNAL services, as pure
 * functions. A task set has no rollout of its own: it runs its computed
 * desired count, replaces what stops, and reports whether it is steady.
 */

export interface TaskSetTask {
  taskArn: string;
  /** Desired RUNNING and not yet STOPPED. */
  live: boolean;
  running: boolean;
  pending: boolean;
  /** Running and passing every health check that applies (load balancer, container). */
  healthy: boolean;
  createdAt: number;
}

/**
 * ECS: the service's desiredCount times the task set's scale percentage,
 * always rounded up (1.2 tasks are 2). A DRAINING task set wants none.
 */
export function computedDesiredCount(serviceDesiredCount: number, scalePercent: number, draining: boolean): number {
  if (draining) return 0;
  // Rounded to micro-tasks first, so that 3 x 33.3333333% is not 1.0000000001 -> 2.
  const exact = Math.round(serviceDesiredCount * scalePercent * 10_000) / 1_000_000;
  return Math.ceil(exact);
}

export interface TaskSetStep {
  start: number;
  /** Excess tasks, unhealthy and newest first. */
  stop: string[];
}

/** What brings a task set to its computed desired count: no min/max percent applies to task sets. */
export function planTaskSetStep(desired: number, tasks: readonly TaskSetTask[]): TaskSetStep {
  const live = tasks.filter((t) => t.live);
  if (live.length >= desired) {
    const excess = [...live].sort((a, b) => Number(a.healthy) - Number(b.healthy) || b.createdAt - a.createdAt).slice(0, live.length - desired);
    return { start: 0, stop: excess.map((t) => t.taskArn) };
  }
  return { start: desired - live.length, stop: [] };
}

/**
 * ECS: STEADY_STATE when runningCount equals computedDesiredCount, nothing is
 * pending, and every task is healthy; otherwise STABILIZING. Tasks on their way
 * to STOPPED keep a task set stabilizing, as draining instances do on ECS.
 */
export function stabilityOf(desired: number, notStopped: readonly TaskSetTask[]): 'STEADY_STATE' | 'STABILIZING' {
  const running = notStopped.filter((t) => t.running && t.live);
  const steady =
    running.length === desired &&
    notStopped.every((t) => t.live) &&
    !notStopped.some((t) => t.pending) &&
    running.every((t) => t.healthy);
  return steady ? 'STEADY_STATE' : 'STABILIZING';
}
