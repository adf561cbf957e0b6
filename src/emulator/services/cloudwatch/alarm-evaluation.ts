import type { StateValue } from '@aws-sdk/client-cloudwatch';

/**
 * How CloudWatch decides an alarm's state from the data points of its
 * evaluation range, as the CloudWatch user guide describes it ("How alarm
 * state is evaluated when data is missing" and "Avoiding premature
 * transitions to alarm state"). Pure: data points in, decision out.
 */

export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';
export type ThresholdComparison = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export interface RangePoint {
  /** Period start, virtual epoch ms. */
  timestamp: number;
  /** Undefined when the period has no data. */
  value: number | undefined;
}

export interface EvaluationInput {
  /** The evaluation range, oldest period first. */
  range: readonly RangePoint[];
  threshold: number;
  comparison: ThresholdComparison;
  /** N: how many data points decide the state. */
  evaluationPeriods: number;
  /** M: how many of them must breach for ALARM. */
  datapointsToAlarm: number;
  treatMissingData: TreatMissingData;
}

/** A data point that took part in the decision: real, or a missing one filled in as TreatMissingData says. */
export interface EvaluatedPoint {
  timestamp: number;
  value: number | undefined;
  breaching: boolean;
  filled: boolean;
}

export type Evaluation =
  | { outcome: 'retain' }
  | { outcome: 'state'; state: StateValue; evaluated: EvaluatedPoint[] };

/**
 * How many periods CloudWatch retrieves to evaluate N of them. AWS does not
 * publish the formula (it depends on the period and resolution); its guide's
 * examples retrieve 5 for N = 3, so the emulator takes N + 2.
 */
export const evaluationRangeLength = (evaluationPeriods: number): number => evaluationPeriods + 2;

export function breaches(value: number, comparison: ThresholdComparison, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'GreaterThanThreshold': return value > threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
  }
}

export function evaluateAlarm(input: EvaluationInput): Evaluation {
  const n = input.evaluationPeriods;
  const m = input.datapointsToAlarm;
  const real: EvaluatedPoint[] = input.range
    .filter((p): p is { timestamp: number; value: number } => p.value !== undefined)
    .map((p) => ({ timestamp: p.timestamp, value: p.value, breaching: breaches(p.value, input.comparison, input.threshold), filled: false }));
  const decide = (evaluated: EvaluatedPoint[]): Evaluation => ({
    outcome: 'state',
    state: evaluated.filter((p) => p.breaching).length >= m ? 'ALARM' : 'OK',
    evaluated,
  });

  // Enough real data: the N most recent real points, wherever they fall in the range.
  if (real.length >= n) return decide(real.slice(real.length - n));

  const treat = input.treatMissingData;
  if (treat === 'breaching' || treat === 'notBreaching') {
    // Fill only as many points as are missing from N, newest missing periods first.
    const missing = input.range.filter((p) => p.value === undefined).slice(-(n - real.length));
    const filled = missing.map((p) => ({ timestamp: p.timestamp, value: undefined, breaching: treat === 'breaching', filled: true }));
    return decide([...real, ...filled].sort((a, b) => a.timestamp - b.timestamp));
  }

  if (real.length === 0) return treat === 'ignore' ? { outcome: 'retain' } : { outcome: 'state', state: 'INSUFFICIENT_DATA', evaluated: [] };

  const breaching = real.filter((p) => p.breaching).length;
  if (breaching >= m) return { outcome: 'state', state: 'ALARM', evaluated: real };
  if (breaching < real.length) return { outcome: 'state', state: 'OK', evaluated: real };
  // Only breaching points, fewer than M. To avoid a premature ALARM, CloudWatch
  // alarms only once the oldest of them is at least M periods old (with nothing
  // newer but breaching or missing points); `ignore` keeps the state instead.
  if (treat === 'ignore') return { outcome: 'retain' };
  const oldest = real[0] as EvaluatedPoint;
  const age = input.range.length - input.range.findIndex((p) => p.timestamp === oldest.timestamp);
  return age >= m
    ? { outcome: 'state', state: 'ALARM', evaluated: real }
    : { outcome: 'state', state: 'INSUFFICIENT_DATA', evaluated: real };
}
