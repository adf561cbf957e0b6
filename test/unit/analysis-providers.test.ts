import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommandProbe, HttpProbe } from '../../src/engine/ports.js';
import { parseJsonPath, selectJsonPath } from '../../src/analysis/json-path.js';
import { measure, prepareMetric } from '../../src/analysis/measure.js';
import { judgeAlarms } from '../../src/analysis/providers/alarm.js';
import { measureCloudWatch, newestPoint, toSdkQuery } from '../../src/analysis/providers/cloudwatch.js';
import { valueFromText } from '../../src/analysis/providers/value-text.js';
import { checkTemplate, renderTemplate, stableView } from '../../src/analysis/template.js';
import { resolveAnalyses } from '../../src/spec/analysis.js';
import { parseConfigText } from '../../src/spec/config-file.js';
import { alarm, FakeMetrics, FakeProbes, series } from './analysis-fakes.js';

const T = Date.parse('2025-06-01T12:00:00.000Z');

function metricFrom(yaml: string) {
  const config = parseConfigText(`analysis:\n  a:\n    metrics:\n      - ${yaml}`, 'f');
  const metric = resolveAnalyses(config.analysis).get('a')?.metrics[0];
  assert.ok(metric);
  return metric;
}

test('json path: the subset parses and selects; misses say where', () => {
  const doc = { checks: { ok: true, 'p-99': 0.25 }, items: [{ v: 1 }, { v: 2 }], "it's": 3 };
  const cases: Array<[string, unknown]> = [
    ['$', doc],
    ['$.checks.ok', true],
    ["$.checks['p-99']", 0.25],
    ['$.checks["p-99"]', 0.25],
    ['$.checks.p-99', 0.25],
    ['$.items[1].v', 2],
    ['$.items[-1].v', 2],
    ['$["it\'s"]', 3],
  ];
  for (const [path, expected] of cases) {
    const parsed = parseJsonPath(path);
    assert.ok(parsed.ok, path);
    assert.deepEqual(selectJsonPath(doc, parsed.steps), { found: true, value: expected }, path);
  }
  const miss = (path: string) => {
    const parsed = parseJsonPath(path);
    assert.ok(parsed.ok);
    return selectJsonPath(doc, parsed.steps);
  };
  assert.deepEqual(miss('$.checks.latency'), { found: false, missing: '$.checks has no field latency' });
  assert.deepEqual(miss('$.items[5]'), { found: false, missing: '$.items has no item 5 (it has 2)' });
  assert.deepEqual(miss('$.checks[0]'), { found: false, missing: '$.checks is not a list' });
  for (const bad of ['checks', '$.', '$..a', '$.a[*]', '$[x]', "$['a"]) assert.equal(parseJsonPath(bad).ok, false, bad);
});

test('output and bodies become values: numbers, booleans, text, JSON with a path, the last line of a log', () => {
  const path = (text: string) => {
    const parsed = parseJsonPath(text);
    assert.ok(parsed.ok);
    return { steps: parsed.steps, text };
  };
  const cases: Array<[string, ReturnType<typeof path> | undefined, unknown]> = [
    ['42\n', undefined, 42],
    ['  -0.5 ', undefined, -0.5],
    ['1e-3', undefined, 0.001],
    ['true', undefined, true],
    ['"ok"', undefined, 'ok'],
    ['degraded', undefined, 'degraded'],
    ['checking canary...\nrequests 200\n3.5\n', undefined, 3.5],
    ['{"checks":{"ok":true}}', path('$.checks.ok'), true],
    ['{"rate":"0.25"}', path('$.rate'), 0.25],
    ['{"status":"green"}', path('$.status'), 'green'],
    ['[1,2,3]', path('$[2]'), 3],
  ];
  for (const [text, jsonPath, expected] of cases) {
    assert.deepEqual(valueFromText(text, jsonPath, 'the output'), { ok: true, value: expected }, text);
  }
  const failures: Array<[string, ReturnType<typeof path> | undefined, RegExp]> = [
    ['', undefined, /the output is empty; print the value to measure/],
    ['{"a":1}', undefined, /the output is a JSON object; set jsonPath to pick the value/],
    ['not json', path('$.a'), /the output is not JSON .*so jsonPath \$\.a cannot pick a value: not json/],
    ['{"a":1}', path('$.b'), /jsonPath \$\.b selects nothing in the output: \$ has no field b/],
    ['{"a":null}', path('$.a'), /jsonPath \$\.a in the output is null/],
    ['{"a":{"b":1}}', path('$.a'), /is a JSON object; point the path at a number, true\/false or text/],
  ];
  for (const [text, jsonPath, message] of failures) {
    const parsed = valueFromText(text, jsonPath, 'the output');
    assert.equal(parsed.ok, false, text);
    assert.match(parsed.ok ? '' : parsed.message, message);
  }
});

