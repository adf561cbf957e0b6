import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asSeriesList, evaluateExpression, type MathValue, type TimeSeries } from '../../src/emulator/services/cloudwatch/metric-math/evaluate.js';
import { MetricMathError, parseExpression, referencedIds } from '../../src/emulator/services/cloudwatch/metric-math/parser.js';
import { errors } from '../../src/emulator/services/cloudwatch/catalogue.js';
import { runQueries, validateQueries } from '../../src/emulator/services/cloudwatch/metric-queries.js';

const P = 60_000;
const grid = { startMs: 0, endMs: 5 * P, periodMs: P };
const ts = (...values: Array<number | undefined>): TimeSeries => ({
  label: '',
  points: new Map(values.flatMap((v, i): Array<[number, number]> => (v === undefined ? [] : [[i * P, v]]))),
});

function run(expression: string, vars: Record<string, TimeSeries>): Array<[number, number]> | number {
  const value: MathValue = evaluateExpression(parseExpression(expression), {
    grid,
    lookup: (id) => (vars[id] ? { kind: 'series', series: vars[id] } : undefined),
    allMetrics: () => Object.values(vars),
  });
  if (value.kind === 'scalar') return value.value;
  const [first] = asSeriesList(value, grid);
  return [...(first?.points ?? [])].sort((a, b) => a[0] - b[0]).map(([t, v]) => [t / P, v]);
}

test('metric math: precedence, associativity, unary minus and parentheses', () => {
  const table: Array<[string, number]> = [
    ['1 + 2 * 3', 7], ['(1 + 2) * 3', 9], ['10 - 4 - 3', 3], ['2 ^ 3 ^ 2', 512], ['-2 ^ 2', -4], ['100 * 3 / 4', 75],
    ['1 < 2 AND 3 > 4', 0], ['1 < 2 || 3 > 4', 1], ['2 >= 2', 1], ['1 == 1 && 2 != 2', 0], ['.5 + 1e1', 10.5],
  ];
  for (const [expression, expected] of table) assert.equal(run(expression, {}), expected, expression);
});

test('metric math: a ratio of two series aligns by timestamp; gaps and division by zero leave gaps', () => {
  const errorsSeries = ts(1, 0, 5, undefined, 2);
  const requests = ts(10, 20, 50, 40, 0);
  assert.deepEqual(run('100 * errors / requests', { errors: errorsSeries, requests }), [[0, 10], [1, 0], [2, 10]]);
  assert.deepEqual(run('100 * FILL(errors, 0) / requests', { errors: errorsSeries, requests }), [[0, 10], [1, 0], [2, 10], [3, 0]]);
});

test('metric math: SUM, AVG, MIN, MAX reduce one series to a number and an array across series', () => {
  const a = ts(1, 2, 3);
  const b = ts(10, undefined, 30);
  assert.equal(run('SUM(a)', { a }), 6);
  assert.equal(run('AVG(a)', { a }), 2);
  assert.equal(run('MIN(b)', { b }), 10);
  assert.equal(run('MAX(b) - MIN(a)', { a, b }), 29);
  assert.deepEqual(run('SUM([a, b])', { a, b }), [[0, 11], [1, 2], [2, 33]]);
  assert.deepEqual(run('MAX(METRICS())', { a, b }), [[0, 10], [1, 2], [2, 30]]);
});

test('metric math: FILL with a value, REPEAT and LINEAR over the query grid', () => {
  const gappy = ts(undefined, 2, undefined, undefined, 8);
  assert.deepEqual(run('FILL(m, 0)', { m: gappy }), [[0, 0], [1, 2], [2, 0], [3, 0], [4, 8]]);
  assert.deepEqual(run('FILL(m, REPEAT)', { m: gappy }), [[1, 2], [2, 2], [3, 2], [4, 8]]);
  assert.deepEqual(run('FILL(m, LINEAR)', { m: gappy }), [[1, 2], [2, 4], [3, 6], [4, 8]]);
});

