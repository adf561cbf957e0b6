import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { scopeKey } from '../../request-context.js';
import type { Persistent } from '../../state-directory.js';

export interface Scope {
  account: string;
  region: string;
}

/** Metric alarms per account and Region, by name. */
export class AlarmStore implements Persistent {
  readonly stateName = 'cloudwatch';
  private scopes = new Map<string, Map<string, MetricAlarm>>();

  alarms(scope: Scope): Map<string, MetricAlarm> {
    const key = scopeKey(scope);
    let alarms = this.scopes.get(key);
    if (!alarms) this.scopes.set(key, (alarms = new Map()));
    return alarms;
  }

  /** Every account and Region that has alarms, with them. */
  *all(): Iterable<{ scope: Scope; alarms: Map<string, MetricAlarm> }> {
    for (const [key, alarms] of this.scopes) {
      if (alarms.size === 0) continue;
      // scopeKey is `${account}/${region}` and account ids hold no slash.
      const slash = key.indexOf('/');
      yield { scope: { account: key.slice(0, slash), region: key.slice(slash + 1) }, alarms };
    }
  }

  snapshot(): unknown {
    return Object.fromEntries([...this.scopes].map(([key, alarms]) => [key, [...alarms.values()]]));
  }

  restore(data: unknown): void {
    const saved = data as Record<string, MetricAlarm[]>;
    this.scopes = new Map(Object.entries(saved).map(([key, alarms]) => [key, new Map(alarms.map((a) => [a.AlarmName ?? '', a]))]));
  }
}