test('templates: placeholders filled, unknown and unavailable names are errors naming them', () => {
  assert.deepEqual(checkTemplate('tg {{ canary.targetGroup }} lb {{loadBalancer}}'), { ok: true, names: ['canary.targetGroup', 'loadBalancer'] });
  assert.match((checkTemplate('{{nope}}') as { message: string }).message, /unknown variable \{\{nope\}\}/);
  assert.deepEqual(renderTemplate('x {{service}}/{{ canary.weight }}', { service: 'web', 'canary.weight': '10' }), { ok: true, text: 'x web/10' });
  assert.deepEqual(renderTemplate('x {{canary.url}}', { service: 'web', cluster: 'prod' }), {
    ok: false,
    message: 'variable {{canary.url}} is not available here; this deployment provides cluster, service',
  });
  assert.deepEqual(stableView({ cluster: 'c', 'canary.targetGroup': 'tg-green', 'stable.targetGroup': 'tg-blue', 'canary.weight': '10' }), {
    cluster: 'c',
    'stable.targetGroup': 'tg-blue',
    'canary.targetGroup': 'tg-blue',
  });
});

test('alarm provider: ALARM fails, INSUFFICIENT_DATA is inconclusive, OK passes; unknown alarms are errors', () => {
  const none = new Map<string, number>();
  const cases: Array<[Parameters<typeof alarm>[1][], string]> = [
    [['OK'], 'Successful'],
    [['OK', 'OK'], 'Successful'],
    [['ALARM'], 'Failed'],
    [['OK', 'ALARM'], 'Failed'],
    [['INSUFFICIENT_DATA'], 'Inconclusive'],
    [['INSUFFICIENT_DATA', 'ALARM'], 'Failed'],
    [['OK', 'INSUFFICIENT_DATA'], 'Inconclusive'],
  ];
  for (const [states, phase] of cases) {
    const names = states.map((_, i) => `a${i}`);
    const reading = judgeAlarms(names, states.map((s, i) => alarm(`a${i}`, s)), none);
    assert.ok(reading.kind === 'decided');
    assert.equal(reading.phase, phase, states.join(', '));
  }
  const missing = judgeAlarms(['web-5xx', 'typo'], [alarm('web-5xx', 'OK')], none);
  assert.ok(missing.kind === 'decided');
  assert.deepEqual([missing.phase, missing.message], ['Error', 'alarm typo does not exist in CloudWatch']);
  const failed = judgeAlarms(['web-5xx'], [alarm('web-5xx', 'ALARM', T, 'Threshold Crossed: 1 datapoint [9.0] was greater than the threshold (5.0).')], none);
  assert.ok(failed.kind === 'decided');
  assert.equal(failed.message, 'alarm web-5xx: Threshold Crossed: 1 datapoint [9.0] was greater than the threshold (5.0). is in ALARM');
});

test('alarm provider: an alarm already firing before the deploy (proceed) is not counted until it fires anew', () => {
  const firingSince = T - 600_000;
  const preexisting = new Map([['web-5xx', firingSince]]);
  const same = judgeAlarms(['web-5xx'], [alarm('web-5xx', 'ALARM', firingSince)], preexisting);
  assert.ok(same.kind === 'decided');
  assert.equal(same.phase, 'Successful');
  assert.match(same.message, /ALARM since before the deployment; not counted against the new version/);
  const anew = judgeAlarms(['web-5xx'], [alarm('web-5xx', 'ALARM', T)], preexisting);
  assert.ok(anew.kind === 'decided');
  assert.equal(anew.phase, 'Failed');
});

