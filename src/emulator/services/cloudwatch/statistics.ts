import type { Aggregate } from './aggregate.js';
import { percentile, trimmed, winsorizedMean } from './distribution.js';

/** A statistic CloudWatch computes over one period: a basic one, or an extended one over a percentile range. */
export type StatisticSpec =
  | { kind: 'SampleCount' | 'Sum' | 'Average' | 'Minimum' | 'Maximum' }
  | { kind: 'percentile'; p: number }
  | { kind: 'trimmedMean' | 'winsorizedMean' | 'trimmedCount' | 'trimmedSum'; low: number; high: number };

const BASIC = new Set(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum']);
const RANGED = { tm: 'trimmedMean', wm: 'winsorizedMean', tc: 'trimmedCount', ts: 'trimmedSum' } as const;
const NUMBER = String.raw`(\d{1,3}(?:\.\d{1,10})?)`;
const PERCENTILE = new RegExp(`^p${NUMBER}$`);
const SINGLE = new RegExp(`^(tm|wm|tc|ts)${NUMBER}$`);
const RANGE = new RegExp(`^(tm|wm|tc|ts)\\((?:${NUMBER}%)?:(?:${NUMBER}%)?\\)$`, 'i');

const inPercentRange = (n: number): boolean => n >= 0 && n <= 100;

/**
 * Parses a statistic name as CloudWatch spells it: SampleCount, Sum,
 * Average, Minimum, Maximum, pNN / pNN.NN, tmNN, tm(10%:90%), and the same
 * forms of wm, tc and ts; IQM is tm(25%:75%). Undefined for anything else.
 */
export function parseStatistic(name: string): StatisticSpec | undefined {
  if (BASIC.has(name)) return { kind: name as 'SampleCount' };
  if (name === 'IQM') return { kind: 'trimmedMean', low: 25, high: 75 };
  const p = PERCENTILE.exec(name);
  if (p) {
    const value = Number(p[1]);
    return inPercentRange(value) ? { kind: 'percentile', p: value } : undefined;
  }
  const single = SINGLE.exec(name);
  if (single) {
    const high = Number(single[2]);
    return inPercentRange(high) ? { kind: RANGED[single[1] as keyof typeof RANGED], low: 0, high } : undefined;
  }
  const range = RANGE.exec(name);
  if (range) {
    const low = range[2] === undefined ? 0 : Number(range[2]);
    const high = range[3] === undefined ? 100 : Number(range[3]);
    if (!inPercentRange(low) || !inPercentRange(high) || low >= high) return undefined;
    return { kind: RANGED[(range[1] ?? '').toLowerCase() as keyof typeof RANGED], low, high };
  }
  return undefined;
}

export const isBasicStatistic = (name: string): boolean => BASIC.has(name);

/**
 * The statistic's value for one period's aggregate; undefined when
 * CloudWatch would report no data point: an empty period, or an extended
 * statistic over values that are unknown or negative (CloudWatch computes
 * percentiles only for non-negative values).
 */
export function computeStatistic(spec: StatisticSpec, a: Aggregate): number | undefined {
  if (a.count <= 0) return undefined;
  switch (spec.kind) {
    case 'SampleCount': return a.count;
    case 'Sum': return a.sum;
    case 'Average': return a.sum / a.count;
    case 'Minimum': return a.min;
    case 'Maximum': return a.max;
    default: break;
  }
  if (!a.values || a.min < 0) return undefined;
  const sorted = a.values.sorted();
  switch (spec.kind) {
    case 'percentile': return percentile(sorted, spec.p);
    case 'winsorizedMean': return winsorizedMean(sorted, spec.low, spec.high);
    default: {
      const part = trimmed(sorted, spec.low, spec.high);
      if (spec.kind === 'trimmedCount') return part.count;
      if (spec.kind === 'trimmedSum') return part.sum;
      return part.count === 0 ? undefined : part.sum / part.count;
    }
  }
}

/**
 * How many samples a percentile needs to be statistically significant, as
 * the alarm guide puts it: 10 / (1 - p) from p50 up, 10 / p below.
 */
export function significantSampleCount(spec: StatisticSpec): number {
  if (spec.kind !== 'percentile') return 0;
  const fraction = spec.p / 100;
  if (fraction >= 1 || fraction <= 0) return 0;
  return fraction >= 0.5 ? 10 / (1 - fraction) : 10 / fraction;
}
