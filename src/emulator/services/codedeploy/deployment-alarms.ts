/** The CloudWatch alarms a deployment watches: its group's alarmConfiguration, or the deployment's override. */
export interface MonitoredAlarms {
  /** Empty when monitoring is off (enabled false, or no alarms). */
  names: readonly string[];
  ignorePollFailure: boolean;
}

export const NO_ALARMS: MonitoredAlarms = { names: [], ignorePollFailure: false };

/**
 * Whether the watched alarms stop the deployment now, and why. CodeDeploy
 * stops a deployment when one of its alarms is in ALARM. An alarm whose state
 * cannot be read — in the emulator, one that does not exist — stops it too,
 * unless ignorePollAlarmFailure is set: the API reference says the deployment
 * stops when alarm status information cannot be retrieved. (ECS's own
 * deployment alarms, by contrast, never trigger on a name with no alarm.)
 */
export function alarmStop(alarms: MonitoredAlarms, stateOf: (name: string) => string | undefined): { why: string } | undefined {
  const states = alarms.names.map((name) => ({ name, state: stateOf(name) }));
  const firing = states.filter((a) => a.state === 'ALARM').map((a) => a.name);
  if (firing.length > 0) {
    const list = firing.join(', ');
    return { why: `The deployment was stopped because ${firing.length === 1 ? 'the alarm' : 'the alarms'} ${list} ${firing.length === 1 ? 'is' : 'are'} in the ALARM state.` };
  }
  const missing = alarms.ignorePollFailure ? [] : states.filter((a) => a.state === undefined).map((a) => a.name);
  if (missing.length > 0) {
    return { why: `The deployment was stopped because the state of the alarm ${missing.join(', ')} could not be retrieved: no such CloudWatch alarm exists (set ignorePollAlarmFailure to deploy without it).` };
  }
  return undefined;
}
