import { existsSync } from 'node:fs';
import { startVerdict, type DependencyView } from './container-dependencies.js';
import { probeCommand } from './container-health.js';
import { startHealthChecks } from './container-health-check.js';
import { spawnProcessGroup, type ProcessContext, type ProcessGroup } from './container-process.js';
import { cannotStartReason } from './exit-status.js';
import { ProcessReaper } from './process-reaper.js';
import type { ContainerLaunch, ContainerState, RunningTaskProcesses, TaskDriver, TaskOutputLine } from './task-driver.js';

/**
 * The task driver that runs every container as a local process: started in
 * dependsOn order, health checked, its output read line by line, stopped with
 * SIGTERM then SIGKILL after its stopTimeout, as the ECS agent does with
 * Docker containers. When an essential container stops, the driver stops the
 * rest of the task, as the agent does; the scheduler sees the result through
 * containers() and onChange.
 */

export interface ProcessDriverOptions {
  /** The shell CMD-SHELL health checks run with. Default /bin/sh. */
  shell?: string;
  /** Longest output line emitted as one TaskOutputLine; longer lines are split. Default 16 KiB, as Docker. */
  maxLineLength?: number;
}

const DEFAULT_MAX_LINE_LENGTH = 16 * 1024;
/** The exit code the ECS agent gives a container it stopped because a dependency can never be met. */
const DEPENDENCY_STOP_EXIT_CODE = 143;

export function createProcessDriver(options: ProcessDriverOptions = {}): TaskDriver {
  const reaper = new ProcessReaper();
  const shell = options.shell ?? '/bin/sh';
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  return {
    launch: (taskId, containers, clock) => new TaskProcesses(taskId, containers, { clock, reaper, maxLineLength }, shell),
  };
}

interface Container {
  readonly launch: ContainerLaunch;
  state: ContainerState;
  /** The spawn was asked for and has not yet reported back. */
  spawning: boolean;
  group: ProcessGroup | undefined;
  stopHealthChecks: () => void;
  cancelKill: () => void;
}

class TaskProcesses implements RunningTaskProcesses {
  private readonly byName = new Map<string, Container>();
  private readonly changeListeners: Array<() => void> = [];
  private readonly outputListeners: Array<(line: TaskOutputLine) => void> = [];
  private stopping: Promise<void> | undefined;
  private resolveStopped: (() => void) | undefined;

  constructor(
    readonly taskId: string,
    launches: ContainerLaunch[],
    private readonly context: ProcessContext,
    private readonly shell: string,
  ) {
    for (const launch of launches) {
      this.byName.set(launch.name, {
        launch,
        state: { name: launch.name, lastStatus: 'PENDING', healthStatus: 'UNKNOWN', exitCode: undefined, reason: undefined, pid: undefined },
        spawning: false,
        group: undefined,
        stopHealthChecks: () => {},
        cancelKill: () => {},
      });
    }
    // Start after the caller had the chance to subscribe, so it sees every transition.
    queueMicrotask(() => this.advance());
  }

