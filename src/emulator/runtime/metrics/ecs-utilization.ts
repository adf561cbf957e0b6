import type { MetricPoint } from '../../services/cloudwatch/metric-plane.js';

/**
 * A service's CPUUtilization and MemoryUtilization for one minute, as ECS
 * documents them: Average is the CPU (memory) all the service's tasks used
 * over what their task definitions reserve, times 100; Minimum and Maximum
 * are the least and most loaded task's own utilization; SampleCount is the
 * number of tasks.
 */

export const ECS_NAMESPACE = 'AWS/ECS';

/** One task's use over a minute (averaged over the minute's readings) and what it reserves. */
export interface TaskUsage {
  cpuUnitsUsed: number;
  /** Task-level cpu, else the containers' sum; undefined when nothing is reserved. */
  cpuUnitsReserved: number | undefined;
  memoryMiBUsed: number;
  /** Task-level memory, else the containers' memoryReservation (or memory); undefined when nothing is reserved. */
  memoryMiBReserved: number | undefined;
}

export interface ServiceMinute {
  clusterName: string;
  serviceName: string;
  /** The minute's start, virtual epoch ms. */
  start: number;
  tasks: readonly TaskUsage[];
}

export function serviceUtilizationPoints(minute: ServiceMinute): MetricPoint[] {
  const dimensions = [
    { Name: 'ClusterName', Value: minute.clusterName },
    { Name: 'ServiceName', Value: minute.serviceName },
  ];
  const points: MetricPoint[] = [];
  const cpu = utilization(minute.tasks.map((t) => ({ used: t.cpuUnitsUsed, reserved: t.cpuUnitsReserved })));
  if (cpu) points.push({ namespace: ECS_NAMESPACE, metricName: 'CPUUtilization', dimensions, timestamp: minute.start, unit: 'Percent', statistics: cpu });
  const memory = utilization(minute.tasks.map((t) => ({ used: t.memoryMiBUsed, reserved: t.memoryMiBReserved })));
  if (memory) points.push({ namespace: ECS_NAMESPACE, metricName: 'MemoryUtilization', dimensions, timestamp: minute.start, unit: 'Percent', statistics: memory });
  return points;
}

/** Statistics over the tasks that reserve something; undefined when none does. */
export function utilization(tasks: ReadonlyArray<{ used: number; reserved: number | undefined }>): MetricPoint['statistics'] {
  const counted = tasks.filter((t): t is { used: number; reserved: number } => t.reserved !== undefined && t.reserved > 0);
  if (counted.length === 0) return undefined;
  const percents = counted.map((t) => (t.used * 100) / t.reserved);
  const used = counted.reduce((sum, t) => sum + t.used, 0);
  const reserved = counted.reduce((sum, t) => sum + t.reserved, 0);
  const average = (used * 100) / reserved;
  return {
    SampleCount: counted.length,
    // Sum is chosen so Sum / SampleCount is ECS's Average, which weighs tasks by what they reserve.
    Sum: average * counted.length,
    Minimum: Math.min(...percents),
    Maximum: Math.max(...percents),
  };
}

/** What a task reserves, from its task definition's task-level and container-level sizes (strings, as ECS keeps them). */
export function reservedResources(task: {
  cpu: string | undefined;
  memory: string | undefined;
  containers: ReadonlyArray<{ cpu: string | undefined; memory: string | undefined; memoryReservation: string | undefined }>;
}): { cpuUnits: number | undefined; memoryMiB: number | undefined } {
  const sum = (values: Array<string | undefined>): number => values.reduce((acc, v) => acc + (Number(v ?? 0) || 0), 0);
  return {
    cpuUnits: positive(sizeOf(task.cpu, /^([\d.]+)\s*vcpu$/i, 1024)) ?? positive(sum(task.containers.map((c) => c.cpu))),
    memoryMiB: positive(sizeOf(task.memory, /^([\d.]+)\s*gb$/i, 1024)) ?? positive(sum(task.containers.map((c) => c.memoryReservation ?? c.memory))),
  };
}

/** Task-level sizes are units ("256") or, as the API also accepts, "0.25 vCPU" and "1 GB". */
function sizeOf(value: string | undefined, scaled: RegExp, factor: number): number {
  if (value === undefined) return 0;
  const match = scaled.exec(value.trim());
  return match ? Number(match[1]) * factor : Number(value);
}

function positive(n: number): number | undefined {
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
