import type { StateValue } from '@aws-sdk/client-cloudwatch';
import type { AlarmStore, Scope } from './alarm-store.js';

/** What other emulated services (ECS deployment alarms) need from CloudWatch. */
export interface AlarmPlane {
  /** The alarm's state, or undefined when no alarm has that name in this account and Region. */
  stateOf(scope: Scope, name: string): StateValue | undefined;
}

export class StoredAlarms implements AlarmPlane {
  constructor(private readonly store: AlarmStore) {}

  stateOf(scope: Scope, name: string): StateValue | undefined {
    return this.store.alarms(scope).get(name)?.StateValue;
  }
}
