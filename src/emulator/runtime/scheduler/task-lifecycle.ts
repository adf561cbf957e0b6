import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { Clock } from '../../clock.js';
import type { ImageRegistry, LocalImage } from '../../services/ecr/image-registry.js';
import { containerArn, newTaskId, taskArn } from '../../services/ecs/arns.js';
import { serviceEvents, stopReasons } from '../../services/ecs/catalogue.js';
import type { StoredDeployment, StoredService, StoredTask } from '../../services/ecs/model.js';
import type { Scope } from '../../services/ecs/store.js';
import type { LoadBalancingPlane, TargetRef } from '../../services/elbv2/load-balancing-plane.js';
import type { LogPlane } from '../../services/logs/log-plane.js';
import { allocatePort } from '../ports.js';
import type { ContainerLaunch, RunningTaskProcesses, TaskDriver } from '../task-driver.js';
import { awslogsTargets, type AwsLogsTarget } from './awslogs.js';
import { buildContainerLaunch, healthCheckSpec } from './container-launch.js';
import { judgeTaskHealth, taskHealthStatus } from './task-health.js';

export interface TaskLifecycleDeps {
  clock: Clock;
  registry: ImageRegistry;
  loadBalancing: LoadBalancingPlane;
  /** Where containers with the awslogs log driver write their output (CloudWatch Logs). */
  logs: LogPlane;
  driver: TaskDriver;
  /** State changed: persist it and let the scheduler look again. */
  changed(): void;
  event(scope: Scope, service: StoredService, message: string): void;
  /** A task of the deployment failed (to start, or its health checks): the circuit breaker counts it. */
  failed(scope: Scope, task: StoredTask): void;
  /** A task reached healthy for the first time. */
  healthy(scope: Scope, task: StoredTask): void;
  serviceOf(scope: Scope, task: StoredTask): StoredService | undefined;
  taskDefinition(scope: Scope, arn: string): TaskDefinition | undefined;
  log(line: string): void;
}

/** What starts a task: a service deployment, or a task set (EXTERNAL services); its id becomes the task's startedBy. */
export type TaskOrigin = Pick<StoredDeployment, 'id' | 'taskDefinition' | 'launchType'>;

export type StopCode = 'TaskFailedToStart' | 'EssentialContainerExited' | 'UserInitiated' | 'ServiceSchedulerInitiated';

/** Real milliseconds between checks while a target drains: fast enough, never a busy loop. */
const DRAIN_POLL_REAL_MS = 100;

/**
 * One task from PROVISIONING to STOPPED: image resolution, ports, processes,
 * target registration, health, and the stop order that loses no requests
 * (deregister, wait for draining, SIGTERM, SIGKILL after stopTimeout).
 */
export class TaskLifecycle {
  private readonly processes = new Map<string, RunningTaskProcesses>();
  private readonly stops = new Map<string, Promise<void>>();
  private readonly aborter = new AbortController();

  constructor(private readonly deps: TaskLifecycleDeps) {}

  /** Creates the task record (PROVISIONING) and starts provisioning it. */
  create(scope: Scope, service: StoredService, deployment: TaskOrigin, definition: TaskDefinition): StoredTask {
    const now = new Date(this.deps.clock.now());
    const taskId = newTaskId();
    const task: StoredTask = {
      taskArn: taskArn(scope, service.clusterName, taskId),
      taskId,
      clusterArn: service.clusterArn,
      clusterName: service.clusterName,
      serviceName: service.serviceName,
      group: `service:${service.serviceName}`,
      startedBy: deployment.id,
      taskDefinitionArn: deployment.taskDefinition,
      launchType: deployment.launchType,
      cpu: definition.cpu,
      memory: definition.memory,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      healthStatus: 'UNKNOWN',
      createdAt: now,
      pullStartedAt: undefined,
      pullStoppedAt: undefined,
      startedAt: undefined,
      connectivityAt: undefined,
      stoppingAt: undefined,
      stoppedAt: undefined,
      executionStoppedAt: undefined,
      stopCode: undefined,
      stoppedReason: undefined,
      containers: (definition.containerDefinitions ?? []).map((c) => ({
        containerArn: containerArn(scope, service.clusterName, taskId),
        name: c.name ?? '',
        image: c.image ?? '',
        imageDigest: undefined,
        lastStatus: 'PENDING',
        exitCode: undefined,
        reason: undefined,
        healthStatus: 'UNKNOWN',
        healthChecked: c.essential !== false && healthCheckSpec(c) !== undefined,
        essential: c.essential !== false,
        networkBindings: [],
        runtimeId: undefined,
        cpu: String(c.cpu ?? 0),
        memory: c.memory === undefined ? undefined : String(c.memory),
        memoryReservation: c.memoryReservation === undefined ? undefined : String(c.memoryReservation),
      })),
      tags: service.propagateTags === 'SERVICE' ? [...service.tags] : [],
      version: 1,
      targets: [],
      everHealthy: false,
    };
    void this.provision(scope, task, definition).catch((err: unknown) => {
      this.failToStart(scope, task, stopReasons.launchFailed((err as Error).message));
    });
    return task;
  }

