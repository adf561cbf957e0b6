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

/**
 * How long a rolling deployment with alarms stays IN_PROGRESS after it is
 * otherwise complete, still watching them. ECS computes this "bake time"
 * from the alarms and does not publish the formula; the emulator takes the
 * longest window of data any of the alarms evaluates (period x evaluation
 * periods), so an alarm fed by the new tasks' traffic can still fire.
 */
export function alarmBakeMs(config: DeploymentAlarms | undefined, windowSecondsOf: (name: string) => number | undefined): number {
  if (!config?.enable) return 0;
  return Math.max(0, ...(config.alarmNames ?? []).map((name) => (windowSecondsOf(name) ?? 0) * 1000));
}
