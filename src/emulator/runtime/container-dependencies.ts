import type { ContainerLaunch, ContainerState } from './task-driver.js';

/**
 * Whether a container may start, given the containers it depends on. Mirrors
 * the ECS agent's container ordering: a dependency that can never reach its
 * condition (it stopped first) is terminal, and the waiting container is
 * stopped with the agent's "dependency graph" reason instead of hanging in
 * PENDING.
 */

export type DependencyCondition = ContainerLaunch['dependsOn'][number]['condition'];

export interface DependencyView {
  state: ContainerState;
  hasHealthCheck: boolean;
}

export type StartVerdict =
  | { kind: 'start' }
  | { kind: 'wait' }
  | { kind: 'never'; reason: string };

export function conditionVerdict(condition: DependencyCondition, dep: DependencyView): 'met' | 'wait' | 'never' {
  const { lastStatus, exitCode, healthStatus } = dep.state;
  const stopped = lastStatus === 'STOPPED';
  switch (condition) {
    // The agent counts a dependency that already stopped as started: START only orders the launch.
    case 'START':
      return lastStatus === 'PENDING' ? 'wait' : 'met';
    case 'COMPLETE':
      if (!stopped) return 'wait';
      return exitCode === undefined ? 'never' : 'met';
    case 'SUCCESS':
      if (!stopped) return 'wait';
      return exitCode === 0 ? 'met' : 'never';
    case 'HEALTHY':
      if (!dep.hasHealthCheck) return 'never';
      if (healthStatus === 'HEALTHY' && !stopped) return 'met';
      return stopped ? 'never' : 'wait';
  }
}

export function startVerdict(
  target: ContainerLaunch,
  lookup: (containerName: string) => DependencyView | undefined,
): StartVerdict {
  let waiting = false;
  for (const { containerName, condition } of target.dependsOn) {
    const dep = lookup(containerName);
    const verdict = dep === undefined ? 'never' : conditionVerdict(condition, dep);
    if (verdict === 'never') return { kind: 'never', reason: unresolvableReason(target.name, containerName, condition, dep?.state) };
    if (verdict === 'wait') waiting = true;
  }
  return waiting ? { kind: 'wait' } : { kind: 'start' };
}

function unresolvableReason(target: string, dependency: string, condition: DependencyCondition, state: ContainerState | undefined): string {
  const seen = state === undefined
    ? 'not in task'
    : `${state.lastStatus}${state.exitCode === undefined ? '' : ` - Exit: ${state.exitCode}`}, health ${state.healthStatus}`;
  return `CannotStartContainerError: dependency graph: failed to resolve container ordering dependency [${dependency} (${seen})] for target [${target}] with condition ${condition}`;
}
