import type { StateValue } from '@aws-sdk/client-cloudwatch';
import type { AlarmStore, Scope } from './alarm-store.js';

/** What other emulated services (ECS deployment alarms) need from CloudWatch. */
export interface AlarmPlane {
  /** The alarm's state, or undefined when no alarm has that name in this account and Region. */
  stateOf(scope: Scope, name: string): StateValue | undefined;
  /** Seconds of data the alarm looks at (period x evaluation periods); undefined when there is no such alarm. */
  evaluationWindowSeconds?(scope: Scope, name: string): number | undefined;
}

export class StoredAlarms implements AlarmPlane {
  constructor(private readonly store: AlarmStore) {}

  stateOf(scope: Scope, name: string): StateValue | undefined {
    return this.store.alarms(scope).get(name)?.StateValue;
  }

  evaluationWindowSeconds(scope: Scope, name: string): number | undefined {
    const alarm = this.store.alarms(scope).get(name);
    if (!alarm) return undefined;
    // A metric-math alarm has no Period of its own: its queries' periods decide.
    const period = alarm.Period ?? Math.max(0, ...(alarm.Metrics ?? []).map((m) => m.MetricStat?.Period ?? m.Period ?? 0));
    return period * (alarm.EvaluationPeriods ?? 1);
  }
}
