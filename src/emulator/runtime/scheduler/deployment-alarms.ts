import type { DeploymentAlarms } from '@aws-sdk/client-ecs';

/** An alarm's state by name; undefined when no such alarm exists. */
export type AlarmState = (name: string) => string | undefined;

/**
 * The deployment's alarms now in ALARM, in the configured order; empty when
 * monitoring is off. A name with no alarm behind it never triggers.
 */
export function triggeredAlarms(config: DeploymentAlarms | undefined, stateOf: AlarmState): string[] {
  if (!config?.enable) return [];
  return (config.alarmNames ?? []).filter((name) => stateOf(name) === 'ALARM');
}
