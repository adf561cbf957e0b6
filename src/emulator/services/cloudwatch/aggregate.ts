import { ValueDistribution } from './distribution.js';

/**
 * What CloudWatch keeps of the samples in one time slot: count, sum, min and
 * max, and the values themselves for percentiles. `values` is undefined when
 * a publisher sent a StatisticSet that cannot be expanded into values (more
 * than one sample with different minimum and maximum): CloudWatch then has
 * no percentiles for that slot, and neither does the emulator.
 */
export interface Aggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  values: ValueDistribution | undefined;
}

export function aggregateOfValues(values: readonly number[], counts: readonly number[] | undefined, maxDistinct: number): Aggregate {
  const distribution = new ValueDistribution(maxDistinct);
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  values.forEach((value, i) => {
    const n = counts?.[i] ?? 1;
    if (n <= 0) return;
    distribution.add(value, n);
    count += n;
    sum += value * n;
    min = Math.min(min, value);
    max = Math.max(max, value);
  });
  return { count, sum, min, max, values: distribution };
}

export function aggregateOfStatistics(
  s: { SampleCount: number; Sum: number; Minimum: number; Maximum: number },
  maxDistinct: number,
): Aggregate {
  // One sample, or all samples equal: the values are known exactly.
  const single = s.SampleCount === 1 ? s.Sum : s.Minimum === s.Maximum ? s.Minimum : undefined;
  return {
    count: s.SampleCount,
    sum: s.Sum,
    min: s.Minimum,
    max: s.Maximum,
    values: single === undefined ? undefined : ValueDistribution.from([[single, s.SampleCount]], maxDistinct),
  };
}

/** Adds `from` into `into` (which it changes). */
export function mergeInto(into: Aggregate, from: Aggregate): void {
  into.count += from.count;
  into.sum += from.sum;
  into.min = Math.min(into.min, from.min);
  into.max = Math.max(into.max, from.max);
  if (into.values && from.values) into.values.merge(from.values);
  else into.values = undefined;
}

/** A fresh aggregate equal to `a`, safe to merge into. */
export function copyAggregate(a: Aggregate, maxDistinct: number): Aggregate {
  return { ...a, values: a.values ? ValueDistribution.from(a.values.pairs(), maxDistinct) : undefined };
}
