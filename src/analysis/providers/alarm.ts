import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { MetricsPort } from '../../engine/ports.js';
import { describeCause } from '../../spec/errors.js';
import { decided, rethrowAbort, type Reading } from './reading.js';

/**
 * Alarms already in ALARM before the deployment, by name, with when they
 * entered that state. While an alarm stays in that same ALARM episode it is
 * not counted against the new version (preexistingAlarm: proceed).
 */
export type PreexistingAlarms = ReadonlyMap<string, number>;

/**
 * DescribeAlarms for the metric's alarms. Any in ALARM: Failed; else any in
 * INSUFFICIENT_DATA: Inconclusive; else Successful. An alarm CloudWatch does
 * not know is an Error (a typo must not pass a deployment).
 */
export async function measureAlarms(names: readonly string[], metrics: MetricsPort, preexisting: PreexistingAlarms, signal: AbortSignal | undefined): Promise<Reading> {
  let alarms: Array<MetricAlarm | CompositeAlarm>;
  try {
    alarms = await metrics.describeAlarms(names, signal);
  } catch (err) {
    rethrowAbort(signal);
    return decided('Error', `DescribeAlarms failed: ${describeCause(err)}`);
  }
  return judgeAlarms(names, alarms, preexisting);
}

/** Pure: the reading for these alarm states. */
export function judgeAlarms(names: readonly string[], alarms: ReadonlyArray<MetricAlarm | CompositeAlarm>, preexisting: PreexistingAlarms): Reading {
  const byName = new Map(alarms.map((a) => [a.AlarmName ?? '', a]));
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length) return decided('Error', `alarm${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist in CloudWatch`);

  const lines: string[] = [];
  const firing: string[] = [];
  const insufficient: string[] = [];
  for (const name of names) {
    const alarm = byName.get(name);
    const state = alarm?.StateValue ?? 'INSUFFICIENT_DATA';
    const reason = alarm?.StateReason ? `: ${alarm.StateReason}` : '';
    if (state === 'ALARM' && isSameEpisode(alarm, preexisting.get(name))) {
      lines.push(`${name} ALARM since before the deployment; not counted against the new version${reason}`);
      continue;
    }
    lines.push(`${name} ${state}${reason}`);
    if (state === 'ALARM') firing.push(`${name}${reason}`);
    else if (state === 'INSUFFICIENT_DATA') insufficient.push(name);
  }
  if (firing.length) return decided('Failed', `alarm ${firing.join('; ')} is in ALARM`, lines, 'ALARM');
  if (insufficient.length) return decided('Inconclusive', `alarm ${insufficient.join(', ')} ${insufficient.length > 1 ? 'have' : 'has'} INSUFFICIENT_DATA`, lines, 'INSUFFICIENT_DATA');
  const ignored = lines.length - names.filter((n) => byName.get(n)?.StateValue === 'OK').length;
  return decided('Successful', ignored > 0 ? `no alarm in ALARM since the deployment started (${lines.join('; ')})` : `alarm${names.length > 1 ? 's' : ''} ${names.join(', ')} OK`, lines, 'OK');
}

function isSameEpisode(alarm: MetricAlarm | CompositeAlarm | undefined, firingSince: number | undefined): boolean {
  if (firingSince === undefined) return false;
  const since = alarm?.StateTransitionedTimestamp ?? alarm?.StateUpdatedTimestamp;
  // No timestamp to tell episodes apart: it was firing before, so it is not the new version's doing.
  return since === undefined || since.getTime() <= firingSince;
}
