import type { Clock } from '../clock.js';

/**
 * How the ECS scheduler runs a task's containers. The process driver runs
 * each container as a local process; the scheduler only sees this contract.
 */

/** ContainerDefinition.healthCheck, with AWS's defaults applied. */
export interface ContainerHealthCheckSpec {
  /** ["CMD-SHELL", "curl -f ..."] or ["CMD", "prog", "arg"], as in the task definition. */
  command: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

export interface ContainerLaunch {
  name: string;
  /** Program and arguments: the image's command, adjusted by entryPoint/command. */
  command: string[];
  cwd: string | undefined;
  /** The whole environment the process gets: nothing is inherited implicitly. */
  env: Record<string, string>;
  essential: boolean;
  /** Seconds between SIGTERM and SIGKILL. ECS's default is 30. */
  stopTimeoutSeconds: number;
  healthCheck: ContainerHealthCheckSpec | undefined;
  /** Containers this one waits for, with ECS's conditions. */
  dependsOn: Array<{ containerName: string; condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY' }>;
}

/** What a container is doing, in ECS's vocabulary (Container.lastStatus, healthStatus). */
export interface ContainerState {
  name: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  exitCode: number | undefined;
  /** Why it stopped, when it did not simply exit (e.g. it could not be started). */
  reason: string | undefined;
  pid: number | undefined;
}

export type TaskOutputLine = { container: string; stream: 'stdout' | 'stderr'; line: string; timestamp: number };

export interface RunningTaskProcesses {
  containers(): ContainerState[];
  /** Called after any container changes state or health. */
  onChange(listener: () => void): void;
  /** Called for every line a container writes. */
  onOutput(listener: (line: TaskOutputLine) => void): void;
  /**
   * SIGTERM to every running container, SIGKILL to those still running after
   * their stopTimeout (virtual seconds). Resolves once all have exited.
   */
  stop(): Promise<void>;
}

export interface TaskDriver {
  launch(taskId: string, containers: ContainerLaunch[], clock: Clock): RunningTaskProcesses;
}
