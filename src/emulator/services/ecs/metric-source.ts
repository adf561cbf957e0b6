import type { EcsMetricSource, RunningServiceTask } from '../../runtime/metrics/ecs-metric-publisher.js';
import { reservedResources } from '../../runtime/metrics/ecs-utilization.js';
import type { EcsStore } from './store.js';

/** The RUNNING tasks of services, with the process groups their running containers lead and what they reserve. */
export function ecsMetricSource(store: EcsStore): EcsMetricSource {
  return {
    runningServiceTasks() {
      const out: RunningServiceTask[] = [];
      for (const { scope, state } of store.all()) {
        for (const task of state.tasks.values()) {
          if (task.lastStatus !== 'RUNNING' || !task.serviceName) continue;
          const processGroups = task.containers
            .filter((c) => c.lastStatus === 'RUNNING' && c.runtimeId !== undefined)
            .map((c) => Number(c.runtimeId))
            .filter((pid) => Number.isInteger(pid) && pid > 0);
          const reserved = reservedResources(task);
          out.push({
            scope,
            clusterName: task.clusterName,
            serviceName: task.serviceName,
            taskArn: task.taskArn,
            processGroups,
            cpuUnitsReserved: reserved.cpuUnits,
            memoryMiBReserved: reserved.memoryMiB,
          });
        }
      }
      return out;
    },
  };
}
