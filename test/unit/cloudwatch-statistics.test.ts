import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateOfStatistics, aggregateOfValues } from '../../src/emulator/services/cloudwatch/aggregate.js';
import { percentile, ValueDistribution } from '../../src/emulator/services/cloudwatch/distribution.js';
import { MetricStore } from '../../src/emulator/services/cloudwatch/metric-store.js';
import { computeStatistic, parseStatistic, significantSampleCount } from '../../src/emulator/services/cloudwatch/statistics.js';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);
const stat = (name: string, values: number[], counts?: number[]): number | undefined => {
  const spec = parseStatistic(name);
  assert.ok(spec, name);
  return computeStatistic(spec, aggregateOfValues(values, counts, 1000));
};

test('statistics: names CloudWatch accepts, and ones it does not', () => {
  for (const name of ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'p99', 'p99.9', 'p0', 'p100', 'p50.25', 'tm90', 'tm(10%:90%)', 'TM(10%:90%)', 'wm95', 'tc(:50%)', 'ts99', 'IQM']) {
    assert.ok(parseStatistic(name), name);
  }
  for (const name of ['avg', 'sum', 'p101', 'p', 'p-1', 'tm(90%:10%)', 'x99', 'P99', '']) assert.equal(parseStatistic(name), undefined, name);
});

test('statistics: basic statistics and nearest-rank percentiles over raw values', () => {
  assert.deepEqual(
    ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'p50', 'p90', 'p99', 'p99.9', 'p100', 'p0'].map((s) => stat(s, oneToHundred)),
    [100, 5050, 50.5, 1, 100, 50, 90, 99, 100, 100, 1],
  );
  // Values + Counts weigh each value: 90 fast requests, 10 slow ones.
  assert.equal(stat('p90', [0.1, 2], [90, 10]), 0.1);
  assert.equal(stat('p91', [0.1, 2], [90, 10]), 2);
  assert.equal(stat('Average', [0.1, 2], [90, 10]), (9 + 20) / 100);
});

test('statistics: trimmed mean, winsorized mean, trimmed count and sum', () => {
  assert.equal(stat('tm90', oneToHundred), 45.5); // mean of 1..90
  assert.equal(stat('tm(10%:90%)', oneToHundred), 50.5); // mean of 11..90
  assert.equal(stat('tc(10%:90%)', oneToHundred), 80);
  assert.equal(stat('ts90', oneToHundred), 4095);
  assert.equal(stat('IQM', [1, 2, 3, 4]), 2.5);
  assert.equal(stat('wm(25%:75%)', [1, 2, 3, 100]), 2.25); // 100 is clamped to the p75 value, 3
});

test('statistics: percentiles are not available for negative values or for statistic sets with a spread', () => {
  assert.equal(stat('p50', [-1, 2, 3]), undefined);
  assert.equal(stat('Minimum', [-1, 2, 3]), -1);
  const spread = aggregateOfStatistics({ SampleCount: 10, Sum: 55, Minimum: 1, Maximum: 10 }, 100);
  assert.equal(computeStatistic({ kind: 'percentile', p: 99 }, spread), undefined);
  assert.equal(computeStatistic({ kind: 'Average' }, spread), 5.5);
  const uniform = aggregateOfStatistics({ SampleCount: 4, Sum: 8, Minimum: 2, Maximum: 2 }, 100);
  assert.equal(computeStatistic({ kind: 'percentile', p: 99 }, uniform), 2);
});

test('statistics: a percentile alarm needs 10 / (1 - p) samples from p50 up, 10 / p below', () => {
  assert.equal(Math.round(significantSampleCount({ kind: 'percentile', p: 99 })), 1000);
  assert.equal(Math.round(significantSampleCount({ kind: 'percentile', p: 10 })), 100);
  assert.equal(significantSampleCount({ kind: 'Average' }), 0);
});

test('distribution: exact below its cap; past it, bins keep percentiles within about one percent', () => {
  const d = new ValueDistribution(256);
  for (let i = 1; i <= 256; i++) d.add(i, 1);
  assert.equal(d.exact, true);
  for (let i = 257; i <= 10_000; i++) d.add(i / 7, 1);
  assert.equal(d.exact, false);
  assert.ok(d.distinct <= 256, `${d.distinct} bins`);
  const all = [...Array.from({ length: 256 }, (_, i) => i + 1), ...Array.from({ length: 10_000 - 256 }, (_, i) => (i + 257) / 7)].sort((a, b) => a - b);
  for (const p of [50, 90, 99]) {
    const truth = all[Math.ceil((p / 100) * all.length) - 1] ?? 0;
    const estimate = percentile(d.sorted(), p) ?? 0;
    assert.ok(Math.abs(estimate - truth) / truth < 0.02, `p${p}: ${estimate} vs ${truth}`);
  }
});

test('metric store: keeps the retention window and caps the values one metric holds', () => {
  let now = Date.UTC(2026, 0, 1);
  const store = new MetricStore({ now: () => now }, { retentionMs: 10 * 60_000, maxValuesPerMetric: 300, maxDistinctValuesPerSlot: 100 });
  const scope = { account: '000000000000', region: 'us-east-1' };
  const point = (timestamp: number, values: number[]) => ({ namespace: 'App', metricName: 'Latency', dimensions: [], timestamp, values });
  for (let minute = 0; minute < 8; minute++) {
    store.put(scope, [point(now + minute * 60_000, Array.from({ length: 100 }, (_, i) => minute * 1000 + i))]);
  }
  const [metric] = store.metrics(scope);
  assert.ok(metric);
  const window = { startMs: now, endMs: now + 8 * 60_000, periodMs: 60_000 };
  // 8 minutes of 100 distinct values each, at most 300 values: the oldest minutes went first.
  assert.deepEqual([...store.periods(metric, window).keys()].sort((a, b) => a - b), [5, 6, 7].map((m) => now + m * 60_000));

  now += 20 * 60_000;
  store.put(scope, [point(now - 20 * 60_000, [1])]); // older than the retention: dropped
  store.prune();
  assert.deepEqual(store.metrics(scope), []);
});
