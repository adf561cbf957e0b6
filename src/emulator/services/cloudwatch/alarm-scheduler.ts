import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { Clock } from '../../clock.js';
import { scopeKey } from '../../request-context.js';
import { alarmTarget, readAlarmRange, type AlarmTarget } from './alarm-datapoints.js';
import { evaluateAlarm } from './alarm-evaluation.js';
import { stateReason, stateReasonData } from './alarm-reasons.js';
import type { AlarmStore, Scope } from './alarm-store.js';
import type { MetricStore } from './metric-store.js';

/**
 * Every allowed alarm period (10, 30, multiples of 60 seconds) is a multiple
 * of ten seconds, so a tick on each ten-second boundary of the virtual clock
 * reaches every alarm at its own period boundaries.
 */
const TICK_MS = 10_000;

/**
 * Evaluates every metric alarm at each of its period boundaries on the
 * emulator clock and writes the state changes into the alarm store, where
 * DescribeAlarms and ECS (through AlarmPlane) read them. A SetAlarmState
 * lasts until the next evaluation, as in CloudWatch.
 */
export class AlarmScheduler {
  /** Per alarm, the last period boundary evaluated. */
  private evaluated = new Map<string, number>();
  private cancel: (() => void) | undefined;
  private closed = false;

  constructor(private readonly deps: {
    alarms: AlarmStore;
    metrics: MetricStore;
    clock: Clock;
    onChange: () => void;
    log: (line: string) => void;
  }) {}

  start(): void {
    if (this.closed || this.cancel) return;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.cancel?.();
    this.cancel = undefined;
  }

  /** Evaluates every alarm whose period boundary has passed since its last evaluation. */
  tick(): void {
    const now = this.deps.clock.now();
    this.deps.metrics.prune();
    const seen = new Map<string, number>();
    let changed = false;
    for (const { scope, alarms } of this.deps.alarms.all()) {
      for (const alarm of alarms.values()) {
        const target = alarmTarget(alarm);
        if (!target) continue;
        const periodMs = target.periodSeconds * 1000;
        const boundary = Math.floor(now / periodMs) * periodMs;
        const key = `${scopeKey(scope)}\u0000${alarm.AlarmName ?? ''}`;
        seen.set(key, boundary);
        const last = this.evaluated.get(key);
        // A new (or restored) alarm is first evaluated at its next period boundary,
        // so a SetAlarmState right after PutMetricAlarm holds for a while, as in AWS.
        if (last === undefined || last === boundary) continue;
        try {
          changed = this.evaluate(scope, alarm, target, boundary, now) || changed;
        } catch (err) {
          // One alarm the evaluator cannot handle must not stop the others, nor the emulator.
          this.deps.log(`CloudWatch: alarm ${alarm.AlarmName ?? ''} in ${scope.region} was not evaluated: ${(err as Error).message}`);
        }
      }
    }
    // Deleted alarms drop out of the map here.
    this.evaluated = seen;
    if (changed) this.deps.onChange();
  }

  private evaluate(scope: Scope, alarm: MetricAlarm, target: AlarmTarget, boundary: number, now: number): boolean {
    const range = readAlarmRange(this.deps.metrics, scope, target, boundary, now);
    if (range.lowSamples) return false;
    const decision = evaluateAlarm({ ...target, range: range.points });
    if (decision.outcome === 'retain' || decision.state === alarm.StateValue) return false;
    const at = new Date(now);
    alarm.StateValue = decision.state;
    alarm.StateReason = stateReason({ ...target, state: decision.state, evaluated: decision.evaluated });
    alarm.StateReasonData = stateReasonData({
      nowMs: now,
      range: range.points,
      evaluated: decision.evaluated,
      threshold: target.threshold,
      statistic: target.statistic,
      periodSeconds: target.periodSeconds,
    });
    alarm.StateUpdatedTimestamp = at;
    alarm.StateTransitionedTimestamp = at;
    return true;
  }

  private schedule(): void {
    if (this.closed) return;
    const now = this.deps.clock.now();
    const next = (Math.floor(now / TICK_MS) + 1) * TICK_MS;
    this.cancel = this.deps.clock.after(next - now, () => {
      this.cancel = undefined;
      try {
        this.tick();
      } finally {
        this.schedule();
      }
    });
  }
}