test('cloudwatch provider: newest point of the returning query over [now - window, now], SDK field names', async () => {
  const metric = metricFrom(`{ name: rate, interval: 2m, successCondition: result <= 1, cloudwatch: { period: 60, queries: [ { id: errors, metricStat: { metric: { namespace: AWS/ApplicationELB, metricName: HTTPCode_Target_5XX_Count, dimensions: [{ name: TargetGroup, value: "{{canary.targetGroup}}" }] }, stat: Sum }, returnData: false }, { id: rate, expression: "100 * errors / 10", label: "5xx %" } ] } }`);
  const prepared = prepareMetric(metric, { 'canary.targetGroup': 'targetgroup/green/2' });
  assert.ok(prepared.ok);
  const provider = prepared.prepared.canary;
  assert.ok(provider.kind === 'cloudwatch');
  assert.deepEqual(toSdkQuery(provider.queries[0] ?? { id: '' }, provider.periodSeconds), {
    Id: 'errors',
    MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/green/2' }] }, Period: 60, Stat: 'Sum' },
    ReturnData: false,
  });
  const metrics = new FakeMetrics([{ results: [series('errors', [[T, 1]]), series('rate', [[T - 120_000, 0.4], [T - 60_000, 0.8], [T - 180_000, 3]])] }]);
  const reading = await measureCloudWatch(provider, metrics, T, undefined);
  assert.ok(reading.kind === 'value');
  assert.equal(reading.value, 0.8);
  assert.match(reading.detail, /rate = 0\.8 at 2025-06-01T11:59:00\.000Z, newest of 3 datapoints in the 2m before 2025-06-01T12:00:00\.000Z$/);
  assert.deepEqual([metrics.metricCalls[0]?.startTime.getTime(), metrics.metricCalls[0]?.endTime.getTime()], [T - 120_000, T]);
  assert.deepEqual(metrics.metricCalls[0]?.queries.map((q) => q.Id), ['errors', 'rate']);
});

test('cloudwatch provider: no data is Inconclusive, never Failed; API failures and bad statuses are Errors', async () => {
  const metric = metricFrom('{ name: rate, successCondition: result <= 1, cloudwatch: { queries: [{ id: rate, expression: "1" }] } }');
  const prepared = prepareMetric(metric, {});
  assert.ok(prepared.ok);
  const deps = (metrics: FakeMetrics) => ({ metrics, probes: new FakeProbes(), preexistingAlarms: new Map<string, number>() });
  const noData = await measure(prepared.prepared, deps(new FakeMetrics([{ results: [series('rate', [])] }])), T, undefined);
  assert.deepEqual([noData.phase, noData.message], ['Inconclusive', 'no data for query rate in the 1m before 2025-06-01T12:00:00.000Z']);
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
  const failed = await measure(prepared.prepared, deps(new FakeMetrics([throttled])), T, undefined);
  assert.deepEqual([failed.phase, failed.message], ['Error', 'GetMetricData failed: Throttling: Rate exceeded']);
  const forbidden = await measure(prepared.prepared, deps(new FakeMetrics([{ results: [{ ...series('rate', []), StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'cross-account' }] }] }])), T, undefined);
  assert.deepEqual([forbidden.phase, forbidden.message], ['Error', 'GetMetricData answered Forbidden for query rate: Forbidden: cross-account']);
  const missing = await measure(prepared.prepared, deps(new FakeMetrics([{ results: [] }])), T, undefined);
  assert.equal(missing.phase, 'Error');
  const ok = await measure(prepared.prepared, deps(new FakeMetrics([{ results: [series('rate', [[T, 0.5]], 'PartialData')] }])), T, undefined);
  assert.equal(ok.phase, 'Successful');
  assert.match(ok.message, /^result = 0\.5: successCondition 'result <= 1' holds \(rate = 0\.5 at 2025-06-01T12:00:00\.000Z, newest of 1 datapoint in the 1m before 2025-06-01T12:00:00\.000Z, partial data\)$/);
  assert.equal(newestPoint(series('x', [])), undefined);
});