  containers(): ContainerState[] {
    return [...this.byName.values()].map((c) => ({ ...c.state }));
  }

  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  onOutput(listener: (line: TaskOutputLine) => void): void {
    this.outputListeners.push(listener);
  }

  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      this.resolveStopped = resolve;
      let changed = false;
      for (const container of this.byName.values()) {
        if (container.state.lastStatus === 'RUNNING') this.terminate(container);
        else if (container.state.lastStatus === 'PENDING' && !container.spawning) {
          // Never started: nothing to signal, and it never will start now.
          container.state = { ...container.state, lastStatus: 'STOPPED' };
          changed = true;
        }
      }
      if (changed) this.changed();
      this.settleIfAllStopped();
    });
    return this.stopping;
  }

  /** Starts every container whose dependencies are met; stops those whose dependencies never will be. */
  private advance(): void {
    if (this.stopping) return;
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const container of this.byName.values()) {
        if (container.state.lastStatus !== 'PENDING' || container.spawning) continue;
        const verdict = startVerdict(container.launch, (name) => this.dependencyView(name));
        if (verdict.kind === 'start') this.start(container);
        else if (verdict.kind === 'never') {
          container.state = { ...container.state, lastStatus: 'STOPPED', exitCode: DEPENDENCY_STOP_EXIT_CODE, reason: verdict.reason };
          this.containerStopped(container);
          if (this.stopping) return;
          progressed = true;
        }
      }
    }
  }

  private dependencyView(name: string): DependencyView | undefined {
    const container = this.byName.get(name);
    if (container === undefined) return undefined;
    const healthCheck = container.launch.healthCheck;
    return { state: container.state, hasHealthCheck: healthCheck !== undefined && probeCommand(healthCheck, this.shell) !== undefined };
  }

  private start(container: Container): void {
    const { launch } = container;
    const [program, ...args] = launch.command;
    container.spawning = true;
    if (program === undefined) {
      this.failedToStart(container, 'CannotStartContainerError: Error response from daemon: No command specified');
      return;
    }
    spawnProcessGroup(
      { program, args, cwd: launch.cwd, env: launch.env },
      {
        onSpawn: (group) => {
          container.spawning = false;
          container.group = group;
          container.state = { ...container.state, lastStatus: 'RUNNING', pid: group.pid };
          this.startHealthChecks(container);
          if (this.stopping) this.terminate(container);
          this.changed();
          this.advance();
        },
        onSpawnError: (error) => {
          const cwdExists = launch.cwd === undefined || existsSync(launch.cwd);
          this.failedToStart(container, cannotStartReason(program, error, cwdExists));
        },
        onLine: (stream, line) => this.output({ container: launch.name, stream, line, timestamp: this.context.clock.now() }),
        onExit: (exitCode) => {
          container.stopHealthChecks();
          container.cancelKill();
          container.group = undefined;
          container.state = { ...container.state, lastStatus: 'STOPPED', exitCode };
          this.containerStopped(container);
        },
      },
      this.context,
    );
  }

  private failedToStart(container: Container, reason: string): void {
    container.spawning = false;
    container.state = { ...container.state, lastStatus: 'STOPPED', exitCode: undefined, reason };
    this.containerStopped(container);
  }

  private startHealthChecks(container: Container): void {
    const { healthCheck, env, cwd } = container.launch;
    const probe = healthCheck && probeCommand(healthCheck, this.shell);
    if (healthCheck === undefined || probe === undefined) return;
    container.stopHealthChecks = startHealthChecks({
      spec: healthCheck,
      probe,
      env,
      cwd,
      context: this.context,
      onStatus: (healthStatus) => {
        if (container.state.lastStatus !== 'RUNNING') return;
        container.state = { ...container.state, healthStatus };
        this.changed();
        this.advance();
      },
    });
  }

  /** SIGTERM now, SIGKILL once the container's stopTimeout (virtual) has passed. */
  private terminate(container: Container): void {
    const group = container.group;
    if (group === undefined) return;
    group.signal('SIGTERM');
    container.cancelKill = this.context.clock.after(container.launch.stopTimeoutSeconds * 1000, () => group.signal('SIGKILL'));
  }

  private containerStopped(container: Container): void {
    this.changed();
    // An essential container that stops takes the task down with it.
    if (container.launch.essential && !this.stopping) void this.stop();
    this.settleIfAllStopped();
    this.advance();
  }

  private settleIfAllStopped(): void {
    if (this.resolveStopped === undefined) return;
    for (const container of this.byName.values()) if (container.state.lastStatus !== 'STOPPED') return;
    this.resolveStopped();
    this.resolveStopped = undefined;
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  private output(line: TaskOutputLine): void {
    for (const listener of this.outputListeners) listener(line);
  }
}
