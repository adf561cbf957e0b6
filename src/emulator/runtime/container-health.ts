import type { ContainerHealthCheckSpec, ContainerState } from './task-driver.js';

/**
 * The container health check's state machine, as Docker (and so ECS) runs it:
 * UNKNOWN until the first result that counts; failures inside the start
 * period do not count, but a success there ends the start period early;
 * `retries` consecutive failures make the container UNHEALTHY, one success
 * makes it HEALTHY again. Pure, so the rules are tested as a table.
 */

export type HealthStatus = ContainerState['healthStatus'];

export interface HealthCheckState {
  status: HealthStatus;
  /** Consecutive failures that counted (outside the start period). */
  failureStreak: number;
  /** Set once a probe succeeded: from then on every failure counts, start period or not. */
  started: boolean;
}

/** A probe's verdict; a probe that timed out or could not be run is a failure. */
export type ProbeOutcome = 'success' | 'failure';

export const INITIAL_HEALTH: HealthCheckState = { status: 'UNKNOWN', failureStreak: 0, started: false };

export function afterProbe(
  state: HealthCheckState,
  outcome: ProbeOutcome,
  probe: { withinStartPeriod: boolean },
  retries: number,
): HealthCheckState {
  if (outcome === 'success') return { status: 'HEALTHY', failureStreak: 0, started: true };
  if (probe.withinStartPeriod && !state.started) return state;
  const failureStreak = state.failureStreak + 1;
  // Docker treats retries <= 0 as "the first counted failure is enough".
  const status = failureStreak >= Math.max(1, retries) ? 'UNHEALTHY' : state.status;
  return { status, failureStreak, started: state.started };
}

/** How a health check command runs; undefined for ["NONE"], an empty command, or an unknown form. */
export type ProbeCommand = { program: string; args: string[] };

export function probeCommand(spec: ContainerHealthCheckSpec, shell: string): ProbeCommand | undefined {
  const [kind, ...rest] = spec.command;
  if (kind === 'CMD-SHELL') return rest.length > 0 ? { program: shell, args: ['-c', rest.join(' ')] } : undefined;
  if (kind === 'CMD') {
    const [program, ...args] = rest;
    return program === undefined ? undefined : { program, args };
  }
  return undefined;
}