test('compare: stable runs the same query for the stable revision over the same window', async () => {
  const metric = metricFrom(`{ name: p99, compare: stable, failureCondition: canary > stable + 1, cloudwatch: { queries: [ { id: p99, metricStat: { metric: { namespace: AWS/ApplicationELB, metricName: TargetResponseTime, dimensions: [{ name: TargetGroup, value: "{{canary.targetGroup}}" }] }, stat: p99 } } ] } }`);
  const prepared = prepareMetric(metric, { 'canary.targetGroup': 'tg/green', 'stable.targetGroup': 'tg/blue' });
  assert.ok(prepared.ok);
  const metrics = new FakeMetrics([{ results: [series('p99', [[T, 3.2]])] }, { results: [series('p99', [[T, 1.1]])] }]);
  const m = await measure(prepared.prepared, { metrics, probes: new FakeProbes(), preexistingAlarms: new Map() }, T, undefined);
  const dimensions = metrics.metricCalls.map((c) => c.queries[0]?.MetricStat?.Metric?.Dimensions?.[0]?.Value);
  assert.deepEqual(dimensions, ['tg/green', 'tg/blue']);
  assert.deepEqual(new Set(metrics.metricCalls.map((c) => `${c.startTime.toISOString()}..${c.endTime.toISOString()}`)).size, 1);
  assert.deepEqual([m.phase, m.value, m.stable], ['Failed', 3.2, 1.1]);
  assert.match(m.message, /^canary = 3\.2, stable = 1\.1: failureCondition 'canary > stable \+ 1' holds/);

  const withoutStable = prepareMetric(metric, { 'canary.targetGroup': 'tg/green' });
  assert.deepEqual(withoutStable, {
    ok: false,
    message: 'metric p99 (compare: stable, the stable side): variable {{canary.targetGroup}} is not available here; this deployment provides no variables',
  });
  const stableNoData = await measure(prepared.prepared, { metrics: new FakeMetrics([{ results: [series('p99', [[T, 3.2]])] }, { results: [series('p99', [])] }]), probes: new FakeProbes(), preexistingAlarms: new Map() }, T, undefined);
  assert.deepEqual([stableNoData.phase, stableNoData.message.startsWith('stable: no data')], ['Inconclusive', true]);
});

test('http provider: 2xx with a JSON path; non-2xx and refusals are Errors; no conditions means 2xx passes', async () => {
  const url = 'http://127.0.0.1:9/health';
  const withPath = metricFrom(`{ name: smoke, successCondition: result == true, http: { url: "${url}", jsonPath: "$.checks.ok" } }`);
  const noConditions = metricFrom(`{ name: smoke, http: { url: "${url}" } }`);
  const run = async (m: typeof withPath, answers: Record<string, HttpProbe[]>) => {
    const prepared = prepareMetric(m, {});
    assert.ok(prepared.ok);
    return measure(prepared.prepared, { metrics: new FakeMetrics(), probes: new FakeProbes(answers), preexistingAlarms: new Map() }, T, undefined);
  };
  const ok = await run(withPath, { [url]: [{ kind: 'answered', status: 200, body: '{"checks":{"ok":true}}' }] });
  assert.deepEqual([ok.phase, ok.value], ['Successful', true]);
  assert.deepEqual(ok.output, [`GET ${url} -> 200`, '{"checks":{"ok":true}}']);
  const bad = await run(withPath, { [url]: [{ kind: 'answered', status: 200, body: '{"checks":{"ok":false}}' }] });
  assert.equal(bad.phase, 'Failed');
  const down = await run(withPath, { [url]: [{ kind: 'answered', status: 503, body: 'unavailable' }] });
  assert.deepEqual([down.phase, down.message], ['Error', `GET ${url} answered 503, not 2xx`]);
  const refused = await run(withPath, { [url]: [{ kind: 'failed', reason: `GET ${url} failed: fetch failed: connect ECONNREFUSED` }] });
  assert.equal(refused.phase, 'Error');
  const notJson = await run(withPath, { [url]: [{ kind: 'answered', status: 200, body: '<html>' }] });
  assert.equal(notJson.phase, 'Error');
  const plain = await run(noConditions, { [url]: [{ kind: 'answered', status: 204, body: '' }] });
  assert.deepEqual([plain.phase, plain.message], ['Successful', `GET ${url} answered 204`]);
});

