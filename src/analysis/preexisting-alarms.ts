import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { EventBody } from '../engine/events.js';
import type { MetricsPort } from '../engine/ports.js';
import { RolloutError } from '../spec/errors.js';
import type { Analysis, PreexistingAlarmAction } from '../spec/analysis.js';
import type { PreexistingAlarms } from './providers/alarm.js';

/** One alarm an analysis watches. */
export interface AlarmUse {
  analysis: string;
  metric: string;
  alarm: string;
  action: PreexistingAlarmAction;
}

export interface PreexistingFinding {
  missing: AlarmUse[];
  firing: Array<AlarmUse & { since: Date | undefined; reason: string | undefined }>;
}

/** What `analysis` says for the alarms of the ECS deployment configuration (strategy.alarms or the service's own). */
export const DEPLOYMENT_ALARMS = 'strategy.alarms';

/** The ECS deployment alarms the deployment will run with, as uses. Pure. */
export function deploymentAlarmUses(names: readonly string[], action: PreexistingAlarmAction): AlarmUse[] {
  return names.map((alarm) => ({ analysis: DEPLOYMENT_ALARMS, metric: 'deployment alarm', alarm, action }));
}

/** Who watches the alarm, for messages. */
function watcher(use: AlarmUse, withMetric: boolean): string {
  if (use.analysis === DEPLOYMENT_ALARMS) return 'an ECS deployment alarm';
  return withMetric ? `analysis ${use.analysis}, metric ${use.metric}` : `analysis ${use.analysis}`;
}

/** The alarms these analyses watch, in file order. Pure. */
export function alarmUses(analyses: readonly Analysis[]): AlarmUse[] {
  return analyses.flatMap((a) =>
    a.metrics.flatMap((m) => (m.provider.kind === 'alarm' ? m.provider.names.map((alarm) => ({ analysis: a.name, metric: m.name, alarm, action: a.preexistingAlarm })) : [])),
  );
}

/** Which watched alarms do not exist and which are in ALARM already. Pure. */
export function judgePreexisting(uses: readonly AlarmUse[], alarms: ReadonlyArray<MetricAlarm | CompositeAlarm>): PreexistingFinding {
  const byName = new Map(alarms.map((a) => [a.AlarmName ?? '', a]));
  const finding: PreexistingFinding = { missing: [], firing: [] };
  for (const use of uses) {
    const alarm = byName.get(use.alarm);
    if (!alarm) finding.missing.push(use);
    else if (alarm.StateValue === 'ALARM') finding.firing.push({ ...use, since: alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp, reason: alarm.StateReason });
  }
  return finding;
}

/**
 * Before the first change of a deploy: the alarms its analyses watch must
 * exist, and one already in ALARM cannot judge the new version. With
 * preexistingAlarm: stop (the default) that is a PreflightFailed user error
 * (exit 2, nothing changed); with proceed it is a warning, and the alarm is
 * not counted against the new version while it stays in that same ALARM.
 */
export async function checkPreexistingAlarms(
  analyses: readonly Analysis[], metrics: MetricsPort, emit: (event: EventBody) => void, signal?: AbortSignal, deploymentAlarms: readonly AlarmUse[] = [],
): Promise<PreexistingAlarms> {
  const uses = [...alarmUses(analyses), ...deploymentAlarms];
  if (uses.length === 0) return new Map();
  const names = [...new Set(uses.map((u) => u.alarm))];
  const finding = judgePreexisting(uses, await metrics.describeAlarms(names, signal));

  if (finding.missing.length) {
    const message = finding.missing.map((u) => `alarm ${u.alarm} (${watcher(u, true)}) does not exist in CloudWatch`).join('; ');
    emit({ type: 'preflight-failed', check: 'alarms', message });
    throw new RolloutError('PreflightFailed', `preflight failed: ${message}; create it or fix the name in ecs-rollout.yaml`);
  }
  const preexisting = new Map<string, number>();
  for (const f of finding.firing) {
    emit({ type: 'alarm-already-firing', analysis: f.analysis, alarm: f.alarm, since: f.since?.toISOString(), reason: f.reason, action: f.action });
    if (f.action === 'proceed') preexisting.set(f.alarm, f.since?.getTime() ?? Number.POSITIVE_INFINITY);
  }
  const stopping = finding.firing.filter((f) => f.action === 'stop');
  if (stopping.length) {
    const which = stopping.map((f) => `alarm ${f.alarm} (${watcher(f, false)}) is already in ALARM${f.since ? ` since ${f.since.toISOString()}` : ''}${f.reason ? `: ${f.reason}` : ''}`).join('; ');
    const fixes = [
      ...(stopping.some((f) => f.analysis !== DEPLOYMENT_ALARMS) ? ['set preexistingAlarm: proceed on the analysis to deploy anyway (it is then not counted against the new version)'] : []),
      ...(stopping.some((f) => f.analysis === DEPLOYMENT_ALARMS)
        ? ['set strategy.alarms.preexistingAlarm: proceed to deploy anyway (ECS watches its deployment alarms from the start and may roll back at once; the tool then says the alarm was firing before)']
        : []),
    ];
    const message = `${which}. An alarm firing before the deploy cannot judge the new version; resolve it first, or ${fixes.join(', or ')}`;
    emit({ type: 'preflight-failed', check: 'alarms', message: which });
    throw new RolloutError('PreflightFailed', `preflight failed: ${message}`);
  }
  const proceeding = finding.firing.map((f) => f.alarm);
  emit({
    type: 'preflight-passed',
    check: 'alarms',
    message: proceeding.length
      ? `proceeding although ${[...new Set(proceeding)].join(', ')} ${proceeding.length > 1 ? 'are' : 'is'} in ALARM (preexistingAlarm: proceed)`
      : `alarm${names.length > 1 ? 's' : ''} ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not in ALARM`,
  });
  return preexisting;
}
