import type { Dimension, DimensionFilter } from '@aws-sdk/client-cloudwatch';

/** A dimension with both members present, as the store keeps it. */
export interface StoredDimension {
  Name: string;
  Value: string;
}

/**
 * Dimensions sorted by name: CloudWatch treats a metric's dimensions as a
 * set, so the order a caller lists them in does not make another metric.
 */
export function normalizeDimensions(dimensions: readonly Dimension[] | undefined): StoredDimension[] {
  return (dimensions ?? [])
    .map((d) => ({ Name: d.Name ?? '', Value: d.Value ?? '' }))
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** The identity of one metric: namespace, name and exact dimension set. */
export function seriesKey(namespace: string, metricName: string, dimensions: readonly StoredDimension[]): string {
  return JSON.stringify([namespace, metricName, dimensions.map((d) => [d.Name, d.Value])]);
}

/** Exact match, as GetMetricStatistics and alarms require: same names and values, nothing more. */
export function sameDimensions(a: readonly StoredDimension[], b: readonly StoredDimension[]): boolean {
  return a.length === b.length && a.every((d, i) => d.Name === b[i]?.Name && d.Value === b[i]?.Value);
}

/** ListMetrics' filter: every filter names a dimension the metric has (with that value, when given). */
export function matchesDimensionFilters(dimensions: readonly StoredDimension[], filters: readonly DimensionFilter[]): boolean {
  return filters.every((f) => dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)));
}