  private async provision(scope: Scope, task: StoredTask, definition: TaskDefinition): Promise<void> {
    const { clock } = this.deps;
    this.transition(task, 'PENDING');
    task.pullStartedAt = new Date(clock.now());
    const defs = definition.containerDefinitions ?? [];
    const withSecrets = defs.find((c) => (c.secrets ?? []).length > 0);
    if (withSecrets) return this.failToStart(scope, task, stopReasons.secretsUnsupported(withSecrets.name ?? ''));

    const images: LocalImage[] = [];
    for (const [i, def] of defs.entries()) {
      const resolution = this.deps.registry.resolve(def.image ?? '', scope);
      if (!resolution.ok) {
        const container = task.containers[i];
        if (container) container.reason = stopReasons.cannotPull(resolution.reason);
        return this.failToStart(scope, task, stopReasons.cannotPull(resolution.reason));
      }
      images.push(resolution.image);
      const container = task.containers[i];
      if (container) container.imageDigest = resolution.image.imageDigest;
    }
    task.pullStoppedAt = new Date(clock.now());

    const logging = this.openLogStreams(scope, task, defs);
    if (!logging.ok) {
      const container = task.containers.find((c) => c.name === logging.container);
      if (container) container.reason = logging.reason;
      return this.failToStart(scope, task, logging.reason);
    }

    const launches: ContainerLaunch[] = [];
    for (const [i, def] of defs.entries()) {
      const hostPorts: number[] = [];
      const container = task.containers[i];
      for (const mapping of def.portMappings ?? []) {
        const hostPort = await allocatePort();
        hostPorts.push(hostPort);
        container?.networkBindings.push({ bindIP: '127.0.0.1', containerPort: mapping.containerPort, hostPort, protocol: mapping.protocol ?? 'tcp' });
      }
      const image = images[i];
      if (image) launches.push(buildContainerLaunch(def, image, hostPorts, { PATH: process.env.PATH, HOME: process.env.HOME }));
    }
    if (task.desiredStatus === 'STOPPED' || this.aborter.signal.aborted) return;

    const handle = this.deps.driver.launch(task.taskId, launches, clock);
    this.processes.set(task.taskArn, handle);
    handle.onChange(() => this.observe(scope, task));
    handle.onOutput((line) => this.deps.log(`task ${task.taskId} ${line.container} ${line.stream}: ${line.line}`));
    this.shipOutput(handle, logging.targets);
    this.deps.changed();
    this.observe(scope, task);
  }

  /**
   * What the awslogs driver does before a container starts: read its options,
   * create the stream (and the group, when allowed). A failure stops the task
   * before any process runs, as it does on AWS.
   */
  private openLogStreams(
    scope: Scope, task: StoredTask, defs: NonNullable<TaskDefinition['containerDefinitions']>,
  ): { ok: true; targets: AwsLogsTarget[] } | { ok: false; container: string; reason: string } {
    const setup = awslogsTargets(defs, task, scope);
    if (!setup.ok) return { ok: false, container: setup.container, reason: stopReasons.invalidLogOptions(task.launchType, setup.problem) };
    for (const target of setup.targets) {
      if (this.deps.logs.openStream(target.scope, target.group, target.stream, { createGroup: target.createGroup }) === 'group-not-found') {
        return { ok: false, container: target.container, reason: stopReasons.logGroupMissing(task.launchType) };
      }
    }
    return setup;
  }

  /** Each line a container writes becomes one log event in its stream, stamped when it was read. */
  private shipOutput(handle: RunningTaskProcesses, targets: readonly AwsLogsTarget[]): void {
    if (targets.length === 0) return;
    const byContainer = new Map(targets.map((t) => [t.container, t]));
    handle.onOutput((line) => {
      const target = byContainer.get(line.container);
      // CloudWatch Logs takes no empty messages; Docker's driver skips empty lines too.
      if (!target || line.line === '') return;
      this.deps.logs.write(target.scope, target.group, target.stream, [{ timestamp: Math.floor(line.timestamp), message: line.line }]);
    });
  }

