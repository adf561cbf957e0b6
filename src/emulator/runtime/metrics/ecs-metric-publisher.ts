import type { Clock } from '../../clock.js';
import type { MetricPlane } from '../../services/cloudwatch/metric-plane.js';
import { startAlignedTicker, type AlignedTicker } from './aligned-ticker.js';
import { serviceUtilizationPoints, type TaskUsage } from './ecs-utilization.js';
import { isPeriodClosed, periodOfReading, SAMPLE_INTERVAL_MS } from './metric-period.js';
import { PROC_ROOT, procAvailable, readProcessTable, readRssKib } from './proc-table.js';
import { cpuTicksOf, cpuUnitsUsed, groupMembers } from './process-usage.js';

/**
 * Publishes AWS/ECS CPUUtilization and MemoryUtilization per service from
 * the processes its running tasks really are. Every 20 virtual seconds it
 * reads each task's CPU time and resident memory from /proc (CPU use is the
 * CPU time spent per real second between two readings: a process burns real
 * CPU whatever the clock's speed); at each minute boundary it publishes the
 * minute that ended.
 */

export interface RunningServiceTask {
  scope: { account: string; region: string };
  clusterName: string;
  serviceName: string;
  taskArn: string;
  /** Each running container's pid, which leads the process group the container runs in. */
  processGroups: number[];
  cpuUnitsReserved: number | undefined;
  memoryMiBReserved: number | undefined;
}

export interface EcsMetricSource {
  runningServiceTasks(): RunningServiceTask[];
}

export interface EcsMetricPublisherDeps {
  clock: Clock;
  source: EcsMetricSource;
  metrics: MetricPlane;
  log: (line: string) => void;
  /** Where the process table is read from. Default /proc. */
  procRoot?: string;
}

interface TaskMinute {
  cpuUnits: number;
  memoryMiB: number;
  readings: number;
  cpuUnitsReserved: number | undefined;
  memoryMiBReserved: number | undefined;
}

interface ServiceMinute {
  scope: { account: string; region: string };
  clusterName: string;
  serviceName: string;
  tasks: Map<string, TaskMinute>;
}

export class EcsMetricPublisher {
  private readonly root: string;
  /** Each task's CPU time at its previous reading, with the virtual time it was taken. */
  private readonly previous = new Map<string, { readAt: number; cpuTicks: number }>();
  private readonly pending = new Map<number, Map<string, ServiceMinute>>();
  private ticker: AlignedTicker | undefined;

  constructor(private readonly deps: EcsMetricPublisherDeps) {
    this.root = deps.procRoot ?? PROC_ROOT;
  }

  start(): void {
    if (this.ticker) return;
    if (!procAvailable(this.root)) {
      this.deps.log(`ecs: CPUUtilization and MemoryUtilization are not published: ${this.root} is not available on this platform`);
      return;
    }
    this.ticker = startAlignedTicker(this.deps.clock, SAMPLE_INTERVAL_MS, (at) => this.tick(at), (err) => {
      this.deps.log(`ecs: publishing metrics failed: ${(err as Error).message}`);
    });
  }

  /**
   * Stops reading and publishes the minute under way up to its last reading
   * (a reading now would measure a sliver of a second: mostly noise).
   */
  async close(): Promise<void> {
    const ticker = this.ticker;
    if (!ticker) return;
    this.ticker = undefined;
    await ticker.stop();
    this.publish(Number.POSITIVE_INFINITY);
  }

  private async tick(at: number): Promise<void> {
    await this.read(at);
    this.publish(at);
  }

  private async read(at: number): Promise<void> {
    const tasks = this.deps.source.runningServiceTasks();
    const live = new Set(tasks.map((t) => t.taskArn));
    for (const arn of this.previous.keys()) if (!live.has(arn)) this.previous.delete(arn);
    if (tasks.length === 0) return;

    const readAt = this.deps.clock.now();
    const table = await readProcessTable(this.root);
    // pid 1 and the emulator itself lead no container: counting their groups would count the machine.
    const leaders = new Set(tasks.flatMap((t) => t.processGroups).filter((pid) => pid > 1 && pid !== process.pid));
    const members = groupMembers(table, leaders);

    for (const task of tasks) {
      const processes = task.processGroups.flatMap((leader) => members.get(leader) ?? []);
      if (processes.length === 0) continue;
      const cpuTicks = cpuTicksOf(processes);
      const rssKib = (await Promise.all(processes.map((p) => readRssKib(p.pid, this.root)))).reduce((a, b) => a + b, 0);
      const before = this.previous.get(task.taskArn);
      this.previous.set(task.taskArn, { readAt, cpuTicks });
      if (!before) continue;
      const realElapsedMs = (readAt - before.readAt) / this.deps.clock.speed;
      this.add(periodOfReading(at), task, cpuUnitsUsed(before.cpuTicks, cpuTicks, realElapsedMs), rssKib / 1024);
    }
  }

  private add(start: number, task: RunningServiceTask, cpuUnits: number, memoryMiB: number): void {
    let services = this.pending.get(start);
    if (!services) this.pending.set(start, (services = new Map()));
    const key = `${task.scope.account}/${task.scope.region}/${task.clusterName}/${task.serviceName}`;
    let service = services.get(key);
    if (!service) {
      service = { scope: task.scope, clusterName: task.clusterName, serviceName: task.serviceName, tasks: new Map() };
      services.set(key, service);
    }
    const minute = service.tasks.get(task.taskArn) ?? {
      cpuUnits: 0,
      memoryMiB: 0,
      readings: 0,
      cpuUnitsReserved: task.cpuUnitsReserved,
      memoryMiBReserved: task.memoryMiBReserved,
    };
    minute.cpuUnits += cpuUnits;
    minute.memoryMiB += memoryMiB;
    minute.readings += 1;
    service.tasks.set(task.taskArn, minute);
  }

  private publish(at: number): void {
    for (const [start, services] of [...this.pending].sort(([a], [b]) => a - b)) {
      if (!isPeriodClosed(start, at)) continue;
      this.pending.delete(start);
      for (const service of services.values()) {
        const tasks: TaskUsage[] = [...service.tasks.values()].map((t) => ({
          cpuUnitsUsed: t.cpuUnits / t.readings,
          cpuUnitsReserved: t.cpuUnitsReserved,
          memoryMiBUsed: t.memoryMiB / t.readings,
          memoryMiBReserved: t.memoryMiBReserved,
        }));
        const points = serviceUtilizationPoints({ clusterName: service.clusterName, serviceName: service.serviceName, start, tasks });
        if (points.length > 0) this.deps.metrics.put(service.scope, points);
      }
    }
  }
}
