import type { StateValue } from '@aws-sdk/client-cloudwatch';
import type { EvaluatedPoint, ThresholdComparison, TreatMissingData } from './alarm-evaluation.js';

/**
 * StateReason and StateReasonData as CloudWatch writes them when an
 * evaluation changes an alarm's state, e.g.
 *   Threshold Crossed: 1 datapoint [12.0 (21/11/26 10:00:00)] was greater than the threshold (5.0).
 *   Threshold Crossed: 2 out of the last 3 datapoints [...] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).
 * Numbers print as Java doubles (12.0, 1.0E-4) and dates as dd/MM/yy HH:mm:ss UTC, as in AWS's messages.
 */

const WORDS: Record<ThresholdComparison, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** A number as Java's Double.toString prints it. */
export function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const magnitude = Math.abs(n);
  if (magnitude === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    const text = String(n);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '', exponent = '0'] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** dd/MM/yy HH:mm:ss in UTC. */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** ISO 8601 with CloudWatch's +0000 offset, as StateReasonData spells timestamps. */
export const reasonDataDate = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const wasWere = (n: number): string => (n === 1 ? 'was' : 'were');

export interface ReasonInput {
  state: StateValue;
  evaluated: readonly EvaluatedPoint[];
  threshold: number;
  comparison: ThresholdComparison;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  /** Whether the alarm names DatapointsToAlarm: CloudWatch then words its reason as "M out of the last N". */
  mOfN: boolean;
  treatMissingData: TreatMissingData;
}

export function stateReason(r: ReasonInput): string {
  const n = r.evaluationPeriods;
  if (r.state === 'INSUFFICIENT_DATA') return `Insufficient Data: ${plural(n, 'datapoint')} ${wasWere(n)} unknown.`;
  const toAlarm = r.state === 'ALARM';
  const real = r.evaluated.filter((p) => !p.filled);
  const filled = r.evaluated.filter((p) => p.filled);
  const treatedAs = r.treatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching';
  const threshold = `the threshold (${javaDouble(r.threshold)})`;
  const comparison = `${toAlarm ? '' : 'not '}${WORDS[r.comparison]}`;
  if (real.length === 0) {
    return `Threshold Crossed: no datapoints were received for ${plural(filled.length, 'period')} and ${plural(filled.length, 'missing datapoint')} ${wasWere(filled.length)} treated as [${treatedAs}].`;
  }
  // The points that carry the new state, newest first.
  const shown = real.filter((p) => p.breaching === toAlarm).reverse();
  const list = `[${shown.map((p) => `${javaDouble(p.value ?? 0)} (${reasonDate(p.timestamp)})`).join(', ')}]`;
  const minimum = toAlarm ? r.datapointsToAlarm : n - r.datapointsToAlarm + 1;
  const head = r.mOfN
    ? `Threshold Crossed: ${shown.length} out of the last ${n} datapoints ${list} ${wasWere(shown.length)} ${comparison} ${threshold} (minimum ${plural(minimum, 'datapoint')} for ${toAlarm ? 'OK -> ALARM' : 'ALARM -> OK'} transition)`
    : `Threshold Crossed: ${plural(shown.length, 'datapoint')} ${list} ${wasWere(shown.length)} ${comparison} ${threshold}`;
  const fills = filled.length > 0 ? ` and ${plural(filled.length, 'missing datapoint')} ${wasWere(filled.length)} treated as [${treatedAs}]` : '';
  return `${head}${fills}.`;
}

export interface ReasonDataInput {
  nowMs: number;
  /** The evaluation range: every period looked at, oldest first. */
  range: ReadonlyArray<{ timestamp: number; value: number | undefined; sampleCount?: number | undefined }>;
  evaluated: readonly EvaluatedPoint[];
  threshold: number;
  statistic: string | undefined;
  periodSeconds: number;
}

/** StateReasonData: the JSON document CloudWatch attaches to an evaluated state change. */
export function stateReasonData(r: ReasonDataInput): string {
  const sampleCountAt = new Map(r.range.map((p) => [p.timestamp, p.sampleCount]));
  const recent = r.range.filter((p) => p.value !== undefined).map((p) => p.value as number);
  return JSON.stringify({
    version: '1.0',
    queryDate: reasonDataDate(r.nowMs),
    startDate: reasonDataDate(r.range[0]?.timestamp ?? r.nowMs),
    ...(r.statistic ? { statistic: r.statistic } : {}),
    period: r.periodSeconds,
    recentDatapoints: recent,
    threshold: r.threshold,
    evaluatedDatapoints: [...r.evaluated].reverse().map((p) => ({
      timestamp: reasonDataDate(p.timestamp),
      ...(p.filled || sampleCountAt.get(p.timestamp) === undefined ? {} : { sampleCount: sampleCountAt.get(p.timestamp) }),
      ...(p.value === undefined ? {} : { value: p.value }),
    })),
  });
}
