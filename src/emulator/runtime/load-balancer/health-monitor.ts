import { workTimeoutRealMs, type Clock } from '../../clock.js';
import { runHealthCheck } from './health-check.js';
import type { CodeRange } from './health-matcher.js';
import { applyCheck, INITIAL_HEALTH, type HealthState } from './health-state.js';

/**
 * Health checks for one (target group, target): the first check right after
 * registration, then one every HealthCheckIntervalSeconds of virtual time,
 * each independent of how long the last one took (as ALB documents). The
 * settings are read again before every check, so ModifyTargetGroup applies
 * from the next one.
 */

export interface HealthCheckSettings {
  path: string;
  /** The port to check: the target's own port for 'traffic-port'. */
  port: number;
  host: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  ranges: readonly CodeRange[];
}

/**
 * Real milliseconds after ECS registers a task's target during which a
 * refused connection, while the target has never answered, is not counted. Starting a local process
 * takes real time that the clock's speed does not shrink (a Node.js app
 * needs 100 ms to 1 s before it listens, 5 to 50 s of virtual time at
 * --speed 50), where on AWS the container is up well within one interval.
 */
export const STARTUP_ALLOWANCE_REAL_MS = 10_000;

export class HealthMonitor {
  private health: HealthState = INITIAL_HEALTH;
  private readonly startedRealAt = Date.now();
  private answered = false;
  private cancelTimer: (() => void) | undefined;
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    /** Current settings, or undefined once the target is no longer checked. */
    private readonly settings: () => HealthCheckSettings | undefined,
    private readonly onChange: (health: HealthState) => void,
    /** Real ms after registration in which a refused connection, before the target ever answered, is not counted. */
    private readonly startupAllowanceRealMs = 0,
  ) {}

  start(): void {
    this.tick();
  }

  current(): HealthState {
    return this.health;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.abort.abort(new Error('health checks stopped'));
  }

  private tick(): void {
    if (this.stopped) return;
    const settings = this.settings();
    if (!settings) return;
    this.cancelTimer = this.clock.after(settings.intervalSeconds * 1000, () => this.tick());
    void runHealthCheck({
      host: settings.host,
      port: settings.port,
      path: settings.path,
      ranges: settings.ranges,
      timeoutRealMs: workTimeoutRealMs(this.clock, settings.timeoutSeconds * 1000),
      signal: this.abort.signal,
    }).then((result) => {
      if (this.stopped) return;
      if (result.ok || result.reason !== 'Target.FailedHealthChecks' || !result.refused) this.answered = true;
      else if (!this.answered && Date.now() - this.startedRealAt < this.startupAllowanceRealMs) return;
      const next = applyCheck(this.health, result, {
        healthy: settings.healthyThreshold,
        unhealthy: settings.unhealthyThreshold,
      });
      const changed = next.state !== this.health.state;
      this.health = next;
      if (changed) this.onChange(next);
    });
  }
}
