import type { Clock } from '../../clock.js';
import { serviceEvents, stopReasons } from '../../services/ecs/catalogue.js';
import { serviceTasks } from '../../services/ecs/deployment-records.js';
import type { EcsScopeState, StoredService, StoredTask, StoredTaskSet } from '../../services/ecs/model.js';
import type { Scope } from '../../services/ecs/store.js';
import { computedDesiredCount, planTaskSetStep, stabilityOf, type TaskSetTask } from './task-set-decisions.js';

export interface TaskSetSchedulerDeps {
  clock: Clock;
  launch(scope: Scope, state: EcsScopeState, service: StoredService, taskSet: StoredTaskSet, count: number): StoredTask[];
  stop(scope: Scope, task: StoredTask, reason: string): void;
  event(service: StoredService, message: string): void;
  markDirty(): void;
}

const isPending = (t: StoredTask): boolean => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(t.lastStatus);

/** A task set's tasks as the decisions see them (every one not yet STOPPED). */
export function taskSetTasks(state: EcsScopeState, service: StoredService, taskSet: StoredTaskSet): TaskSetTask[] {
  return serviceTasks(state, service)
    .filter((t) => t.startedBy === taskSet.id)
    .map((t) => ({
      taskArn: t.taskArn,
      live: t.desiredStatus === 'RUNNING',
      running: t.lastStatus === 'RUNNING',
      pending: isPending(t),
      healthy: t.lastStatus === 'RUNNING' && t.everHealthy,
      createdAt: t.createdAt.getTime(),
    }));
}

/** The computed desired count ECS shows for a task set right now. */
export function taskSetDesiredCount(service: StoredService, taskSet: StoredTaskSet): number {
  return computedDesiredCount(service.status === 'ACTIVE' ? service.desiredCount : 0, taskSet.scale.value, taskSet.status === 'DRAINING');
}

/**
 * Runs the task sets of services with the EXTERNAL deployment controller:
 * each keeps its computed desired count of tasks, registered in its own
 * target group; a DRAINING task set stops its tasks and then is gone.
 */
export class TaskSetScheduler {
  constructor(private readonly deps: TaskSetSchedulerDeps) {}

  reconcile(scope: Scope, state: EcsScopeState, service: StoredService): void {
    const now = this.deps.clock.now();
    let changed = false;
    const started: StoredTask[] = [];
    const stopped: StoredTask[] = [];
    for (const taskSet of service.taskSets ?? []) {
      const desired = taskSetDesiredCount(service, taskSet);
      const step = planTaskSetStep(desired, taskSetTasks(state, service, taskSet));
      for (const arn of step.stop) {
        const task = state.tasks.get(arn);
        if (!task) continue;
        this.deps.stop(scope, task, stopReasons.scaling(taskSet.id));
        stopped.push(task);
      }
      started.push(...this.deps.launch(scope, state, service, taskSet, step.start));
      const stability = stabilityOf(desired, taskSetTasks(state, service, taskSet));
      if (stability !== taskSet.stabilityStatus) {
        taskSet.stabilityStatus = stability;
        taskSet.stabilityStatusAt = new Date(now);
        changed = true;
      }
    }
    if (stopped.length > 0) this.deps.event(service, serviceEvents.stoppedTasks(service.serviceName, stopped.map((t) => t.taskId)));
    if (started.length > 0) this.deps.event(service, serviceEvents.startedTasks(service.serviceName, started.map((t) => t.taskId)));

    const gone = (service.taskSets ?? []).filter((ts) => ts.status === 'DRAINING' && taskSetTasks(state, service, ts).length === 0);
    if (gone.length > 0) service.taskSets = (service.taskSets ?? []).filter((ts) => !gone.includes(ts));
    if (service.status === 'DRAINING' && serviceTasks(state, service).length === 0) {
      service.status = 'INACTIVE';
      service.taskSets = [];
      changed = true;
    }
    if (changed || gone.length > 0 || started.length > 0 || stopped.length > 0) this.deps.markDirty();
  }
}
