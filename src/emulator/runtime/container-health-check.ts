import { workTimeoutRealMs } from '../clock.js';
import { afterProbe, INITIAL_HEALTH, type HealthStatus, type ProbeCommand, type ProbeOutcome } from './container-health.js';
import { spawnProcessGroup, type ProcessContext, type ProcessGroup } from './container-process.js';
import type { ContainerHealthCheckSpec } from './task-driver.js';

/**
 * Runs a container's health check while it runs: the first probe one
 * interval after the container started, the next one interval after the
 * previous finished (probes never overlap, as in Docker), each killed at
 * its timeout. Returns a function that stops checking and kills a probe in
 * flight.
 */
export function startHealthChecks(options: {
  spec: ContainerHealthCheckSpec;
  probe: ProbeCommand;
  env: Record<string, string>;
  cwd: string | undefined;
  context: ProcessContext;
  onStatus: (status: HealthStatus) => void;
}): () => void {
  const { spec, probe, context } = options;
  const { clock } = context;
  const startedAt = clock.now();
  let state = INITIAL_HEALTH;
  let stopped = false;
  let cancelTimer = clock.after(spec.intervalSeconds * 1000, runProbe);
  let inFlight: ProcessGroup | undefined;

  function runProbe(): void {
    if (stopped) return;
    const probeStartedAt = clock.now();
    let settled = false;
    const finish = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      cancelTimer();
      inFlight = undefined;
      if (stopped) return;
      const withinStartPeriod = probeStartedAt - startedAt < spec.startPeriodSeconds * 1000;
      const next = afterProbe(state, outcome, { withinStartPeriod }, spec.retries);
      const changed = next.status !== state.status;
      state = next;
      if (changed) options.onStatus(state.status);
      cancelTimer = clock.after(spec.intervalSeconds * 1000, runProbe);
    };
    const timer = setTimeout(() => {
      inFlight?.signal('SIGKILL');
      finish('failure');
    }, workTimeoutRealMs(clock, spec.timeoutSeconds * 1000));
    timer.unref();
    cancelTimer = () => clearTimeout(timer);
    spawnProcessGroup(
      { program: probe.program, args: probe.args, cwd: options.cwd, env: options.env },
      {
        onSpawn: (group) => {
          inFlight = group;
          if (stopped || settled) group.signal('SIGKILL');
        },
        onSpawnError: () => finish('failure'),
        onExit: (exitCode) => finish(exitCode === 0 ? 'success' : 'failure'),
      },
      context,
    );
  }

  return () => {
    stopped = true;
    cancelTimer();
    inFlight?.signal('SIGKILL');
  };
}