  /** Reads the processes and the targets, moves the task on, stops it when it failed. */
  observe(scope: Scope, task: StoredTask): void {
    const handle = this.processes.get(task.taskArn);
    if (handle) this.readContainers(task, handle);
    if (task.desiredStatus === 'STOPPED' || task.lastStatus === 'STOPPED') return;
    const service = this.deps.serviceOf(scope, task);
    if (!service || !handle) return;

    const exited = task.containers.find((c) => c.essential && c.lastStatus === 'STOPPED');
    if (exited) {
      const failure = !task.everHealthy;
      this.stop(scope, task, 'EssentialContainerExited', stopReasons.essentialExited, { failure });
      return;
    }

    if (task.lastStatus === 'PENDING' && task.containers.every((c) => c.lastStatus === 'RUNNING' || !c.essential)) {
      this.activate(scope, service, task);
    }
    if (task.lastStatus !== 'RUNNING') return;

    const now = this.deps.clock.now();
    const graceMs = (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
    const verdict = judgeTaskHealth({
      lastStatus: task.lastStatus,
      checkedContainers: task.containers.filter((c) => c.healthChecked),
      targets: task.targets.map((t) => {
        const health = this.deps.loadBalancing.targetHealth(scope, t);
        return { targetGroupArn: t.targetGroupArn, state: health?.state, description: health?.description ?? health?.reason };
      }),
      inGracePeriod: task.startedAt !== undefined && now < task.startedAt.getTime() + graceMs,
    });
    if (verdict.kind === 'healthy' && !task.everHealthy) {
      task.everHealthy = true;
      this.deps.healthy(scope, task);
      this.deps.changed();
    } else if (verdict.kind === 'failed-elb') {
      const port = task.targets.find((t) => t.targetGroupArn === verdict.targetGroupArn)?.port ?? 0;
      this.deps.event(scope, service, serviceEvents.targetUnhealthy(service.serviceName, task.taskId, port, verdict.targetGroupArn, verdict.description ?? 'Health checks failed'));
      this.deps.event(scope, service, serviceEvents.stoppedTasks(service.serviceName, [task.taskId]));
      this.stop(scope, task, 'ServiceSchedulerInitiated', stopReasons.failedElb(verdict.targetGroupArn), { failure: true });
    } else if (verdict.kind === 'failed-container') {
      this.deps.event(scope, service, serviceEvents.containerUnhealthy(service.serviceName, task.taskId, verdict.containerName));
      this.deps.event(scope, service, serviceEvents.stoppedTasks(service.serviceName, [task.taskId]));
      this.stop(scope, task, 'ServiceSchedulerInitiated', stopReasons.failedContainer, { failure: true });
    }
  }

  /** ACTIVATING registers the task's targets; then it is RUNNING. */
  private activate(scope: Scope, service: StoredService, task: StoredTask): void {
    const now = new Date(this.deps.clock.now());
    // Blue/green deployments register in their own target group of the pair; task sets in their own target group.
    const loadBalancers = service.deployments.find((d) => d.id === task.startedBy)?.loadBalancers
      ?? service.taskSets?.find((ts) => ts.id === task.startedBy)?.loadBalancers
      ?? service.loadBalancers;
    if (loadBalancers.length > 0) {
      this.transition(task, 'ACTIVATING');
      for (const lb of loadBalancers) {
        const container = task.containers.find((c) => c.name === lb.containerName);
        const binding = container?.networkBindings.find((b) => b.containerPort === lb.containerPort);
        if (!lb.targetGroupArn || !binding?.hostPort) continue;
        const target: TargetRef = { targetGroupArn: lb.targetGroupArn, id: '127.0.0.1', port: binding.hostPort };
        this.deps.loadBalancing.registerTarget(scope, target);
        task.targets.push(target);
        this.deps.event(scope, service, serviceEvents.registeredTargets(service.serviceName, 1, lb.targetGroupArn));
      }
    }
    this.transition(task, 'RUNNING');
    task.startedAt = now;
    task.connectivityAt = now;
    this.deps.changed();
  }

  /**
   * Stops a task the way ECS does: DEACTIVATING (deregister, wait until the
   * target group's deregistration delay has drained it), STOPPING (SIGTERM,
   * SIGKILL after stopTimeout), DEPROVISIONING, STOPPED.
   */
  stop(scope: Scope, task: StoredTask, stopCode: StopCode, reason: string, options: { failure?: boolean } = {}): Promise<void> {
    const running = this.stops.get(task.taskArn);
    if (running) return running;
    if (task.lastStatus === 'STOPPED') return Promise.resolve();
    task.desiredStatus = 'STOPPED';
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    task.version += 1;
    if (options.failure) this.deps.failed(scope, task);
    this.deps.changed();
    const flow = this.runStop(scope, task).catch((err: unknown) => {
      if (!this.aborter.signal.aborted) this.deps.log(`task ${task.taskId}: stopping failed: ${(err as Error).message}`);
    });
    this.stops.set(task.taskArn, flow);
    return flow;
  }

  private async runStop(scope: Scope, task: StoredTask): Promise<void> {
    const { clock, loadBalancing } = this.deps;
    const service = this.deps.serviceOf(scope, task);
    if (task.targets.length > 0) {
      this.transition(task, 'DEACTIVATING');
      const groups = new Map<string, number>();
      for (const target of task.targets) {
        loadBalancing.deregisterTarget(scope, target);
        groups.set(target.targetGroupArn, (groups.get(target.targetGroupArn) ?? 0) + 1);
      }
      if (service) {
        for (const [arn, count] of groups) this.deps.event(scope, service, serviceEvents.deregisteredTargets(service.serviceName, count, arn));
        this.deps.event(scope, service, serviceEvents.beganDraining(service.serviceName, 1));
      }
      this.deps.changed();
      while (task.targets.some((t) => loadBalancing.targetHealth(scope, t) !== undefined)) {
        await clock.sleep(DRAIN_POLL_REAL_MS * clock.speed, this.aborter.signal);
      }
      task.targets = [];
    }
    this.transition(task, 'STOPPING');
    task.stoppingAt = new Date(clock.now());
    this.deps.changed();
    const handle = this.processes.get(task.taskArn);
    if (handle) {
      await handle.stop();
      this.readContainers(task, handle);
    }
    if (this.aborter.signal.aborted) return;
    this.transition(task, 'DEPROVISIONING');
    this.finish(task);
  }

  private failToStart(scope: Scope, task: StoredTask, reason: string): void {
    if (task.lastStatus === 'STOPPED') return;
    const now = new Date(this.deps.clock.now());
    task.desiredStatus = 'STOPPED';
    task.stopCode = 'TaskFailedToStart';
    task.stoppedReason = reason;
    task.pullStoppedAt ??= now;
    this.deps.failed(scope, task);
    const handle = this.processes.get(task.taskArn);
    if (handle) {
      void handle.stop().finally(() => this.finish(task));
    } else {
      this.finish(task);
    }
  }

  private finish(task: StoredTask): void {
    const now = new Date(this.deps.clock.now());
    for (const c of task.containers) {
      if (c.lastStatus !== 'STOPPED') c.lastStatus = 'STOPPED';
    }
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.executionStoppedAt ??= now;
    task.stoppingAt ??= now;
    task.stoppedAt = now;
    task.version += 1;
    this.processes.delete(task.taskArn);
    this.stops.delete(task.taskArn);
    this.deps.changed();
  }

  /** After a restart the processes are gone: the task is STOPPED and its targets go. */
  recover(scope: Scope, task: StoredTask): void {
    if (task.lastStatus === 'STOPPED') return;
    for (const target of task.targets) {
      try {
        this.deps.loadBalancing.deregisterTarget(scope, target);
      } catch {
        // The target group may be gone too; nothing is left to drain.
      }
    }
    task.targets = [];
    task.stopCode = 'ServiceSchedulerInitiated';
    task.stoppedReason = stopReasons.emulatorRestarted;
    this.finish(task);
  }

  private readContainers(task: StoredTask, handle: RunningTaskProcesses): void {
    const states = handle.containers();
    for (const container of task.containers) {
      const state = states.find((s) => s.name === container.name);
      if (!state) continue;
      container.lastStatus = state.lastStatus;
      container.healthStatus = container.healthChecked || state.healthStatus !== 'UNKNOWN' ? state.healthStatus : 'UNKNOWN';
      container.exitCode = state.exitCode;
      if (state.reason) container.reason = state.reason;
      container.runtimeId = state.pid === undefined ? container.runtimeId : String(state.pid);
    }
    task.healthStatus = taskHealthStatus(task.containers.filter((c) => c.healthChecked));
    if (task.executionStoppedAt === undefined && task.containers.every((c) => c.lastStatus === 'STOPPED') && task.containers.length > 0) {
      task.executionStoppedAt = new Date(this.deps.clock.now());
    }
  }

  private transition(task: StoredTask, status: StoredTask['lastStatus']): void {
    task.lastStatus = status;
    task.version += 1;
  }

  /** Stops every process (SIGTERM, then SIGKILL after stopTimeout) and every wait. */
  async close(): Promise<void> {
    this.aborter.abort(new Error('the emulator is closing'));
    const handles = [...this.processes.values()];
    this.processes.clear();
    await Promise.allSettled([...handles.map((h) => h.stop()), ...this.stops.values()]);
  }
}