test('command provider: stdout is the result; without conditions the exit status decides', async () => {
  const judged = metricFrom('{ name: script, failureCondition: result > 5, command: { run: "./check.sh" } }');
  const plain = metricFrom('{ name: script, command: { run: "./check.sh" } }');
  const run = async (m: typeof judged, answer: Record<string, CommandProbe[]>) => {
    const prepared = prepareMetric(m, {});
    assert.ok(prepared.ok);
    return measure(prepared.prepared, { metrics: new FakeMetrics(), probes: new FakeProbes({}, answer), preexistingAlarms: new Map() }, T, undefined);
  };
  const high = await run(judged, { './check.sh': [{ kind: 'exited', exitCode: 0, stdout: 'looking...\n7\n', lines: ['looking...', '7'] }] });
  assert.deepEqual([high.phase, high.value, high.output], ['Failed', 7, ['looking...', '7']]);
  assert.equal(high.message, "result = 7: failureCondition 'result > 5' holds (output of './check.sh')");
  const low = await run(judged, { './check.sh': [{ kind: 'exited', exitCode: 0, stdout: '2', lines: ['2'] }] });
  assert.equal(low.phase, 'Successful');
  const crashed = await run(judged, { './check.sh': [{ kind: 'exited', exitCode: 2, stdout: '', lines: ['boom'] }] });
  assert.deepEqual([crashed.phase, crashed.message], ['Error', "'./check.sh' exited 2; a metric with conditions judges the command's output, so it must exit 0"]);
  const timedOut = await run(judged, { './check.sh': [{ kind: 'failed', reason: "'./check.sh' did not finish within 30s", lines: [] }] });
  assert.equal(timedOut.phase, 'Error');
  const passes = await run(plain, { './check.sh': [{ kind: 'exited', exitCode: 0, stdout: '', lines: [] }] });
  assert.equal(passes.phase, 'Successful');
  const fails = await run(plain, { './check.sh': [{ kind: 'exited', exitCode: 1, stdout: '', lines: ['check failed'] }] });
  assert.deepEqual([fails.phase, fails.message], ['Failed', "'./check.sh' exited 1"]);
});

test('a CloudWatch measurement starts at the first whole period after the analysis began, even when its window is longer', async () => {
  const metric = metricFrom(`{ name: rate, failureCondition: result > 5, cloudwatch: { window: 10m, queries: [ { id: rate, metricStat: { metric: { namespace: AWS/ApplicationELB, metricName: RequestCount }, stat: Sum } } ] } }`);
  const prepared = prepareMetric(metric, {});
  assert.ok(prepared.ok);
  const metrics = new FakeMetrics([{ results: [series('rate', [[T, 1]])] }, { results: [series('rate', [[T, 1]])] }]);
  const deps = { metrics, probes: new FakeProbes(), preexistingAlarms: new Map() };
  const minute = 60_000;
  const at = Math.floor(T / minute) * minute + 20_000;
  await measure(prepared.prepared, deps, at, undefined, at - 90_000);
  await measure(prepared.prepared, deps, at, undefined);
  // Began 90 s ago, 10 s into a minute: that minute mixes in what came before, so the window starts at the next one, 80 s ago.
  assert.deepEqual(metrics.metricCalls.map((c) => (at - c.startTime.getTime()) / 1000), [80, 600]);
});