test('metric math: IF, ABS, CEIL, FLOOR and PERIOD', () => {
  const m = ts(-1.5, 2.5, 10);
  assert.deepEqual(run('IF(m > 2, m, 0)', { m }), [[0, 0], [1, 2.5], [2, 10]]);
  assert.deepEqual(run('IF(m > 2, 1)', { m }), [[1, 1], [2, 1]]);
  assert.deepEqual(run('ABS(m)', { m }), [[0, 1.5], [1, 2.5], [2, 10]]);
  assert.deepEqual(run('CEIL(m)', { m }), [[0, -1], [1, 3], [2, 10]]);
  assert.deepEqual(run('FLOOR(m)', { m }), [[0, -2], [1, 2], [2, 10]]);
  assert.deepEqual(run('m / PERIOD(m)', { m: ts(60, 120) }), [[0, 1], [1, 2]]);
});

test('metric math: syntax and evaluation errors name what is wrong', () => {
  const fails = (expression: string, pattern: RegExp, vars: Record<string, TimeSeries> = {}) => assert.throws(
    () => run(expression, vars),
    (err: Error) => err instanceof MetricMathError && pattern.test(err.message),
    expression,
  );
  fails('', /empty/);
  fails('1 +', /Unexpected the end/);
  fails('(1 + 2', /Expected '\)'/);
  fails('m1 $ 2', /Unexpected character '\$'/);
  fails('Errors / 2', /lower case letter/);
  fails('sum(m)', /function names are upper case/);
  fails('NOPE(m)', /Unknown function NOPE/, { m: ts(1) });
  fails('FILL(m)', /FILL takes 2 arguments/, { m: ts(1) });
  fails('missing + 1', /Unrecognized identifier missing/);
  assert.deepEqual([...referencedIds(parseExpression('100 * FILL(e, 0) / (r + SUM([a, b]))'))].sort(), ['a', 'b', 'e', 'r']);
});

test('metric queries: expressions run after what they read; unknown ids and cycles are validation errors', () => {
  const queries = validateQueries([
    { Id: 'ratio', Expression: '100 * errors / requests', Label: 'Error rate' },
    { Id: 'errors', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
    { Id: 'requests', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Requests' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
  ], 'MetricDataQueries', errors.validation);
  const data: Record<string, TimeSeries> = { Errors: ts(1, 2), Requests: ts(10, 10) };
  const results = runQueries(queries, { startMs: 0, endMs: 2 * P, nowMs: 2 * P }, (q) => data[q.metricName]?.points ?? new Map());
  assert.deepEqual(results.map((r) => [r.query.id, r.series[0]?.label, [...(r.series[0]?.points.values() ?? [])]]), [
    ['ratio', 'Error rate', [10, 20]],
    ['errors', 'Errors', [1, 2]],
    ['requests', 'Requests', [10, 10]],
  ]);

  const invalid = (queriesInput: unknown[], pattern: RegExp) => assert.throws(
    () => validateQueries(queriesInput, 'MetricDataQueries', errors.validation),
    (err: Error & { code?: string }) => err.code === 'ValidationError' && pattern.test(err.message),
  );
  invalid([{ Id: 'a', Expression: 'b * 2' }], /Unrecognized identifier b/);
  invalid([{ Id: 'a', Expression: 'b + 1' }, { Id: 'b', Expression: 'a + 1' }], /circular reference/);
  invalid([{ Id: 'A', Expression: '1' }], /lower case letter/);
  invalid([{ Id: 'a', Expression: '1' }, { Id: 'a', Expression: '2' }], /not unique/);
  invalid([{ Id: 'a', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'p101' } }], /p101 .* is not a valid statistic/);
  invalid([{ Id: 'a', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 45, Stat: 'Sum' } }], /multiple of 60/);
  invalid([{ Id: 'a' }], /Exactly one of/);
});
